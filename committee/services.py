"""Every committee write: one transaction each, with its audit row and its notices.

Decisions are applied to the proposal only through proposals.services (the workflow's single door).
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
    DecisionLetter,
    LetterStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesFinal,
    MinutesStatus,
    Outcome,
    Review,
    Score,
    Vote,
    VoteChoice,
)
from kcity.errors import DomainError, TransitionRefused
from notifications.services import notify, reminder_claim
from proposals.models import Proposal
from proposals.workflow import Status

TWO_PLACES = Decimal("0.01")


class QuorumNotMet(DomainError):
    code = "quorum_not_met"


def _require_staff(by) -> None:
    if not rules.can_manage_committee(by):
        raise PermissionDenied(_("Only MOLIT staff and the secretariat can do this."))


# --- meetings and agenda -------------------------------------------------------------------------------


def meeting_create(
    *, programme, cycle, title: str, starts_at, by, place: str = "", video_link: str = "",
    quorum_fraction: Decimal | None = None, require_co_chair: bool = True,
) -> Meeting:
    _require_staff(by)
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
    _require_staff(by)
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
    _require_staff(by)
    with transaction.atomic():
        if item.meeting.status == MeetingStatus.CLOSED:
            raise TransitionRefused(_("This meeting is closed; its agenda can no longer change."))
        if Decision.objects.filter(meeting=item.meeting, proposal=item.proposal).exists():
            raise TransitionRefused(_("A decided proposal stays on the agenda."))
        audit_record(actor=by, action="agenda.remove", target=item.meeting, data={"proposal": item.proposal_id})
        item.delete()


def attendance_record(*, meeting: Meeting, present: Iterable[CommitteeMember], by) -> list[Attendance]:
    """Record who attended: every serving member gets a row (present or absent); the meeting is then held."""
    _require_staff(by)
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
    _require_staff(by)
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
    _require_staff(by)
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


# --- votes and decisions -------------------------------------------------------------------------------


def vote_cast(*, member: CommitteeMember, agenda_item: AgendaItem, choice: str) -> Vote:
    user = member.user
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": _("Choose for, against or abstain.")})
    if rules.declared_conflict(user, agenda_item.proposal):
        raise PermissionDenied(_("You declared a conflict of interest on this proposal and cannot vote on it."))
    if not rules.can_vote_on(user, agenda_item):
        raise PermissionDenied(
            _("You can vote only when recorded present at an open meeting, after declaring no conflict.")
        )
    with transaction.atomic():
        vote, _created = Vote.objects.update_or_create(
            agenda_item=agenda_item, member=member, defaults={"choice": choice}
        )
        audit_record(actor=user, action="vote.cast", target=agenda_item.meeting,
                     data={"proposal": agenda_item.proposal_id})
    return vote


def vote_tally(*, agenda_item: AgendaItem) -> dict[str, int]:
    counts = dict(agenda_item.votes.values_list("choice").annotate(n=Count("id")).values_list("choice", "n"))
    return {choice: counts.get(choice, 0) for choice in VoteChoice.values}


def decision_record(
    *, meeting: Meeting, proposal: Proposal, outcome: str, by, votes_for: int, votes_against: int,
    votes_abstain: int = 0, support_amount_krw: int | None = None, conditions: str = "", reasons: str = "",
) -> Decision:
    """Record the committee's decision and apply it: approve / reject through the workflow, defer to the next cycle.

    Refused when the meeting lacks quorum for this proposal (conflicted members are recused and do not count),
    when the votes exceed the members able to vote, or when the amount is outside the track's cap.
    """
    from cooperation.services import project_open
    from proposals.services import proposal_defer_to_next_cycle, proposal_transition

    _require_staff(by)
    conditions, reasons = (conditions or "").strip(), (reasons or "").strip()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        proposal = Proposal.objects.select_related("track").get(pk=proposal.pk)
        if meeting.status == MeetingStatus.CLOSED:
            raise TransitionRefused(_("This meeting is closed; no more decisions can be recorded."))
        item = meeting.agenda_items.filter(proposal=proposal).first()
        if item is None:
            raise ValidationError(_("The proposal is not on this meeting's agenda."))
        if Decision.objects.filter(meeting=meeting, proposal=proposal).exists():
            raise TransitionRefused(_("This meeting has already decided on this proposal."))
        if proposal.status != Status.COMMITTEE_REVIEW:
            raise TransitionRefused(_("Only a proposal in committee review can be decided."))
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": _("Choose approve, reject or defer.")})

        quorum = selectors.quorum_for(meeting=meeting, proposal=proposal)
        if quorum.present < quorum.required:
            raise QuorumNotMet(
                _("No quorum: %(present)s eligible members present, %(required)s needed.")
                % {"present": quorum.present, "required": quorum.required}
            )
        if quorum.require_co_chair and not quorum.co_chair_present:
            raise QuorumNotMet(_("No quorum: a co-chair must be present."))

        votes = {"votes_for": votes_for, "votes_against": votes_against, "votes_abstain": votes_abstain}
        if any(v is None or v < 0 for v in votes.values()):
            raise ValidationError(_("Vote counts cannot be negative."))
        if sum(votes.values()) > quorum.present:
            raise ValidationError(
                _("%(cast)s votes recorded but only %(present)s members present may vote (conflicted members are "
                  "recused).") % {"cast": sum(votes.values()), "present": quorum.present}
            )
        tally = vote_tally(agenda_item=item)
        if any(tally.values()) and (tally["for"], tally["against"], tally["abstain"]) != (
            votes_for, votes_against, votes_abstain
        ):
            raise ValidationError(
                _("The counts differ from the members' own votes (%(f)s for, %(a)s against, %(n)s abstaining).")
                % {"f": tally["for"], "a": tally["against"], "n": tally["abstain"]}
            )

        if outcome == Outcome.APPROVE:
            cap = proposal.track.support_cap_krw
            if not support_amount_krw or support_amount_krw <= 0:
                raise ValidationError({"support_amount_krw": _("Give the support amount in KRW.")})
            if support_amount_krw > cap:
                raise ValidationError({"support_amount_krw": _(
                    "KRW %(amount)s is above the %(track)s track's cap of KRW %(cap)s."
                ) % {"amount": f"{support_amount_krw:,}", "track": proposal.track.name, "cap": f"{cap:,}"}})
            if votes_for <= votes_against:
                raise ValidationError(_("An approval needs more votes for than against."))
        else:
            support_amount_krw = None
            if not reasons:
                raise ValidationError({"reasons": _("Give the reasons the applicant will read.")})

        decision = Decision.objects.create(
            meeting=meeting, proposal=proposal, outcome=outcome, support_amount_krw=support_amount_krw,
            conditions=conditions if outcome == Outcome.APPROVE else "", reasons=reasons, recorded_by=by,
            members_present=quorum.present, quorum_required=quorum.required,
            co_chair_present=quorum.co_chair_present, **votes,
        )
        decision.recused.set(quorum.recused)

        # The history (and the status notice the workflow sends) carries a neutral note: the reasons and
        # conditions reach the applicant in the decision letter, after staff have reviewed it.
        note = _("Decided by the committee at “%(meeting)s”; the decision letter follows.") % {"meeting": meeting}
        if outcome == Outcome.APPROVE:
            proposal_transition(proposal=proposal, to=Status.APPROVED, by=by, note=note, via_committee=True)
            proposal.refresh_from_db()
            project_open(proposal=proposal, support_amount_krw=support_amount_krw, conditions=conditions, by=by)
        elif outcome == Outcome.REJECT:
            proposal_transition(proposal=proposal, to=Status.REJECTED, by=by, note=note, via_committee=True)
        else:
            proposal_defer_to_next_cycle(proposal=proposal, by=by)

        DecisionLetter.objects.create(
            decision=decision, message=conditions if outcome == Outcome.APPROVE else reasons
        )
        audit_record(
            actor=by, action="decision.record", target=proposal,
            data={"meeting": meeting.pk, "outcome": outcome, "support_amount_krw": support_amount_krw, **votes,
                  "present": quorum.present, "required": quorum.required,
                  "recused": [m.pk for m in quorum.recused]},
        )
    return decision


# --- decision letters ------------------------------------------------------------------------------------


def letter_update(*, letter: DecisionLetter, message: str, by) -> DecisionLetter:
    _require_staff(by)
    with transaction.atomic():
        letter = DecisionLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != LetterStatus.DRAFT:
            raise TransitionRefused(_("This letter has been sent and can no longer change."))
        letter.message = (message or "").strip()
        letter.save(update_fields=["message"])
        audit_record(actor=by, action="letter.update", target=letter)
    return letter


def letter_approve(*, letter: DecisionLetter, by) -> DecisionLetter:
    """Staff approve the draft: the applicant team is told the outcome, each in their own language."""
    _require_staff(by)
    with transaction.atomic():
        letter = DecisionLetter.objects.select_for_update().select_related(
            "decision__proposal__owner", "decision__meeting"
        ).get(pk=letter.pk)
        if letter.status != LetterStatus.DRAFT:
            raise TransitionRefused(_("This letter was already sent."))
        decision = letter.decision
        proposal = decision.proposal
        now = timezone.now()
        letter.status = LetterStatus.SENT
        letter.approved_by = by
        letter.approved_at = now
        letter.sent_at = now
        letter.save(update_fields=["status", "approved_by", "approved_at", "sent_at"])
        notify(
            event="committee_decision",
            recipients=[proposal.owner, *proposal.collaborators.all()],
            context={"proposal": proposal, "decision": decision, "letter": letter},
            url=proposal.get_absolute_url(),
        )
        audit_record(actor=by, action="letter.approve", target=letter, data={"decision": decision.pk})
    return letter


# --- minutes ---------------------------------------------------------------------------------------------


def minutes_text(*, meeting: Meeting) -> str:
    """The generated minutes, in the portal's default language (the official record)."""
    attendance = list(
        meeting.attendances.select_related("member__user").order_by("-present", "member__user__full_name")
    )
    decisions = list(meeting.decisions.select_related("proposal").prefetch_related("recused__user"))
    with translation.override(settings.LANGUAGE_CODE), timezone.override("Asia/Seoul"):
        return render_to_string("committee/minutes.txt", {
            "meeting": meeting, "present": [a.member for a in attendance if a.present],
            "absent": [a.member for a in attendance if not a.present], "decisions": decisions,
            "quorum": selectors.quorum_for(meeting=meeting),
        }).strip() + "\n"


def minutes_generate(*, meeting: Meeting, by) -> Minutes:
    """Create the draft minutes, or regenerate a draft from the current record."""
    _require_staff(by)
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
    _require_staff(by)
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
    _require_staff(by)
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
