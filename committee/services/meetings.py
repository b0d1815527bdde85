"""Meetings, their agenda and attendance: one transaction each, with its audit row."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from committee import rules, selectors
from committee.models import AgendaItem, Attendance, CommitteeMember, Decision, Meeting, MeetingStatus
from core.errors import TransitionRefused
from proposals.models import Proposal
from proposals.workflow import Status

AGENDA_CLOSED = gettext_lazy("This meeting is closed; its agenda can no longer change.")

# What staff may change on a meeting after creating it (its status follows attendance and the final minutes).
MEETING_FIELDS = ("programme", "cycle", "title", "starts_at", "place", "video_link", "quorum_fraction",
                  "require_co_chair")


def meeting_cycle_check(*, programme, cycle) -> None:
    """A meeting decides on the cycles of its own programme (also asked by the back office's form)."""
    if cycle.programme_id != programme.pk:
        raise ValidationError({"cycle": _("The cycle belongs to another programme.")})


def meeting_create(
    *, programme, cycle, title: str, starts_at, by, place: str = "", video_link: str = "",
    quorum_fraction: Decimal | None = None, require_co_chair: bool = True,
) -> Meeting:
    rules.require(by, "committee.manage")
    meeting_cycle_check(programme=programme, cycle=cycle)
    with transaction.atomic():
        meeting = Meeting(
            programme=programme, cycle=cycle, title=title.strip(), starts_at=starts_at, place=place,
            video_link=video_link, require_co_chair=require_co_chair,
        )
        if quorum_fraction is not None:
            meeting.quorum_fraction = quorum_fraction
        meeting.full_clean()
        meeting.save()
        audit_record(actor=by, action="meeting.create", target=meeting, data={"cycle": cycle.year})
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
    """Record who attended: every serving member gets a row (present or absent); the meeting is then held."""
    rules.require(by, "committee.manage")
    present_ids = {m.pk for m in present}
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == MeetingStatus.CLOSED:
            raise TransitionRefused(_("This meeting is closed; attendance can no longer change."))
        serving = selectors.serving_members(day=meeting.starts_at.date())
        unknown = present_ids - {m.pk for m in serving}
        if unknown:
            raise ValidationError(_("Only members serving on the meeting date can attend."))
        rows = []
        for member in serving:
            row, _created = Attendance.objects.update_or_create(
                meeting=meeting, member=member, defaults={"present": member.pk in present_ids}
            )
            rows.append(row)
        if meeting.status == MeetingStatus.PLANNED:
            meeting.status = MeetingStatus.HELD
            meeting.save(update_fields=["status"])
        audit_record(actor=by, action="meeting.attendance", target=meeting, data={"present": sorted(present_ids)})
    return rows
