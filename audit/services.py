import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from audit.models import AuditEntry


def audit_entry(*, actor, action: str, target: models.Model, data: dict[str, Any] | None = None) -> AuditEntry:
    """One audit row, not written yet: audit_record writes it, audit_records writes several at once."""
    return AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
    )


def audit_record(*, actor, action: str, target: models.Model, data: dict[str, Any] | None = None) -> AuditEntry:
    """Write one audit row. Call it inside the service's transaction so the row and the change land together."""
    entry = audit_entry(actor=actor, action=action, target=target, data=data)
    entry.save(force_insert=True)
    return entry


def audit_records(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Write the audit rows of one service call (audit_entry's) in one INSERT, in their order, inside its
    transaction as audit_record's."""
    return AuditEntry.objects.bulk_create(entries) if entries else []


def _plain(value: Any) -> Any:
    """A value as the JSON details hold it: related rows by id, dates as ISO text, numbers as they are."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        plain = [_plain(item) for item in value]
        return sorted(plain, key=str) if isinstance(value, (set, frozenset)) else plain
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # a country, a time zone, a lazy label: their text


def field_values(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """{field name: stored value} of `instance` for `names` (the fields a form changed), ready for `data`.

    Names that are not model fields (a form's extra fields) are left out; a many-to-many field gives the ids of
    its rows, so call it after they are set. A service never passes a secret (a password hash, a token) here.
    """
    values = {}
    for name in sorted(set(names)):
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:  # a form field of its own (a reply, a note), not stored on the row
            continue
        if field.many_to_many:
            values[name] = sorted(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else []
        elif field.concrete:
            values[name] = _plain(field.value_from_object(instance))
    return values
