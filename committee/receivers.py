"""What the committee app plugs into the proposals app (proposals.hooks); registered in CommitteeConfig.ready().

Each receiver only reads and answers: none changes state.
"""

from django.db.models import Q

from accounts.models import Role
from committee.selectors import committee_cleared_q


def cleared_member_sees_proposal(*, user) -> Q | None:
    """proposals.visibility: a member sees the proposals assigned to them or on a committee agenda, and only once
    they have declared no conflict of interest."""
    if user.role != Role.COMMITTEE_MEMBER:
        return None
    return committee_cleared_q(user)
