"""Reads shared by views, admin and the API, with their related rows fetched up front."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Membership, Role
from proposals.models import Proposal


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """Every proposal this person may see. The single source for lists, detail pages and the API."""
    qs = Proposal.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_superuser or user.role == Role.STAFF:
        return qs
    team = (
        Q(owner=user)
        | Q(Exists(Proposal.collaborators.through.objects.filter(proposal_id=OuterRef("pk"), user_id=user.pk)))
        | Q(Exists(Membership.objects.filter(organisation_id=OuterRef("organisation_id"), user_id=user.pk)))
    )
    if user.role == Role.CENTRE_STAFF:
        team |= Q(cooperation_centre__staff=user)
    if user.role == Role.CONSULTANT:
        # A consultant sees the proposals people booked sessions with them about.
        from consulting.models import Booking

        team |= Q(Exists(Booking.objects.filter(proposal_id=OuterRef("pk"), consultant__user_id=user.pk)))
    if user.role == Role.COMMITTEE_MEMBER:
        # Assigned to them or on a committee agenda, and only once they have declared no conflict of interest.
        from committee.selectors import committee_cleared_q

        team |= committee_cleared_q(user)
    return qs.filter(team)


def proposal_list(*, user, status: str | None = None) -> QuerySet[Proposal]:
    qs = proposals_visible_to(user).select_related(
        "track", "track__programme", "organisation", "owner", "cycle", "cooperation_centre", "assigned_to"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-id")


def proposal_detail(*, user, pk: int) -> Proposal:
    """One proposal with what its page shows; raises Proposal.DoesNotExist (a 404) when not visible."""
    return (
        proposal_list(user=user)
        .prefetch_related("contacts", "attachments", "status_changes__by", "collaborators", "invitations")
        .get(pk=pk)
    )
