"""Committee writes (meetings, agenda, attendance, assignments, conflicts, reviews, minutes, reminders): one
transaction each, with its audit row and its notices. Votes, decisions and decision letters: committee.decisions.
"""

from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from committee import rules, selectors
from committee.models import (
    AgendaItem,
    Assignment,
    Attendance,
    CommitteeMember,
    ConflictDeclaration,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesFinal,
    MinutesStatus,
    Review,
    Score,
)
from core.errors import TransitionRefused
from notifications.services import notify, reminder_claim
from proposals.models import Proposal
from proposals.workflow import Status

TWO_PLACES = Decimal("0.01")


def require_staff(by) -> None:
    if not rules.can_manage_committee(by):
        raise PermissionDenied(_("Only MOLIT staff and the secretariat can do this."))


# --- meetings and agenda -------------------------------------------------------------------------------


def meeting_create(
    *, programme, cycle, title: str, starts_at, by, place: str = "", video_link: str = "",
    quorum_fraction: Decimal | None = None, require_co_chair: bool = True,
) -> Meeting:
    require_staff(by)
    if cycle.programme_id != programme.pk:
        raise ValidationError({"cycle": _("The cycle belongs to another programme.")})
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


def agenda_item_add(*, meeting: Meeting, proposal: Proposal, by) -> AgendaItem:
    """Staff put a proposal of the meeting's cycle, in committee review, on the agenda."""
    require_staff(by)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == MeetingStatus.CLOSED:
            raise TransitionRefused(_("This meeting is closed; its agenda can no longer change."))
        if proposal.status != Status.COMMITTEE_REVIEW or proposal.cycle_id != meeting.cycle_id:
            raise ValidationError(_("Only proposals in committee review of this meeting's cycle can be on its agenda."))
        if meeting.agenda_items.filter(proposal=proposal).exists():
            raise ValidationError(_("This proposal is already on the agenda."))
        order = (meeting.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        item = AgendaItem.objects.create(meeting=meeting, proposal=proposal, order=order)
        audit_record(actor=by, action="agenda.add", target=meeting, data={"proposal": proposal.pk, "order": order})
    return item


def agenda_item_remove(*, item: AgendaItem, by) -> None:
    require_staff(by)
    with transaction.atomic():
        if item.meeting.status == MeetingStatus.CLOSED:
            raise TransitionRefused(_("This meeting is closed; its agenda can no longer change."))
        if Decision.objects.filter(meeting=item.meeting, proposal=item.proposal).exists():
            raise TransitionRefused(_("A decided proposal stays on the agenda."))
        audit_record(actor=by, action="agenda.remove", target=item.meeting, data={"proposal": item.proposal_id})
        item.delete()


def attendance_record(*, meeting: Meeting, present: Iterable[CommitteeMember], by) -> list[Attendance]:
    """Record who attended: every serving member gets a row (present or absent); the meeting is then held."""
    require_staff(by)
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


# --- assignments and conflicts -------------------------------------------------------------------------


def assignment_suggest(*, proposal: Proposal, count: int | None = None) -> list[CommitteeMember]:
    """Balanced reviewers (by default enough to reach the track's count): serving, not conflicted, not from the
    proposal's country or organisation, least loaded first (assignments in the same cycle), alternating government
    and private members where the load is equal."""
    today = timezone.now().date()
    already = set(Assignment.objects.filter(proposal=proposal).values_list("member_id", flat=True))
    if count is None:  # fill up to the track's default number of reviewers
        count = max(proposal.track.default_reviewer_count - len(already), 0)
    conflicted = set(
        ConflictDeclaration.objects.filter(proposal=proposal, has_conflict=True).values_list("member_id", flat=True)
    )
    members = (
        CommitteeMember.objects.filter(is_active=True, term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .exclude(pk__in=already | conflicted)
        .exclude(organisation_id=proposal.organisation_id)
        .annotate(load=Count("assignments", filter=Q(assignments__proposal__cycle_id=proposal.cycle_id)))
        .select_related("user")
    )
    country = str(proposal.country or proposal.organisation.country or "")
    eligible = [m for m in members if not (country and str(m.country) == country)]
    kinds_taken = list(
        CommitteeMember.objects.filter(pk__in=already).values_list("kind", flat=True)
    )
    chosen: list[CommitteeMember] = []
    pool = sorted(eligible, key=lambda m: (m.load, m.pk))
    while pool and len(chosen) < count:
        lowest = pool[0].load
        tied = [m for m in pool if m.load == lowest]
        kinds = kinds_taken + [m.kind for m in chosen]
        # Prefer the kind that is less represented so far among this proposal's reviewers.
        tied.sort(key=lambda m: (kinds.count(m.kind), m.pk))
        pick = tied[0]
        chosen.append(pick)
        pool.remove(pick)
    return chosen


def assignment_create(*, proposal: Proposal, member: CommitteeMember, by) -> Assignment:
    require_staff(by)
    if proposal.status != Status.COMMITTEE_REVIEW:
        raise ValidationError(_("Reviewers are assigned to proposals in committee review."))
    if not member.is_active:
        raise ValidationError(_("%(member)s is not an active committee member.") % {"member": member})
    if ConflictDeclaration.objects.filter(proposal=proposal, member=member, has_conflict=True).exists():
        raise ValidationError(_("%(member)s declared a conflict of interest on this proposal.") % {"member": member})
    with transaction.atomic():
        if Assignment.objects.filter(proposal=proposal, member=member).exists():
            raise ValidationError(_("%(member)s already reviews this proposal.") % {"member": member})
        assignment = Assignment.objects.create(proposal=proposal, member=member, assigned_by=by)
        audit_record(actor=by, action="assignment.create", target=proposal, data={"member": member.pk})
        notify(
            event="committee_assigned", recipients=[member.user], context={"proposal": proposal, "member": member},
            url=f"/committee/proposals/{proposal.pk}/declare/",
        )
    return assignment


def assignment_remove(*, assignment: Assignment, by) -> None:
    require_staff(by)
    with transaction.atomic():
        audit_record(actor=by, action="assignment.remove", target=assignment.proposal,
                     data={"member": assignment.member_id})
        assignment.delete()


def conflict_declare(*, member: CommitteeMember, proposal: Proposal, has_conflict: bool, reason: str = "") -> (
    ConflictDeclaration
):
    """The member's own declaration. "No conflict" may later become a conflict; a conflict is never withdrawn."""
    user = member.user
    if not rules.is_active_member(user) or not rules.has_proposal_before_them(user, proposal):
        raise PermissionDenied(_("This proposal is not before you."))
    reason = (reason or "").strip()
    if has_conflict and not reason:
        raise ValidationError({"reason": _("Say briefly what the conflict of interest is.")})
    with transaction.atomic():
        existing = ConflictDeclaration.objects.select_for_update().filter(member=member, proposal=proposal).first()
        if existing is not None:
            if existing.has_conflict:
                raise TransitionRefused(_("You declared a conflict of interest on this proposal; it stays recorded."))
            if not has_conflict:
                return existing
            existing.has_conflict = True
            existing.reason = reason
            existing.declared_at = timezone.now()
            existing.save(update_fields=["has_conflict", "reason", "declared_at"])
            declaration = existing
        else:
            declaration = ConflictDeclaration.objects.create(
                member=member, proposal=proposal, has_conflict=has_conflict, reason=reason
            )
        audit_record(actor=user, action="conflict.declare", target=proposal,
                     data={"member": member.pk, "has_conflict": has_conflict})
    return declaration


# --- reviews ---------------------------------------------------------------------------------------------


def weighted_total(pairs: Iterable[tuple[int, Decimal]]) -> Decimal:
    """Sum(value × weight) / Sum(weight), exact in Decimal, rounded half-up to 2 places.

    Weights are relative (normalised here), so 20/20/15/15/15/15 and 4/4/3/3/3/3 give the same total.
    """
    pairs = list(pairs)
    total_weight = sum((Decimal(w) for _v, w in pairs), Decimal(0))
    if not pairs or total_weight <= 0:
        raise ValidationError(_("The rubric has no weighted criteria."))
    weighted = sum((Decimal(v) * Decimal(w) for v, w in pairs), Decimal(0))
    return (weighted / total_weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def review_submit(
    *, member: CommitteeMember, proposal: Proposal, scores: Mapping[int, Mapping], comment: str = ""
) -> Review:
    """Store a member's scores (criterion id → {"value": 1..5, "comment": ...}) for every rubric criterion."""
    user = member.user
    if rules.declared_conflict(user, proposal):
        raise PermissionDenied(_("You declared a conflict of interest on this proposal and cannot score it."))
    if not rules.can_read_as_member(user, proposal):
        raise PermissionDenied(_("Declare whether you have a conflict of interest before reviewing this proposal."))
    if not rules.in_committee_review(user, proposal):
        raise TransitionRefused(_("Scores can only be given while the proposal is in committee review."))
    criteria = selectors.criteria_for(proposal)
    if not criteria:
        raise ValidationError(_("The programme has no scoring rubric yet."))
    errors = {}
    cleaned: dict[int, tuple[int, str]] = {}
    for criterion in criteria:
        given = scores.get(criterion.pk) or scores.get(str(criterion.pk))
        raw = given.get("value") if given else None
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or not 1 <= value <= 5:
            errors[f"criterion_{criterion.pk}"] = _("Give %(name)s a score from 1 to 5.") % {"name": criterion.name}
            continue
        cleaned[criterion.pk] = (value, (given.get("comment") or "").strip())
    if errors:
        raise ValidationError(errors)
    total = weighted_total((cleaned[c.pk][0], c.weight) for c in criteria)
    with transaction.atomic():
        review, _created = Review.objects.select_for_update().get_or_create(member=member, proposal=proposal)
        review.scores.all().delete()
        Score.objects.bulk_create(
            Score(review=review, criterion_id=pk, value=value, comment=text) for pk, (value, text) in cleaned.items()
        )
        review.comment = (comment or "").strip()
        review.weighted_total = total
        review.submitted_at = timezone.now()
        review.save(update_fields=["comment", "weighted_total", "submitted_at"])
        audit_record(actor=user, action="review.submit", target=proposal,
                     data={"review": review.pk, "weighted_total": str(total)})
    return review


# --- minutes ---------------------------------------------------------------------------------------------


def minutes_text(*, meeting: Meeting) -> str:
    """The generated minutes, in the portal's default language (the official record)."""
    attendance = list(
        meeting.attendances.select_related("member__user").order_by("-present", "member__user__full_name")
    )
    decisions = list(meeting.decisions.select_related("proposal").prefetch_related("recused__user"))
    with translation.override(settings.LANGUAGE_CODE), timezone.override("Asia/Seoul"):
        return render_to_string("committee/minutes.txt", using="text", context={
            "meeting": meeting, "present": [a.member for a in attendance if a.present],
            "absent": [a.member for a in attendance if not a.present], "decisions": decisions,
            "quorum": selectors.quorum_for(meeting=meeting),
        }).strip() + "\n"


def minutes_generate(*, meeting: Meeting, by) -> Minutes:
    """Create the draft minutes, or regenerate a draft from the current record."""
    require_staff(by)
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
        if minutes is not None and minutes.status == MinutesStatus.FINAL:
            raise MinutesFinal(_("These minutes are final and cannot be changed."))
        body = minutes_text(meeting=meeting)
        if minutes is None:
            minutes = Minutes.objects.create(meeting=meeting, body=body)
        else:
            minutes.body = body
            minutes.save(update_fields=["body", "updated_at"])
        audit_record(actor=by, action="minutes.generate", target=minutes)
    return minutes


def minutes_update(*, minutes: Minutes, body: str, by) -> Minutes:
    require_staff(by)
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.status == MinutesStatus.FINAL:
            raise MinutesFinal(_("These minutes are final and cannot be changed."))
        if not (body or "").strip():
            raise ValidationError({"body": _("The minutes cannot be empty.")})
        minutes.body = body.strip() + "\n"
        minutes.save(update_fields=["body", "updated_at"])
        audit_record(actor=by, action="minutes.update", target=minutes)
    return minutes


def minutes_finalise(*, minutes: Minutes, by) -> Minutes:
    """Final minutes are immutable; the meeting is closed with them."""
    require_staff(by)
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
        if minutes.status == MinutesStatus.FINAL:
            raise MinutesFinal(_("These minutes are already final."))
        minutes.status = MinutesStatus.FINAL
        minutes.finalised_at = timezone.now()
        minutes.finalised_by = by
        minutes.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
        Meeting.objects.filter(pk=minutes.meeting_id).update(status=MeetingStatus.CLOSED)
        audit_record(actor=by, action="minutes.finalise", target=minutes)
    return minutes


# --- reminders -------------------------------------------------------------------------------------------


def review_reminders_send(*, now=None) -> int:
    """Remind members of unsubmitted reviews 3 days and 1 day before a meeting, each occasion exactly once."""
    now = now or timezone.now()
    sent = 0
    meetings = Meeting.objects.filter(
        status=MeetingStatus.PLANNED, starts_at__gt=now, starts_at__lte=now + timedelta(days=3)
    )
    for meeting in meetings:
        occasion = "1d" if meeting.starts_at - now <= timedelta(days=1) else "3d"
        for member, proposals in selectors.reviews_pending(meeting=meeting).items():
            with transaction.atomic():
                if not reminder_claim(key=f"committee-review:{meeting.pk}:{member.pk}:{occasion}"):
                    continue
                notify(
                    event="committee_review_reminder", recipients=[member.user],
                    context={"meeting": meeting, "proposals": proposals, "occasion": occasion},
                    url="/committee/",
                )
                sent += 1
    return sent
