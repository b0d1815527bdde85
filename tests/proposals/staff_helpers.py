"""Proposals in a given workflow state: moved to tests/factories/ (proposals, consulting); this module keeps the old
import path."""

from dataclasses import dataclass

from proposals.models import Proposal
from tests.factories.consulting import filed_report
from tests.factories.proposals import PATHS, proposal_in, submitted_proposal

__all__ = ["PATHS", "DecisionStandIn", "committee_decision", "filed_report", "proposal_in", "submitted_proposal"]


@dataclass(frozen=True)
class DecisionStandIn:
    """The least a committee move needs (proposals.workflow.CommitteeDecision): a saved decision about this
    proposal deciding this outcome. The real one is committee.models.Decision, made by a meeting with quorum."""

    proposal_id: int
    target_status: str
    pk: int = 1


def committee_decision(proposal: Proposal, target: str) -> DecisionStandIn:
    return DecisionStandIn(proposal_id=proposal.pk, target_status=target)
