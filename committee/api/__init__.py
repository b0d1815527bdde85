"""`/api/v1/committee/...`: serializers (committee.api.serializers) and viewsets (committee.api.viewsets) on the
core API base, calling the same services and asking the same permissions as the pages."""

from committee.api.viewsets import (
    AgendaItemViewSet,
    AssignmentViewSet,
    CommitteeFileViewSet,
    DecisionRuleViewSet,
    DecisionViewSet,
    DeclarationViewSet,
    MeetingViewSet,
    MemberViewSet,
    ReviewViewSet,
    VoteViewSet,
)


def register(router):
    router.register("committee/members", MemberViewSet, basename="committee-member")
    router.register("committee/meetings", MeetingViewSet, basename="committee-meeting")
    router.register("committee/agenda-items", AgendaItemViewSet, basename="committee-agenda-item")
    router.register("committee/assignments", AssignmentViewSet, basename="committee-assignment")
    router.register("committee/declarations", DeclarationViewSet, basename="committee-declaration")
    router.register("committee/proposals", CommitteeFileViewSet, basename="committee-proposal")
    router.register("committee/reviews", ReviewViewSet, basename="committee-review")
    router.register("committee/votes", VoteViewSet, basename="committee-vote")
    router.register("committee/decisions", DecisionViewSet, basename="committee-decision")
    router.register("committee/decision-rules", DecisionRuleViewSet, basename="committee-decision-rule")
