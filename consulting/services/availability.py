"""Consultants' own profile and availability, edited by the consultant in the portal or by staff (pages and admin).

Weekly rules and date overrides are wall times in the consultant's zone. Every write locks the consultant's row,
refuses ranges that end before they start or overlap on one day, and leaves an audit row; bookings are never touched.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_staff_member
from audit.services import audit_record
from consulting.models import AvailabilityRule, Consultant, DateOverride, Weekday
from consulting.services.locks import consultant_lock


def _may_edit_consultant(*, consultant: Consultant, by) -> None:
    if not (by and by.is_authenticated and (consultant.user_id == by.pk or is_staff_member(by))):
        raise PermissionDenied(_("Only the consultant or staff may change this availability."))


def _check_ranges(pairs, *, label: str = "") -> None:
    """Each (start, end) ends after it starts, and no two ranges of one day overlap (touching is fine)."""
    errors = []
    for start, end in pairs:
        if not end > start:
            errors.append(_("%(day)s: %(start)s–%(end)s ends before it starts.") % {
                "day": label, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
    widest = None
    for start, end in sorted(p for p in pairs if p[1] > p[0]):
        if widest is not None and start < widest[1]:
            errors.append(_("%(day)s: %(a)s and %(b)s overlap.") % {
                "day": label, "a": f"{widest[0]:%H:%M}–{widest[1]:%H:%M}", "b": f"{start:%H:%M}–{end:%H:%M}"})
        if widest is None or end > widest[1]:
            widest = (start, end)
    if errors:
        raise ValidationError(errors)


def consultant_profile_update(
    *, consultant: Consultant, by, expertise: list[str], languages: list[str], time_zone: str,
    cooperation_centre=None, bio: str = "",
) -> Consultant:
    """Change the consultant's profile. A new time zone re-reads the same weekly hours as wall times in that zone."""
    _may_edit_consultant(consultant=consultant, by=by)
    with transaction.atomic():
        current = consultant_lock(consultant.pk)
        before = {"time_zone": str(current.time_zone), "expertise": current.expertise, "languages": current.languages}
        current.expertise, current.languages = list(expertise), list(languages)
        current.time_zone, current.cooperation_centre, current.bio = time_zone, cooperation_centre, bio
        current.full_clean(exclude=["user", "ics_token"])
        current.save(update_fields=["expertise", "languages", "time_zone", "cooperation_centre", "bio"])
        audit_record(actor=by, action="consultant.profile_update", target=current, data={
            "before": before,
            "after": {"time_zone": str(current.time_zone), "expertise": current.expertise,
                      "languages": current.languages},
            "cooperation_centre": current.cooperation_centre_id,
        })
    return current


def availability_rules_set(*, consultant: Consultant, by, rules) -> list:
    """Replace all weekly rules with `rules`, an iterable of (weekday, start_time, end_time) in the consultant's zone.

    All or nothing: one bad range (end not after start, overlap on the same weekday) refuses the whole set and the
    old rules stay. Existing bookings are never touched.
    """
    _may_edit_consultant(consultant=consultant, by=by)
    rows = [(int(weekday), start, end) for weekday, start, end in rules]
    errors = []
    for weekday in Weekday:
        try:
            _check_ranges([(s, e) for d, s, e in rows if d == weekday.value], label=str(weekday.label))
        except ValidationError as error:
            errors.extend(error.messages)
    if any(d not in Weekday.values for d, _s, _e in rows):
        errors.append(_("Unknown weekday."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = consultant_lock(consultant.pk)
        before = [str(r) for r in AvailabilityRule.objects.filter(consultant=current)]
        AvailabilityRule.objects.filter(consultant=current).delete()
        created = AvailabilityRule.objects.bulk_create(
            AvailabilityRule(consultant=current, weekday=d, start_time=s, end_time=e) for d, s, e in sorted(rows)
        )
        audit_record(actor=by, action="consultant.availability_set", target=current,
                     data={"before": before, "after": [str(r) for r in created]})
    return created


def date_override_set(
    *, consultant: Consultant, by, date: datetime.date, unavailable: bool, ranges=(), note: str = "",
    today: datetime.date | None = None,
) -> list:
    """Replace the overrides of one local date with a day off or with other hours (ranges of (start, end)).

    The date is in the consultant's zone and may not be in the past there. The note is shown with the override.
    """
    _may_edit_consultant(consultant=consultant, by=by)
    today = today or timezone.now().astimezone(consultant.zone).date()
    if date < today:
        raise ValidationError({"date": _("Choose today or a later date.")})
    ranges = [] if unavailable else list(ranges)
    if not unavailable and not ranges:
        raise ValidationError(_("Mark the day off or give at least one range of hours."))
    _check_ranges(ranges, label=date.isoformat())
    with transaction.atomic():
        current = consultant_lock(consultant.pk)
        DateOverride.objects.filter(consultant=current, date=date).delete()
        if unavailable:
            created = [DateOverride.objects.create(consultant=current, date=date, unavailable=True, note=note)]
        else:
            created = DateOverride.objects.bulk_create(
                DateOverride(consultant=current, date=date, start_time=s, end_time=e, note=note)
                for s, e in sorted(ranges)
            )
        audit_record(actor=by, action="consultant.override_set", target=current, data={
            "date": date.isoformat(), "unavailable": unavailable, "note": note,
            "ranges": [f"{s:%H:%M}-{e:%H:%M}" for s, e in sorted(ranges)],
        })
    return created


def date_override_remove(*, consultant: Consultant, by, date: datetime.date) -> int:
    """Drop every override of one date: the weekly rules apply to it again. Returns how many rows went."""
    _may_edit_consultant(consultant=consultant, by=by)
    with transaction.atomic():
        current = consultant_lock(consultant.pk)
        removed, _detail = DateOverride.objects.filter(consultant=current, date=date).delete()
        if removed:
            audit_record(actor=by, action="consultant.override_remove", target=current,
                         data={"date": date.isoformat()})
    return removed
