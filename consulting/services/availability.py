"""Consultants' own profile and availability, edited by the consultant in the portal or by staff (pages and admin).

Weekly rules and date overrides are wall times in the consultant's zone. Every write locks the consultant's row,
refuses ranges that end before they start or overlap on one day, and leaves an audit row; bookings are never touched.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from consulting.models import AvailabilityRule, Consultant, DateOverride, Weekday
from consulting.rules import require
from consulting.services.locks import consultant_lock
from core.dates import time_in


def _may_edit_consultant(*, consultant: Consultant, by) -> None:
    require(by, "consulting.edit_availability", consultant)


def _check_ranges(pairs, *, label: str = "") -> None:
    """Each (start, end) ends after it starts, and no two ranges of one day overlap (touching is fine)."""
    errors = []
    for start, end in pairs:
        if not end > start:
            errors.append(_("%(day)s: %(start)s–%(end)s ends before it starts.") % {
                "day": label, "start": time_in(start), "end": time_in(end)})
    widest = None
    for start, end in sorted(p for p in pairs if p[1] > p[0]):
        if widest is not None and start < widest[1]:
            errors.append(_("%(day)s: %(a)s and %(b)s overlap.") % {
                "day": label, "a": f"{time_in(widest[0])}–{time_in(widest[1])}",
                "b": f"{time_in(start)}–{time_in(end)}"})
        if widest is None or end > widest[1]:
            widest = (start, end)
    if errors:
        raise ValidationError(errors)


def _check_week(rows) -> None:
    """Every weekday's (weekday, start, end) ranges pass `_check_ranges`; all the errors of the week at once."""
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


def consultant_create(
    *, user, by, expertise: list[str], languages: list[str], time_zone: str, cooperation_centre=None, bio: str = "",
    is_active: bool = True, meeting_url: str = "",
) -> Consultant:
    """Give a person a consultant profile (staff, in the back office). Their availability starts empty."""
    require(by, "consulting.manage_consultants")
    with transaction.atomic():
        consultant = Consultant(user=user, expertise=list(expertise), languages=list(languages), time_zone=time_zone,
                                cooperation_centre=cooperation_centre, bio=bio, is_active=is_active,
                                meeting_url=(meeting_url or "").strip())
        consultant.full_clean(exclude=["ics_token"])
        consultant.save()
        audit_record(actor=by, action="consultant.create", target=consultant, data={
            "user": user.pk, "time_zone": str(consultant.time_zone), "expertise": consultant.expertise,
            "languages": consultant.languages, "is_active": is_active,
        })
    return consultant


def consultant_profile_update(
    *, consultant: Consultant, by, expertise: list[str], languages: list[str], time_zone: str,
    cooperation_centre=None, bio: str = "", is_active: bool | None = None, meeting_url: str | None = None,
) -> Consultant:
    """Change the consultant's profile. A new time zone re-reads the same weekly hours as wall times in that zone.

    `is_active` (whether they take bookings) is changed only when given: staff switch it in the back office.
    """
    _may_edit_consultant(consultant=consultant, by=by)
    if is_active is not None:
        require(by, "consulting.manage_consultants")
    with transaction.atomic():
        current = consultant_lock(consultant.pk)
        before = {"time_zone": str(current.time_zone), "expertise": current.expertise, "languages": current.languages}
        fields = ["expertise", "languages", "time_zone", "cooperation_centre", "bio"]
        if is_active is not None and is_active != current.is_active:
            before["is_active"] = current.is_active
            current.is_active = is_active
            fields.append("is_active")
        current.expertise, current.languages = list(expertise), list(languages)
        current.time_zone, current.cooperation_centre, current.bio = time_zone, cooperation_centre, bio
        if meeting_url is not None:
            current.meeting_url = meeting_url.strip()
            fields.append("meeting_url")
        current.full_clean(exclude=["user", "ics_token"])
        current.save(update_fields=fields)
        after = {"time_zone": str(current.time_zone), "expertise": current.expertise, "languages": current.languages}
        if "is_active" in fields:
            after["is_active"] = current.is_active
        audit_record(actor=by, action="consultant.profile_update", target=current, data={
            "before": before, "after": after, "cooperation_centre": current.cooperation_centre_id,
        })
    return current


def availability_rules_set(*, consultant: Consultant, by, rules) -> list:
    """Replace all weekly rules with `rules`, an iterable of (weekday, start_time, end_time) in the consultant's zone.

    All or nothing: one bad range (end not after start, overlap on the same weekday) refuses the whole set and the
    old rules stay. Existing bookings are never touched.
    """
    _may_edit_consultant(consultant=consultant, by=by)
    rows = [(int(weekday), start, end) for weekday, start, end in rules]
    _check_week(rows)
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
            "ranges": [f"{s.isoformat('minutes')}-{e.isoformat('minutes')}" for s, e in sorted(ranges)],
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


# --- One row at a time (the back office edits single rows; the same checks and audit rows as the whole-set writes) --


def _rule_rows(consultant: Consultant, *, without: AvailabilityRule | None = None) -> list[tuple]:
    weekly = AvailabilityRule.objects.filter(consultant=consultant)
    if without is not None and without.pk:
        weekly = weekly.exclude(pk=without.pk)
    return [(r.weekday, r.start_time, r.end_time) for r in weekly]


def _week(consultant: Consultant) -> list[str]:
    return [str(r) for r in AvailabilityRule.objects.filter(consultant=consultant)]


def availability_rule_check(
    *, consultant: Consultant, weekday: int, start_time: datetime.time, end_time: datetime.time,
    rule: AvailabilityRule | None = None,
) -> None:
    """Refuse a weekly range that ends before it starts or overlaps another range of that weekday (`rule` is the
    row being changed, left out of the comparison). Forms call it to show the error; the save calls it again."""
    _check_week([*_rule_rows(consultant, without=rule), (int(weekday), start_time, end_time)])


def availability_rule_save(
    *, consultant: Consultant, by, weekday: int, start_time: datetime.time, end_time: datetime.time,
    rule: AvailabilityRule | None = None,
) -> AvailabilityRule:
    """Add one weekly range, or change `rule`; the audit row holds the whole week before and after."""
    _may_edit_consultant(consultant=consultant, by=by)
    with transaction.atomic():
        current = consultant_lock(consultant.pk)
        before = _week(current)
        if rule is not None and rule.pk:
            rule = AvailabilityRule.objects.select_for_update().get(pk=rule.pk, consultant=current)
        availability_rule_check(consultant=current, weekday=weekday, start_time=start_time, end_time=end_time,
                                rule=rule)
        rule = rule if rule is not None and rule.pk else AvailabilityRule(consultant=current)
        rule.weekday, rule.start_time, rule.end_time = int(weekday), start_time, end_time
        rule.save()
        audit_record(actor=by, action="consultant.availability_set", target=current,
                     data={"before": before, "after": _week(current)})
    return rule


def availability_rule_delete(*, rule: AvailabilityRule, by) -> None:
    """Drop one weekly range; the audit row holds the whole week before and after."""
    _may_edit_consultant(consultant=rule.consultant, by=by)
    with transaction.atomic():
        current = consultant_lock(rule.consultant_id)
        before = _week(current)
        AvailabilityRule.objects.filter(pk=rule.pk, consultant=current).delete()
        audit_record(actor=by, action="consultant.availability_set", target=current,
                     data={"before": before, "after": _week(current)})


def date_override_check(
    *, consultant: Consultant, date: datetime.date, unavailable: bool, start_time: datetime.time | None,
    end_time: datetime.time | None, override: DateOverride | None = None, today: datetime.date | None = None,
) -> None:
    """Refuse one override row that the date's other rows contradict: a past date, a range that ends before it
    starts or overlaps another range of the date, a day off next to hours on the same date (`override` is the row
    being changed, left out of the comparison)."""
    today = today or timezone.now().astimezone(consultant.zone).date()
    if date < today or (override is not None and override.pk and override.date < today):
        raise ValidationError({"date": _("Choose today or a later date.")})
    others = DateOverride.objects.filter(consultant=consultant, date=date)
    if override is not None and override.pk:
        others = others.exclude(pk=override.pk)
    others = list(others)
    if unavailable:
        if others:
            raise ValidationError(_("%(date)s already has other overrides; remove them before marking the day off.")
                                  % {"date": date.isoformat()})
        return
    if start_time is None or end_time is None:
        raise ValidationError(_("Mark the day off or give at least one range of hours."))
    if any(o.unavailable for o in others):
        raise ValidationError(_("%(date)s is marked as a day off; remove that before giving hours.")
                              % {"date": date.isoformat()})
    _check_ranges([*((o.start_time, o.end_time) for o in others), (start_time, end_time)], label=date.isoformat())


def _override_data(current: Consultant, date: datetime.date) -> dict:
    rows = list(DateOverride.objects.filter(consultant=current, date=date).order_by("start_time"))
    return {"date": date.isoformat(), "unavailable": any(o.unavailable for o in rows),
            "note": rows[0].note if rows else "",
            "ranges": [f"{o.start_time.isoformat('minutes')}-{o.end_time.isoformat('minutes')}" for o in rows
                       if not o.unavailable]}


def date_override_save(
    *, consultant: Consultant, by, date: datetime.date, unavailable: bool, start_time: datetime.time | None = None,
    end_time: datetime.time | None = None, note: str = "", override: DateOverride | None = None,
    today: datetime.date | None = None,
) -> DateOverride:
    """Add one override row (a day off, or one range of other hours) or change `override`; audited like a set."""
    _may_edit_consultant(consultant=consultant, by=by)
    with transaction.atomic():
        current = consultant_lock(consultant.pk)
        if override is not None and override.pk:
            override = DateOverride.objects.select_for_update().get(pk=override.pk, consultant=current)
        date_override_check(consultant=current, date=date, unavailable=unavailable, start_time=start_time,
                            end_time=end_time, override=override, today=today)
        moved_from = override.date if override is not None and override.pk and override.date != date else None
        override = override if override is not None and override.pk else DateOverride(consultant=current)
        override.date, override.unavailable, override.note = date, unavailable, note
        override.start_time, override.end_time = (None, None) if unavailable else (start_time, end_time)
        override.save()
        data = _override_data(current, date)
        if moved_from is not None:
            data["moved_from"] = moved_from.isoformat()
        audit_record(actor=by, action="consultant.override_set", target=current, data=data)
    return override


def date_override_delete(*, override: DateOverride, by) -> None:
    """Drop one override row; the date keeps its other rows (with none left, the weekly rules apply again)."""
    _may_edit_consultant(consultant=override.consultant, by=by)
    with transaction.atomic():
        current = consultant_lock(override.consultant_id)
        removed, _detail = DateOverride.objects.filter(pk=override.pk, consultant=current).delete()
        if removed:
            audit_record(actor=by, action="consultant.override_remove", target=current,
                         data={**_override_data(current, override.date), "removed": str(override)})
