"""Meetings, their agenda and attendance: one transaction each, with its audit row."""

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from committee import rules, selectors
from committee.models import (
    COMMITTEE_TIME_ZONE,
    MEETING_MOVES,
    AgendaItem,
    Attendance,
    CommitteeMember,
    Decision,
    DecisionRule,
    Meeting,
    MeetingStatus,
    VotingMode,
)
from core.errors import TransitionRefused
from proposals.models import Proposal
from proposals.workflow import Status

AGENDA_CLOSED = gettext_lazy("This meeting is closed; its agenda can no longer change.")

# What staff may change on a meeting after creating it (its status moves by meeting_open / meeting_close).
MEETING_FIELDS = ("programme", "cycle", "title", "starts_at", "place", "video_link", "decision_rule", "voting_mode")
# Fixed once the meeting is open: members were invited to this date and rule, and decisions are taken under them.
FIXED_WHEN_OPEN = ("programme", "cycle", "starts_at", "decision_rule", "voting_mode")

MEETING_NOT_OPEN = gettext_lazy("The meeting has not been opened; open it on its date first.")
MEETING_IS_CLOSED = gettext_lazy("This meeting is closed.")


def meeting_cycle_check(*, programme, cycle) -> None:
    """A meeting decides on the cycles of its own programme (also asked by the back office's form)."""
    if cycle.programme_id != programme.pk:
        raise ValidationError({"cycle": _("The cycle belongs to another programme.")})


def meeting_create(
    *, programme, cycle, title: str, starts_at, by, place: str = "", video_link: str = "",
    decision_rule: DecisionRule | None = None, voting_mode: str = VotingMode.IN_ROOM,
) -> Meeting:
    rules.require(by, "committee.manage")
    meeting_cycle_check(programme=programme, cycle=cycle)
    with transaction.atomic():
        meeting = Meeting(
            programme=programme, cycle=cycle, title=title.strip(), starts_at=starts_at, place=place,
            video_link=video_link, decision_rule=decision_rule, voting_mode=voting_mode,
        )
        meeting.full_clean()
        meeting.save()
        audit_record(actor=by, action="meeting.create", target=meeting, data={
            "cycle": cycle.year, "rule": decision_rule.pk if decision_rule else None, "voting_mode": voting_mode,
        })
    return meeting


def meeting_update(*, meeting: Meeting, by, **changes) -> Meeting:
    """Change a meeting's details (the back office's edit form). A closed meeting stays as its minutes record it."""
    rules.require(by, "committee.manage")
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"not a meeting detail: {sorted(unknown)}")
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.status == MeetingStatus.CLOSED:
            raise TransitionRefused(_("This meeting is closed; its details can no longer change."))
        changed = {}
        for name, value in changes.items():
            if current.status == MeetingStatus.OPEN and name in FIXED_WHEN_OPEN and getattr(current, name) != value:
                raise TransitionRefused(_("This meeting is open: its date, cycle, decision rule and way of voting "
                                          "can no longer change."))
            if name == "title":
                value = value.strip()
            if getattr(current, name) != value:
                setattr(current, name, value)
                changed[name] = value
        meeting_cycle_check(programme=current.programme, cycle=current.cycle)
        if changed:
            current.full_clean()
            current.save(update_fields=sorted(changed))
            audit_record(actor=by, action="meeting.update", target=current, data={"fields": sorted(changed)})
    return current


def meeting_opens_on_refusal(meeting: Meeting, *, now=None) -> str | None:
    """Why the meeting cannot be opened now (None when it can): only a scheduled meeting, on or after its date in
    the committee's time zone. The meeting page asks it to show or explain the Open button."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return str(_("Only a scheduled meeting can be opened."))
    today = timezone.localdate(now or timezone.now(), timezone=ZoneInfo(COMMITTEE_TIME_ZONE))
    day = selectors.meeting_day(meeting)
    if today < day:
        return _("This meeting is dated %(day)s (Seoul time); it can be opened on that day, not before.") % {
            "day": date_format(day, "DATE_FORMAT")
        }
    return None


def meeting_open(*, meeting: Meeting, by, now=None) -> Meeting:
    """Open the meeting: from now on attendance is recorded and votes and decisions are taken at it."""
    rules.require(by, "committee.manage")
    now = now or timezone.now()
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        refusal = meeting_opens_on_refusal(current, now=now)
        if refusal:
            raise TransitionRefused(refusal)
        current.status, current.opened_at, current.opened_by = MeetingStatus.OPEN, now, by
        current.save(update_fields=["status", "opened_at", "opened_by"])
        audit_record(actor=by, action="meeting.open", target=current,
                     data={"starts_at": current.starts_at.isoformat(), "opened_at": now.isoformat()})
    return current


def meeting_close(*, meeting: Meeting, by, now=None) -> Meeting:
    """Close an open meeting: no more attendance, votes or decisions (its minutes are still written and made
    final afterwards). Final minutes close it too (committee.services.minutes_finalise)."""
    rules.require(by, "committee.manage")
    now = now or timezone.now()
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if MeetingStatus.CLOSED not in MEETING_MOVES[current.status]:
            raise TransitionRefused(MEETING_IS_CLOSED if current.status == MeetingStatus.CLOSED
                                    else MEETING_NOT_OPEN)
        current.status, current.closed_at = MeetingStatus.CLOSED, now
        current.save(update_fields=["status", "closed_at"])
        audit_record(actor=by, action="meeting.close", target=current, data={"closed_at": now.isoformat()})
    return current


def decision_rule_save(*, rule: DecisionRule, by, changed: list[str] | None = None) -> DecisionRule:
    """Add or change a decision rule (the back office). Marking one the default unmarks the previous default in
    the same transaction. A decision keeps the rule's words as they stood, so an edit never rewrites the record."""
    rules.require(by, "committee.manage")
    created = rule.pk is None
    with transaction.atomic():
        rule.full_clean(validate_constraints=False)
        if rule.is_default:
            DecisionRule.objects.select_for_update().filter(is_default=True).exclude(pk=rule.pk).update(
                is_default=False
            )
        rule.save()
        audit_record(actor=by, action="rule.create" if created else "rule.update", target=rule, data={
            "name": rule.name, "basis": rule.basis, "threshold_votes": rule.threshold_votes,
            "quorum_fraction": str(rule.quorum_fraction), "require_co_chair": rule.require_co_chair,
            "is_default": rule.is_default, "fields": sorted(changed or []),
        })
    return rule


def agenda_item_add(*, meeting: Meeting, proposal: Proposal, by) -> AgendaItem:
    """Staff put a proposal of the meeting's cycle, in committee review, on the agenda."""
    rules.require(by, "committee.manage")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == MeetingStatus.CLOSED:
            raise TransitionRefused(AGENDA_CLOSED)
        if proposal.status != Status.COMMITTEE_REVIEW or proposal.cycle_id != meeting.cycle_id:
            raise ValidationError(_("Only proposals in committee review of this meeting's cycle can be on its agenda."))
        if meeting.agenda_items.filter(proposal=proposal).exists():
            raise ValidationError(_("This proposal is already on the agenda."))
        order = (meeting.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        item = AgendaItem.objects.create(meeting=meeting, proposal=proposal, order=order)
        audit_record(actor=by, action="agenda.add", target=meeting, data={"proposal": proposal.pk, "order": order})
    return item


def agenda_item_remove(*, item: AgendaItem, by) -> None:
    rules.require(by, "committee.manage")
    with transaction.atomic():
        if item.meeting.status == MeetingStatus.CLOSED:
            raise TransitionRefused(AGENDA_CLOSED)
        if Decision.objects.filter(meeting=item.meeting, proposal=item.proposal).exists():
            raise TransitionRefused(_("A decided proposal stays on the agenda."))
        audit_record(actor=by, action="agenda.remove", target=item.meeting, data={"proposal": item.proposal_id})
        item.delete()


def attendance_record(*, meeting: Meeting, present: Iterable[CommitteeMember], by) -> list[Attendance]:
    """Record who attended, during the open meeting: every serving member gets a row (present or absent). It does
    not change the meeting's state (meeting_open does)."""
    rules.require(by, "committee.manage")
    present_ids = {m.pk for m in present}
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == MeetingStatus.CLOSED:
            raise TransitionRefused(_("This meeting is closed; attendance can no longer change."))
        if meeting.status != MeetingStatus.OPEN:
            raise TransitionRefused(_("Attendance is recorded during the meeting: open it first."))
        serving = selectors.serving_members(day=selectors.meeting_day(meeting))
        unknown = present_ids - {m.pk for m in serving}
        if unknown:
            raise ValidationError(_("Only members serving on the meeting date can attend."))
        rows = []
        for member in serving:
            row, _created = Attendance.objects.update_or_create(
                meeting=meeting, member=member, defaults={"present": member.pk in present_ids}
            )
            rows.append(row)
        audit_record(actor=by, action="meeting.attendance", target=meeting, data={"present": sorted(present_ids)})
    return rows
