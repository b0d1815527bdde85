"""Committee decisions: members' votes, the decision itself (quorum, cap, workflow) and its letter.

Decisions are applied to the proposal only through proposals.services (the workflow's single door). The outcome
is released when its letter is sent: then `committee.decision_released` tells the higher apps (cooperation opens
the project of an approval).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from committee import rules, selectors
from committee.hooks import decision_released
from committee.models import (
    AgendaItem,
    CommitteeMember,
    Decision,
    DecisionLetter,
    LetterStatus,
    Meeting,
    MeetingStatus,
    Outcome,
    Vote,
    VoteChoice,
)
from core.errors import DomainError, TransitionRefused
from notifications.services import notify
from proposals.models import Proposal
from proposals.selectors import applicant_team
from proposals.services import proposal_decision_release, proposal_defer_to_next_cycle, proposal_transition
from proposals.workflow import Status


class QuorumNotMet(DomainError):
    code = "quorum_not_met"


CHOOSE_A_VOTE = gettext_lazy("Choose for, against or abstain.")


# --- votes and decisions -------------------------------------------------------------------------------


def vote_cast(*, member: CommitteeMember, agenda_item: AgendaItem, choice: str) -> Vote:
    user = member.user
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": CHOOSE_A_VOTE})
    if rules.declared_conflict(user, agenda_item.proposal):
        raise PermissionDenied(rules.CONFLICT_NO_VOTING)
    if not rules.can_vote_on(user, agenda_item):
        raise PermissionDenied(rules.VOTE_NOT_ALLOWED)
    with transaction.atomic():
        vote, _created = Vote.objects.update_or_create(
            agenda_item=agenda_item, member=member, defaults={"choice": choice}
        )
        audit_record(actor=user, action="vote.cast", target=agenda_item.meeting,
                     data={"proposal": agenda_item.proposal_id})
    return vote


def decision_record(
    *, meeting: Meeting, proposal: Proposal, outcome: str, by, votes_for: int, votes_against: int,
    votes_abstain: int = 0, support_amount_krw: int | None = None, conditions: str = "", reasons: str = "",
) -> Decision:
    """Record the committee's decision and apply it: approve / reject through the workflow, defer to the next cycle.

    Refused when the meeting lacks quorum for this proposal (conflicted members are recused and do not count),
    when the votes exceed the members able to vote, or when the amount is outside the track's cap.
    """
    rules.require(by, "committee.manage")
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

        votes = {"votes_for": votes_for, "votes_against": votes_against, "votes_abstain": votes_abstain}
        if any(v is None or v < 0 for v in votes.values()):
            raise ValidationError(_("Vote counts cannot be negative."))
        if sum(votes.values()) > quorum.present:
            raise ValidationError(
                _("%(cast)s votes recorded but only %(present)s members present may vote (conflicted members are "
                  "recused).") % {"cast": sum(votes.values()), "present": quorum.present}
            )
        tally = selectors.vote_tally(agenda_item=item)
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
            proposal_transition(proposal=proposal, to=Status.APPROVED, by=by, note=note, decision=decision)
            proposal.refresh_from_db()
        elif outcome == Outcome.REJECT:
            proposal_transition(proposal=proposal, to=Status.REJECTED, by=by, note=note, decision=decision)
        # A deferral changes nothing the applicant can see yet: the proposal moves to the next cycle (with its
        # history row) when the reviewed letter is sent, like every other outcome (letter_approve).

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
