"""Committee decisions: members' votes, the decision itself (quorum, cap, workflow) and its letter.

Decisions are applied to the proposal only through proposals.services (the workflow's single door). The outcome
is released when its letter is sent: then `committee.decision_released` tells the higher apps (cooperation opens
the project of an approval).
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from committee import rules, selectors
from committee.hooks import decision_released
from committee.models import (
    COMMITTEE_TIME_ZONE,
    AgendaItem,
    CommitteeMember,
    Decision,
    DecisionLetter,
    DecisionRule,
    LetterStatus,
    Meeting,
    MeetingStatus,
    Outcome,
    RuleBasis,
    Vote,
    VoteChoice,
    VotingMode,
)
from committee.services.meetings import MEETING_NOT_OPEN
from core.amounts import krw
from core.errors import DomainError, TransitionRefused
from notifications.services import notify
from proposals.models import Proposal
from proposals.selectors import applicant_team
from proposals.services import proposal_decision_release, proposal_defer_to_next_cycle, proposal_transition
from proposals.workflow import Status


class QuorumNotMet(DomainError):
    code = "quorum_not_met"


class RuleNotMet(DomainError):
    code = "rule_not_met"


CHOOSE_A_VOTE = gettext_lazy("Choose for, against or abstain.")
IN_ROOM_NO_ONLINE_VOTES = gettext_lazy("This meeting counts votes in the room; members do not vote online.")
ONLINE_NO_ROOM_COUNT = gettext_lazy("This meeting votes online: the decision takes the members' own votes, not a "
                                    "count typed by staff.")


# --- votes and decisions -------------------------------------------------------------------------------


def _open_meeting_refusal(meeting: Meeting) -> str | None:
    """Why nothing can be decided or voted at this meeting now (None when the meeting is open)."""
    if meeting.status == MeetingStatus.CLOSED:
        return str(_("This meeting is closed; no more votes or decisions can be recorded."))
    if meeting.status != MeetingStatus.OPEN:
        if selectors.meeting_day(meeting) > timezone.localdate(timezone=ZoneInfo(COMMITTEE_TIME_ZONE)):
            return _("This meeting is dated %(day)s, in the future: nothing can be decided at it before it is held "
                     "and opened.") % {"day": date_format(selectors.meeting_day(meeting), "DATE_FORMAT")}
        return str(MEETING_NOT_OPEN)
    return None


def vote_cast(*, member: CommitteeMember, agenda_item: AgendaItem, choice: str) -> Vote:
    """A member's own vote, online, at an open meeting that votes online, when recorded present."""
    user = member.user
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": CHOOSE_A_VOTE})
    if rules.declared_conflict(user, agenda_item.proposal):
        raise PermissionDenied(rules.CONFLICT_NO_VOTING)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=agenda_item.meeting_id)
        refusal = _open_meeting_refusal(meeting)
        if refusal:
            raise TransitionRefused(refusal)
        if meeting.voting_mode != VotingMode.ONLINE:
            raise TransitionRefused(IN_ROOM_NO_ONLINE_VOTES)
        agenda_item.meeting = meeting
        if not rules.can_vote_on(user, agenda_item):
            raise PermissionDenied(rules.VOTE_NOT_ALLOWED)
        vote, _created = Vote.objects.update_or_create(
            agenda_item=agenda_item, member=member, defaults={"choice": choice}
        )
        audit_record(actor=user, action="vote.cast", target=meeting,
                     data={"proposal": agenda_item.proposal_id, "choice": choice})
    return vote


def _rule_words(rule: DecisionRule) -> str:
    """The rule as the decision keeps it: in the portal's default language, the language of the official record."""
    with translation.override(settings.LANGUAGE_CODE):
        return rule.describe()[:500]


def rule_shortfall(*, rule: DecisionRule, outcome: str, counts: dict[str, int], present: int) -> str | None:
    """Why the counts do not carry the outcome under the rule, with the numbers (None when they do). An approval
    counts the votes for, a rejection the votes against; a deferral needs only the quorum."""
    if outcome == Outcome.DEFER:
        return None
    side = "votes_for" if outcome == Outcome.APPROVE else "votes_against"
    got = counts[side]
    needed = rule.votes_needed(present=present, cast=counts["votes_for"] + counts["votes_against"])
    if got >= needed:
        return None
    label = _("for") if outcome == Outcome.APPROVE else _("against")
    values = {"got": got, "side": label, "present": present, "needed": needed,
              "cast": counts["votes_for"] + counts["votes_against"]}
    if rule.basis == RuleBasis.VOTES_CAST:
        text = _("%(got)s %(side)s of %(cast)s votes cast; needs %(needed)s.") % values
    elif rule.basis == RuleBasis.THRESHOLD:
        text = _("%(got)s %(side)s of %(present)s present; needs %(needed)s (a set number).") % values
    else:
        text = _("%(got)s %(side)s of %(present)s present; needs %(needed)s.") % values
    return _("The decision does not meet the rule: %(numbers)s") % {"numbers": text}


def decision_record(
    *, meeting: Meeting, proposal: Proposal, outcome: str, by, votes_for: int | None = None,
    votes_against: int | None = None, votes_abstain: int | None = None, support_amount_krw: int | None = None,
    conditions: str = "", reasons: str = "",
) -> Decision:
    """Record the committee's decision and apply it: approve / reject through the workflow, defer to the next cycle.

    Only at an open meeting (opened on or after its date). The votes are the staff's count in the room (an in-room
    meeting: the counts are required) or the members' own online votes (an online meeting: staff give no counts).
    Refused when the meeting lacks quorum for this proposal (conflicted members are recused and do not count), when
    the counts exceed the members able to vote, when they do not meet the meeting's decision rule (with the
    numbers), or when the amount is outside the track's cap.
    """
    rules.require(by, "committee.manage")
    conditions, reasons = (conditions or "").strip(), (reasons or "").strip()
    given = {"votes_for": votes_for, "votes_against": votes_against, "votes_abstain": votes_abstain}
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("decision_rule").get(pk=meeting.pk)
        proposal = Proposal.objects.select_related("track").get(pk=proposal.pk)
        refusal = _open_meeting_refusal(meeting)
        if refusal:
            raise TransitionRefused(refusal)
        item = meeting.agenda_items.filter(proposal=proposal).first()
        if item is None:
            raise ValidationError(_("The proposal is not on this meeting's agenda."))
        if Decision.objects.filter(meeting=meeting, proposal=proposal).exists():
            raise TransitionRefused(_("This meeting has already decided on this proposal."))
        if Decision.objects.filter(proposal=proposal, letter__status=LetterStatus.DRAFT).exists():
            # A deferral is applied when its letter goes out (letter_approve): until then it is still pending.
            raise TransitionRefused(_("An earlier decision on this proposal is waiting for its letter to be sent."))
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

        if meeting.voting_mode == VotingMode.ONLINE:
            if any(v is not None for v in given.values()):
                raise ValidationError(ONLINE_NO_ROOM_COUNT)
            tally = selectors.vote_tally(agenda_item=item)
            votes = {"votes_for": tally["for"], "votes_against": tally["against"], "votes_abstain": tally["abstain"]}
        else:
            if votes_for is None or votes_against is None:
                raise ValidationError(_("Give the votes counted in the room: for, against and abstaining."))
            votes = {**given, "votes_abstain": votes_abstain or 0}
            if any(v < 0 for v in votes.values()):
                raise ValidationError(_("Vote counts cannot be negative."))
        if sum(votes.values()) > quorum.present:
            raise ValidationError(
                _("%(cast)s votes recorded but only %(present)s members present may vote (conflicted members are "
                  "recused).") % {"cast": sum(votes.values()), "present": quorum.present}
            )
        rule = selectors.rule_for(meeting)
        shortfall = rule_shortfall(rule=rule, outcome=outcome, counts=votes, present=quorum.present)
        if shortfall:
            raise RuleNotMet(shortfall)
        needed = None
        if outcome != Outcome.DEFER:
            needed = rule.votes_needed(present=quorum.present, cast=votes["votes_for"] + votes["votes_against"])

        if outcome == Outcome.APPROVE:
            cap = proposal.track.support_cap_krw
            if not support_amount_krw or support_amount_krw <= 0:
                raise ValidationError({"support_amount_krw": _("Give the support amount in KRW.")})
            if support_amount_krw > cap:
                raise ValidationError({"support_amount_krw": _(
                    "%(amount)s is above the %(track)s track's cap of %(cap)s."
                ) % {"amount": krw(support_amount_krw), "track": proposal.track.name, "cap": krw(cap)}})
            if votes["votes_for"] <= votes["votes_against"]:
                raise RuleNotMet(_("An approval needs more votes for than against."))
        else:
            support_amount_krw = None
            if not reasons:
                raise ValidationError({"reasons": _("Give the reasons the applicant will read.")})

        decision = Decision.objects.create(
            meeting=meeting, proposal=proposal, outcome=outcome, support_amount_krw=support_amount_krw,
            conditions=conditions if outcome == Outcome.APPROVE else "", reasons=reasons, recorded_by=by,
            members_present=quorum.present, quorum_required=quorum.required,
            co_chair_present=quorum.co_chair_present, rule_text=_rule_words(rule), votes_needed=needed,
            voting_mode=meeting.voting_mode, **votes,
        )
        decision.recused.set(quorum.recused)

        # The history (and the status notice the workflow sends) carries a neutral note: the reasons and
        # conditions reach the applicant in the decision letter, after staff have reviewed it.
        note = _("Decided by the committee at “%(meeting)s”; the decision letter follows.") % {"meeting": meeting}
        if outcome == Outcome.APPROVE:
            proposal_transition(proposal=proposal, to=Status.APPROVED, by=by, note=note, decision=decision)
            proposal.refresh_from_db()
        elif outcome == Outcome.REJECT:
            proposal_transition(proposal=proposal, to=Status.REJECTED, by=by, note=note, decision=decision)
        # A deferral changes nothing the applicant can see yet: the proposal moves to the next cycle (with its
        # history row) when the reviewed letter is sent, like every other outcome (letter_approve).

        # The letter's own message is the staff's, written when they review it; the committee's conditions and
        # reasons stay on the decision and reach the applicant under their own headings.
        DecisionLetter.objects.create(decision=decision, message="")
        audit_record(
            actor=by, action="decision.record", target=proposal,
            data={"meeting": meeting.pk, "outcome": outcome, "support_amount_krw": support_amount_krw, **votes,
                  "present": quorum.present, "required": quorum.required, "votes_needed": needed,
                  "rule": rule.pk, "voting_mode": meeting.voting_mode,
                  "recused": [m.pk for m in quorum.recused]},
        )
    return decision


# --- decision letters ------------------------------------------------------------------------------------


def letter_update(*, letter: DecisionLetter, message: str, by) -> DecisionLetter:
    rules.require(by, "committee.manage")
    with transaction.atomic():
        letter = DecisionLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != LetterStatus.DRAFT:
            raise TransitionRefused(_("This letter has been sent and can no longer change."))
        letter.message = (message or "").strip()
        letter.save(update_fields=["message"])
        audit_record(actor=by, action="letter.update", target=letter)
    return letter


def letter_approve(*, letter: DecisionLetter, by, message: str | None = None) -> DecisionLetter:
    """Staff approve the draft (saved first with `message`, when given, in the same transaction): the outcome is
    released, the higher apps are told (committee.decision_released), and the applicant team is told the outcome,
    each in their own language."""
    rules.require(by, "committee.manage")
    with transaction.atomic():
        if message is not None:
            letter_update(letter=letter, message=message, by=by)
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
        if decision.outcome == Outcome.DEFER:
            proposal_defer_to_next_cycle(proposal=proposal, by=by)  # stays in review: nothing to release
            proposal.refresh_from_db()
        else:
            proposal_decision_release(proposal=proposal, by=by)  # the outcome becomes visible beyond staff now
        # Inside the transaction: what a receiver does (opening the project) stands or falls with the release.
        decision_released.send(decision=decision, proposal=proposal, by=by)
        notify(
            event="committee_decision",
            recipients=applicant_team(proposal),
            context={"proposal": proposal, "decision": decision, "letter": letter},
            url=proposal.get_absolute_url(),
        )
        audit_record(actor=by, action="letter.approve", target=letter, data={"decision": decision.pk})
    return letter
