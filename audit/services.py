from typing import Any

from django.db import models

from audit.models import AuditEntry


def audit_record(*, actor, action: str, target: models.Model, data: dict[str, Any] | None = None) -> AuditEntry:
    """Write one audit row. Call it inside the service's transaction so the row and the change land together."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
    )
