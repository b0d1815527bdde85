"""Proposals in a given workflow state, reached through the real services (shared by the staff tests)."""

from dataclasses import dataclass

from proposals import services
from proposals.models import Proposal
from proposals.workflow import Status
from tests.factories import complete_proposal

PATHS = {
    Status.SUBMITTED: [],
    Status.SCREENING: [Status.SCREENING],
    Status.INFO_REQUESTED: [Status.SCREENING, Status.INFO_REQUESTED],
    Status.PRE_CONSULTING: [Status.SCREENING, Status.PRE_CONSULTING],
    Status.COMMITTEE_REVIEW: [Status.SCREENING, Status.COMMITTEE_REVIEW],
}


def submitted_proposal(**kwargs) -> Proposal:
    proposal = complete_proposal(**kwargs)
    services.proposal_submit(proposal=proposal, by=proposal.owner)
    proposal.refresh_from_db()
    return proposal


def proposal_in(status: str, *, staff, **kwargs) -> Proposal:
    proposal = submitted_proposal(**kwargs)
    for step in PATHS[status]:
        if step == Status.INFO_REQUESTED:
            services.proposal_request_info(proposal=proposal, by=staff, message="Please add the budget sheet.")
        else:
            services.proposal_transition(proposal=proposal, to=step, by=staff)
    proposal.refresh_from_db()
    return proposal


def filed_report(proposal: Proposal):
    """A held pre-consulting session with its filed report (written straight to the tables: a fixture)."""
    import datetime

    from django.utils import timezone

    from consulting.models import PreConsultingReport, Recommendation
    from tests.consulting.conftest import make_booking, make_consultant, make_session_type

    consultant = make_consultant(full_name="Park Ji-woo")
    start = timezone.now() - datetime.timedelta(days=2)
    booking = make_booking(consultant, make_session_type(), booked_by=proposal.owner, start=start,
                           proposal=proposal, status="held")
    return PreConsultingReport.objects.create(
        booking=booking, proposal=proposal, summary="Sound plan.", recommendation=Recommendation.values[0],
        filed_at=timezone.now(), filed_by=consultant.user,
    )


@dataclass(frozen=True)
class DecisionStandIn:
    """The least a committee move needs (proposals.workflow.CommitteeDecision): a saved decision about this
    proposal deciding this outcome. The real one is committee.models.Decision, made by a meeting with quorum."""

    proposal_id: int
    target_status: str
    pk: int = 1


def committee_decision(proposal: Proposal, target: str) -> DecisionStandIn:
    return DecisionStandIn(proposal_id=proposal.pk, target_status=target)
