"""/api/v1/cooperation/budgets/, transactions/ and oda/: where the support goes, read-only (staff keep it on the
page); the same visibility as the pages."""

from rest_framework import mixins, serializers

from cooperation.api.plan_common import PlanPermission, ProjectFilterMixin
from cooperation.models import BudgetRevision, OdaFollowUp, Project, Transaction
from cooperation.selectors_plan import budgets_visible_to, oda_visible_to, transactions_visible_to
from core.api import PortalViewSet


class BudgetRevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetRevision
        fields = ["previous_krw", "amount_krw", "reason", "approved_at"]


class BudgetSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="pk", read_only=True)
    approved_krw = serializers.IntegerField(source="support_amount_krw", read_only=True)
    current_krw = serializers.SerializerMethodField()
    committed_krw = serializers.SerializerMethodField()
    disbursed_krw = serializers.SerializerMethodField()
    remaining_krw = serializers.SerializerMethodField()
    revisions = BudgetRevisionSerializer(source="budget_revisions", many=True, read_only=True)

    class Meta:
        model = Project
        fields = ["project", "iati_identifier", "approved_krw", "current_krw", "committed_krw", "disbursed_krw",
                  "remaining_krw", "revisions"]

    def get_current_krw(self, obj) -> int:
        return obj.current_krw if obj.current_krw is not None else obj.support_amount_krw

    def get_committed_krw(self, obj) -> int:
        return obj.committed_krw or 0

    def get_disbursed_krw(self, obj) -> int:
        return obj.disbursed_krw or 0

    def get_remaining_krw(self, obj) -> int:
        return self.get_current_krw(obj) - self.get_disbursed_krw(obj)


class TransactionSerializer(serializers.ModelSerializer):
    receiver_name = serializers.CharField(source="receiver.name", read_only=True)

    class Meta:
        model = Transaction
        fields = ["id", "project", "kind", "date", "amount_krw", "receiver", "receiver_name", "description"]


class OdaSerializer(serializers.ModelSerializer):
    class Meta:
        model = OdaFollowUp
        fields = ["id", "project", "title", "partner", "partner_name", "stage", "amount_krw", "stage_date", "note",
                  "iati_identifier"]


class _ReadViewSet(ProjectFilterMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    permission_classes = [PlanPermission]


class BudgetViewSet(_ReadViewSet):
    serializer_class = BudgetSerializer
    project_lookup = "pk"

    def get_queryset(self):
        return self.filter_project(budgets_visible_to(self.request.user))


class TransactionViewSet(_ReadViewSet):
    serializer_class = TransactionSerializer

    def get_queryset(self):
        return self.filter_project(transactions_visible_to(self.request.user))


class OdaViewSet(_ReadViewSet):
    serializer_class = OdaSerializer

    def get_queryset(self):
        return self.filter_project(oda_visible_to(self.request.user))


def register(router) -> None:
    """Add this concept's viewsets to the API router."""
    router.register("cooperation/budgets", BudgetViewSet, basename="cooperation-budget")
    router.register("cooperation/transactions", TransactionViewSet, basename="cooperation-transaction")
    router.register("cooperation/oda", OdaViewSet, basename="cooperation-oda")
