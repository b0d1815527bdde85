"""Per-person choice of which kinds of notice also come by e-mail. In-app notices always go out.

The choice is stored as the kinds a person opted *out* of (`User.email_opt_out`), so a kind added later is
e-mailed by default until the person turns it off.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.services import audit_record
from notifications.registry import kinds


def notice_kinds_for(user) -> list[tuple[str, str]]:
    """The kinds this person can receive, for their settings page (superusers see every kind)."""
    return [(kind.name, kind.label) for kind in kinds() if kind.offered_to(user)]


def email_enabled(*, user, event: str) -> bool:
    opted_out = getattr(user, "email_opt_out", None) or []
    return event not in opted_out


def email_preferences_set(*, user, by, email_events: list[str]) -> list[str]:
    """Store which kinds come by e-mail. Kinds the page does not offer this person that were turned off stay off."""
    if by.pk != user.pk:
        raise PermissionDenied
    wanted = set(email_events)
    offered = {kind for kind, _label in notice_kinds_for(user)}
    kept = [e for e in (user.email_opt_out or []) if e not in offered]
    opt_out = sorted({*kept, *(kind for kind in offered if kind not in wanted)})
    with transaction.atomic():
        user.email_opt_out = opt_out
        user.save(update_fields=["email_opt_out"])
        audit_record(actor=by, action="user.email_preferences", target=user, data={"email_opt_out": opt_out})
    return opt_out
