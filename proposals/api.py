from rest_framework import mixins, serializers, viewsets

from proposals import selectors
from proposals.models import Proposal


class ProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proposal
        fields = ["id", "reference", "title", "status", "track", "country", "updated_at"]
        read_only_fields = fields


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProposalSerializer

    def get_queryset(self):
        return selectors.proposal_list(user=self.request.user)


def register(router):
    router.register("proposals", ProposalViewSet, basename="proposal")
