"""The programme set-up staff keep in the back office: programmes, tracks, cycles, cooperation centres, service
levels, public holidays, assignment rules, information request templates and the applicant help pages. One
audited write each (`proposals.manage_setup`), so the audit log says who changed a cut-off, a cap, an eligibility
rule or a target time, and to what."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from accounts.rules import is_staff_member
from audit.services import audit_record, field_values
from proposals import rules
from proposals.models import (
    AssignmentRule,
    CooperationCentre,
    Cycle,
    HelpPage,
    Holiday,
    InfoRequestTemplate,
    Programme,
    ServiceLevel,
    Track,
)


def _editable_fields(row: models.Model) -> list[str]:
    return [f.name for f in row._meta.get_fields()
            if getattr(f, "editable", False) and not f.auto_created and (f.concrete or f.many_to_many)]


def _save(row: models.Model, *, by, changed, thing: str, m2m: dict | None = None) -> models.Model:
    """Validate and save `row` (and set its many-to-many `m2m` values), with one `<thing>.create|update` row that
    holds the changed fields' new values (all of them for a new row)."""
    rules.check("proposals.manage_setup", by)
    created = row.pk is None
    with transaction.atomic():
        row.full_clean()
        row.save()
        for name, values in (m2m or {}).items():
            getattr(row, name).set(values)
        names = _editable_fields(row) if created or changed is None else changed
        audit_record(actor=by, action=f"{thing}.{'create' if created else 'update'}", target=row,
                     data={"changed": field_values(row, names)})
    return row


def _delete(row: models.Model, *, by, thing: str) -> None:
    """Delete `row`, keeping what it held in its `<thing>.delete` row. A row others still point at stays."""
    rules.check("proposals.manage_setup", by)
    with transaction.atomic():
        audit_record(actor=by, action=f"{thing}.delete", target=row,
                     data={"was": field_values(row, _editable_fields(row))})
        try:
            row.delete()
        except (ProtectedError, RestrictedError) as error:
            raise ValidationError(
                _("%(row)s is still used by %(count)s other records and cannot be deleted.")
                % {"row": row, "count": len(error.protected_objects if isinstance(error, ProtectedError)
                                             else error.restricted_objects)}
            ) from error


def programme_save(*, programme: Programme, by, changed: list[str] | None = None) -> Programme:
    """Add or change a programme (its name, reference prefix, cut-off day, whether it takes proposals)."""
    return _save(programme, by=by, changed=changed, thing="programme")


def programme_delete(*, programme: Programme, by) -> None:
    _delete(programme, by=by, thing="programme")


def track_save(*, track: Track, by, changed: list[str] | None = None) -> Track:
    """Add or change a track (eligibility, support cap, required documents, reviewers per proposal)."""
    return _save(track, by=by, changed=changed, thing="track")


def track_delete(*, track: Track, by) -> None:
    _delete(track, by=by, thing="track")


def cycle_save(*, cycle: Cycle, by, changed: list[str] | None = None) -> Cycle:
    """Add or change a selection cycle (its year and cut-off date)."""
    return _save(cycle, by=by, changed=changed, thing="cycle")


def cycle_delete(*, cycle: Cycle, by) -> None:
    _delete(cycle, by=by, thing="cycle")


def cooperation_centre_save(
    *, centre: CooperationCentre, by, changed: list[str] | None = None, staff=None,
) -> CooperationCentre:
    """Add or change a cooperation centre; `staff` (people, when given) replaces the centre's staff."""
    return _save(centre, by=by, changed=changed, thing="cooperation_centre",
                 m2m=None if staff is None else {"staff": list(staff)})


def cooperation_centre_delete(*, centre: CooperationCentre, by) -> None:
    # Proposals keep no link to a deleted centre (SET_NULL): the audit row says which one it was.
    _delete(centre, by=by, thing="cooperation_centre")


def service_level_save(*, level: ServiceLevel, by, changed: list[str] | None = None) -> ServiceLevel:
    """Add or change a state's target time. Proposals already waiting keep the due date they were given."""
    return _save(level, by=by, changed=changed, thing="service_level")


def service_level_delete(*, level: ServiceLevel, by) -> None:
    _delete(level, by=by, thing="service_level")


def holiday_save(*, holiday: Holiday, by, changed: list[str] | None = None) -> Holiday:
    """Add or rename a public holiday (not a working day for the service levels from now on)."""
    return _save(holiday, by=by, changed=changed, thing="holiday")


def holiday_delete(*, holiday: Holiday, by) -> None:
    _delete(holiday, by=by, thing="holiday")


def assignment_rule_save(*, rule: AssignmentRule, by, changed: list[str] | None = None) -> AssignmentRule:
    """Add or change who follows new proposals of a track and/or centre (applied at submission from now on)."""
    if rule.staff_id and not is_staff_member(rule.staff):
        raise ValidationError({"staff": _("%(person)s is not a staff member.") % {"person": rule.staff}})
    return _save(rule, by=by, changed=changed, thing="assignment_rule")


def assignment_rule_delete(*, rule: AssignmentRule, by) -> None:
    _delete(rule, by=by, thing="assignment_rule")


def info_request_template_save(
    *, template: InfoRequestTemplate, by, changed: list[str] | None = None,
) -> InfoRequestTemplate:
    """Add or change a request for information staff pick from (and edit) when asking an applicant for more."""
    return _save(template, by=by, changed=changed, thing="info_request_template")


def info_request_template_delete(*, template: InfoRequestTemplate, by) -> None:
    _delete(template, by=by, thing="info_request_template")


def help_page_save(*, page: HelpPage, by, changed: list[str] | None = None) -> HelpPage:
    """Add or change one language's text of an applicant help page (public at once)."""
    return _save(page, by=by, changed=changed, thing="help_page")


def help_page_delete(*, page: HelpPage, by) -> None:
    """Remove one language's text; readers of that language see the English text instead."""
    _delete(page, by=by, thing="help_page")
