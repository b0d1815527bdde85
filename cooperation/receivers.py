"""Cooperation's answers to the lower apps' hooks. Receivers decide nothing themselves: they call the services."""

from committee.models import Outcome
from cooperation.services import project_open


def project_open_on_approval(*, decision, proposal, by, **_kwargs) -> None:
    """committee.decision_released: an approval's project opens when the outcome is released."""
    if decision.outcome != Outcome.APPROVE:
        return
    project_open(proposal=proposal, support_amount_krw=decision.support_amount_krw, conditions=decision.conditions,
                 by=by)
