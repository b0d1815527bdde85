"""The proposals API: `/api/v1/proposals/` for applicants (applicant.py) and `/api/v1/staff/proposals/` for the
back office (staff.py), on the serializers in serializers.py. kcity.api_urls calls `register`."""

from proposals.api.applicant import ProposalAttachmentViewSet, ProposalMessageViewSet, ProposalViewSet
from proposals.api.catalogue import CooperationCentreViewSet, CycleViewSet, ProgrammeViewSet, TrackViewSet
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
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("tracks", TrackViewSet, basename="track")
    router.register("cycles", CycleViewSet, basename="cycle")
    router.register("cooperation-centres", CooperationCentreViewSet, basename="cooperation-centre")


__all__ = [
    "CooperationCentreViewSet", "CycleViewSet", "ProgrammeViewSet", "ProposalAttachmentViewSet",
    "ProposalDetailSerializer", "ProposalListSerializer", "ProposalMessageViewSet", "ProposalViewSet",
    "StaffProposalSerializer", "StaffProposalViewSet", "TrackViewSet", "TransitionSerializer", "register",
]
