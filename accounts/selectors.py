"""Reads about people that pages ask on every request."""

from accounts.models import Membership
from core.compiled import CompiledQuery

# Its SQL written once (core.compiled): the home page and the workspace ask it of every applicant's request.
_MEMBERSHIP = CompiledQuery(Membership, lambda viewer: Membership.objects.filter(user_id=viewer).values("pk")[:1])


def has_membership(user) -> bool:
    """Whether the person belongs to an organisation (`user.memberships.exists()`)."""
    return bool(_MEMBERSHIP.rows(user.pk))
