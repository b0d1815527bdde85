"""Reads the work plan, results and budget pages and the API share: each list comes back with what its rows show
already joined or prefetched (no query per row), and objects are found only inside projects the person may see
(another party's item is a 404, as its project is)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404

from accounts.models import Role
from cooperation.models import (
    BudgetRevision,
    Deliverable,
    DeliverableVersion,
    DueDateRevision,
    Indicator,
    IndicatorPeriod,
    Milestone,
    OdaFollowUp,
    OrganisationRole,
    Participant,
    PlannedDisbursement,
    Project,
    RelatedProject,
    RevisionState,
    Side,
    Transaction,
    TransactionKind,
)
from cooperation.selectors import projects_visible_to

User = get_user_model()


# --- who hears about it ---------------------------------------------------------------------------------------

def people_on_side(project: Project, side: str) -> QuerySet:
    """The active people on one side of a project: the partner organisation's members, the contractors' staff on
    it, the centre's staff, or MOLIT (the staff member the proposal is assigned to, else every staff member)."""
    users = User.objects.filter(is_active=True)
    if side == Side.PARTNER:
        return users.filter(memberships__organisation_id=project.partner_organisation_id).distinct()
    if side == Side.CONTRACTOR:
        return users.filter(project_memberships__project_id=project.pk).distinct()
    if side == Side.CENTRE:
        if not project.cooperation_centre_id:
            return users.none()
        return users.filter(cooperation_centres=project.cooperation_centre_id).distinct()
    assigned = project.proposal.assigned_to_id
    if assigned:
        return users.filter(pk=assigned)
    return users.filter(Q(role=Role.STAFF) | Q(is_superuser=True))


# --- the work plan -------------------------------------------------------------------------------------------

def _versions():
    return Prefetch("versions", queryset=DeliverableVersion.objects.select_related("document", "uploaded_by"))


def _revisions():
    return Prefetch("revisions", queryset=DueDateRevision.objects.select_related("requested_by", "decided_by"))


def milestones_of(project: Project) -> QuerySet[Milestone]:
    """The plan in staff's order, each milestone with its deliverables, their versions and every revision."""
    deliverables = (Deliverable.objects.order_by("order", "due_date", "id")
                    .prefetch_related(_versions(), _revisions()))
    return (Milestone.objects.filter(project=project).order_by("order", "due_date", "id")
            .prefetch_related(Prefetch("deliverables", queryset=deliverables), _revisions()))


def milestones_visible_to(user) -> QuerySet[Milestone]:
    return (Milestone.objects.filter(project__in=projects_visible_to(user)).select_related("project")
            .order_by("project_id", "order", "due_date", "id"))


def deliverables_visible_to(user) -> QuerySet[Deliverable]:
    return (Deliverable.objects.filter(milestone__project__in=projects_visible_to(user))
            .select_related("milestone", "milestone__project").prefetch_related(_versions())
            .order_by("milestone__project_id", "milestone_id", "order", "due_date", "id"))


def milestone_for(user, project: Project, pk) -> Milestone:
    item = Milestone.objects.filter(project=project, pk=pk).select_related("project").first()
    if item is None:
        raise Http404
    return item


def deliverable_for(user, project: Project, pk) -> Deliverable:
    item = (Deliverable.objects.filter(milestone__project=project, pk=pk)
            .select_related("milestone", "milestone__project").first())
    if item is None:
        raise Http404
    return item


def revision_for(user, project: Project, pk) -> DueDateRevision:
    revision = (DueDateRevision.objects
                .filter(Q(milestone__project=project) | Q(deliverable__milestone__project=project), pk=pk)
                .select_related("milestone", "milestone__project", "deliverable", "deliverable__milestone",
                                "deliverable__milestone__project").first())
    if revision is None:
        raise Http404
    return revision


def open_revision_ids(milestones) -> set[tuple[str, int]]:
    """{("milestone"|"deliverable", id)} of items with a request awaiting approval, from prefetched rows."""
    found = set()
    for milestone in milestones:
        if any(r.state == RevisionState.REQUESTED for r in milestone.revisions.all()):
            found.add(("milestone", milestone.pk))
        for deliverable in milestone.deliverables.all():
            if any(r.state == RevisionState.REQUESTED for r in deliverable.revisions.all()):
                found.add(("deliverable", deliverable.pk))
    return found


# --- results ---------------------------------------------------------------------------------------------------

def _periods():
    return Prefetch("periods", queryset=IndicatorPeriod.objects.select_related("evidence", "actual_by"))


def indicators_of(project: Project) -> QuerySet[Indicator]:
    """The project's indicators in the framework's order (objective, then indicator), each with its periods."""
    return (Indicator.objects.filter(objective__project=project).select_related("objective")
            .prefetch_related(_periods()).order_by("objective__order", "objective_id", "order", "id"))


def indicators_visible_to(user) -> QuerySet[Indicator]:
    return (Indicator.objects.filter(objective__project__in=projects_visible_to(user))
            .select_related("objective", "objective__project").prefetch_related(_periods())
            .order_by("objective__project_id", "objective__order", "objective_id", "order", "id"))


def period_for(user, project: Project, pk) -> IndicatorPeriod:
    period = (IndicatorPeriod.objects.filter(indicator__objective__project=project, pk=pk)
              .select_related("indicator", "indicator__objective", "indicator__objective__project").first())
    if period is None:
        raise Http404
    return period


# --- budget and ODA ---------------------------------------------------------------------------------------------

def receivers_of(project: Project) -> QuerySet[Participant]:
    """Who support may be paid to: the project's implementing participants (the Korean contractors)."""
    return (Participant.objects.filter(project=project, role=OrganisationRole.IMPLEMENTING, side=Side.CONTRACTOR)
            .order_by("order", "id"))


@dataclass(frozen=True)
class BudgetTotals:
    approved: int
    current: int
    committed: int
    disbursed: int

    @property
    def remaining(self) -> int:
        """What is still to be paid out of the current budget."""
        return self.current - self.disbursed

    @property
    def uncommitted(self) -> int:
        return self.current - self.committed


def current_budget(project: Project) -> int:
    """The approved amount as last revised (the decision's amount when never revised)."""
    latest = BudgetRevision.objects.filter(project=project).order_by("-approved_at", "-id").first()
    return latest.amount_krw if latest else project.support_amount_krw


def budget_totals(project: Project) -> BudgetTotals:
    sums = Transaction.objects.filter(project=project).aggregate(
        committed=Sum("amount_krw", filter=Q(kind=TransactionKind.OUTGOING_COMMITMENT)),
        disbursed=Sum("amount_krw", filter=Q(kind=TransactionKind.DISBURSEMENT)),
    )
    return BudgetTotals(approved=project.support_amount_krw, current=current_budget(project),
                        committed=sums["committed"] or 0, disbursed=sums["disbursed"] or 0)


def budget_revisions_of(project: Project) -> QuerySet[BudgetRevision]:
    return BudgetRevision.objects.filter(project=project).select_related("approved_by").order_by("-approved_at", "-id")


def transactions_of(project: Project) -> QuerySet[Transaction]:
    return Transaction.objects.filter(project=project).select_related("receiver").order_by("-date", "-id")


def planned_disbursements_of(project: Project) -> QuerySet[PlannedDisbursement]:
    return (PlannedDisbursement.objects.filter(project=project).select_related("receiver")
            .order_by("period_start", "id"))


def oda_of(project: Project) -> QuerySet[OdaFollowUp]:
    return OdaFollowUp.objects.filter(project=project).order_by("-stage_date", "-id")


def related_of(project: Project) -> QuerySet[RelatedProject]:
    return RelatedProject.objects.filter(project=project).select_related("to_project").order_by("kind", "id")


def transactions_visible_to(user) -> QuerySet[Transaction]:
    return (Transaction.objects.filter(project__in=projects_visible_to(user)).select_related("receiver")
            .order_by("project_id", "-date", "-id"))


def oda_visible_to(user) -> QuerySet[OdaFollowUp]:
    return OdaFollowUp.objects.filter(project__in=projects_visible_to(user)).order_by("project_id", "-stage_date",
                                                                                      "-id")


def budgets_visible_to(user) -> QuerySet[Project]:
    """Projects with their budget sums in the same query (one row per project for the API)."""
    revised = BudgetRevision.objects.filter(project_id=OuterRef("pk")).order_by("-approved_at", "-id")
    return (projects_visible_to(user)
            .annotate(
                committed_krw=Sum("transactions__amount_krw",
                                  filter=Q(transactions__kind=TransactionKind.OUTGOING_COMMITMENT)),
                disbursed_krw=Sum("transactions__amount_krw",
                                  filter=Q(transactions__kind=TransactionKind.DISBURSEMENT)),
                current_krw=Subquery(revised.values("amount_krw")[:1]),
            )
            .prefetch_related(Prefetch("budget_revisions", queryset=BudgetRevision.objects.order_by("-approved_at",
                                                                                                   "-id")))
            .order_by("-opened_at", "-id"))
