"""The kinds of session consultants offer (length, buffers, notice, window, place), kept by staff in the back
office. A change applies to the slots offered from now on; sessions already booked keep their times."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _

from audit.services import audit_record, field_values
from consulting.models import SessionType
from consulting.rules import require


def _fields() -> list[str]:
    return [f.name for f in SessionType._meta.concrete_fields if f.editable and not f.primary_key]


def session_type_save(*, session_type: SessionType, by, changed: list[str] | None = None) -> SessionType:
    """Add or change a session type, with a `session_type.create|update` row holding the changed values."""
    require(by, "consulting.manage_session_types")
    created = session_type.pk is None
    with transaction.atomic():
        session_type.full_clean()
        session_type.save()
        names = _fields() if created or changed is None else changed
        audit_record(actor=by, action="session_type.create" if created else "session_type.update",
                     target=session_type, data={"changed": field_values(session_type, names)})
    return session_type


def session_type_delete(*, session_type: SessionType, by) -> None:
    """Delete a session type that was never booked; one with bookings stays (the refusal says to switch it off)."""
    require(by, "consulting.manage_session_types")
    with transaction.atomic():
        audit_record(actor=by, action="session_type.delete", target=session_type,
                     data={"was": field_values(session_type, _fields())})
        try:
            session_type.delete()
        except ProtectedError as error:
            raise ValidationError(
                _("Sessions of this type were booked; switch it off (uncheck “offered”) instead of deleting it.")
            ) from error
