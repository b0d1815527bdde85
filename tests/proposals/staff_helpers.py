"""Proposals in a given workflow state: moved to tests/factories/ (proposals, consulting); this module keeps the old
import path."""

from tests.factories.consulting import filed_report
from tests.factories.proposals import PATHS, proposal_in, submitted_proposal

__all__ = ["PATHS", "filed_report", "proposal_in", "submitted_proposal"]
