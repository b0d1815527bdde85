"""The proposals API: `/api/v1/proposals/` for applicants (applicant.py) and `/api/v1/staff/proposals/` for the
back office (staff.py), on the serializers in serializers.py. kcity.api_urls calls `register`."""

from proposals.api.applicant import ProposalAttachmentViewSet, ProposalMessageViewSet, ProposalViewSet
from proposals.api.serializers import (
    ProposalDetailSerializer,
    ProposalListSerializer,
    StaffProposalSerializer,
    TransitionSerializer,
)
from proposals.api.staff import StaffProposalViewSet


def register(router):
    router.register("proposals", ProposalViewSet, basename="proposal")
    router.register(r"proposals/(?P<proposal_pk>[0-9]+)/messages", ProposalMessageViewSet, basename="proposal-message")
    router.register(
        r"proposals/(?P<proposal_pk>[0-9]+)/attachments", ProposalAttachmentViewSet, basename="proposal-attachment"
    )
    router.register("staff/proposals", StaffProposalViewSet, basename="staff-proposal")


__all__ = [
    "ProposalAttachmentViewSet", "ProposalDetailSerializer", "ProposalListSerializer", "ProposalMessageViewSet",
    "ProposalViewSet", "StaffProposalSerializer", "StaffProposalViewSet", "TransitionSerializer", "register",
]
