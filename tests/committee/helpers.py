"""Committee test data: moved to tests/factories/committee.py; this module keeps the old import path."""

from tests.factories.committee import (
    KCITY_CRITERIA,
    committee,
    decided_setup,
    meeting_for,
    member,
    proposal_in_review,
    rubric,
)

__all__ = ["KCITY_CRITERIA", "committee", "decided_setup", "meeting_for", "member", "proposal_in_review", "rubric"]
