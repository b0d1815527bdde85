"""Cooperation pages: the budget and ODA tab. Every party sees where the support goes (budget and its revisions,
planned disbursements, transactions to the contractors, totals) and the ODA follow-up path; staff keep them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from cooperation import rules
from cooperation.forms_finance import (
    BudgetRevisionForm,
    OdaForm,
    OdaMoveForm,
    PlannedDisbursementForm,
    RelatedForm,
    TransactionForm,
)
from cooperation.models import ODA_MOVES, OdaFollowUp, OdaStage, OrganisationRole, Project
from cooperation.selectors import project_for, projects_visible_to
from cooperation.selectors_meetings import decisions_approving_each
from cooperation.selectors_plan import (
    budget_revisions_of,
    budget_totals,
    oda_of,
    planned_disbursements_of,
    receivers_of,
    related_of,
    transactions_of,
)
from cooperation.services import finance as services
from cooperation.views.workplan import service_into_form
from core.paging import page_of


def _forms(project, data=None, bound=""):
    receivers = receivers_of(project)
    # Every participant is offered, so a receiver on the partner side is refused with the reason, not hidden.
    # The implementing contractors come first (the usual choice).
    participants = project.participants.order_by(
        Case(When(role=OrganisationRole.IMPLEMENTING, then=0), default=1), "role", "order", "id")
    others = Project.objects.none()  # the view narrows it to the projects this person sees

    def make(name, cls, **kw):
        return cls(data if bound == name else None, prefix=name, **kw)

    return {
        "budget": make("budget", BudgetRevisionForm),
        "planned": make("planned", PlannedDisbursementForm, participants=participants),
        "transaction": make("transaction", TransactionForm, participants=participants),
        "oda": make("oda", OdaForm),
        "related": make("related", RelatedForm, projects=others),
    }, receivers


@login_required
def finance(request, pk):
    project = project_for(request.user, pk)
    may_manage = request.user.has_perm("cooperation.manage_project")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    bound = "oda_move" if action.startswith("oda_move_") else action
    forms, receivers = _forms(project, request.POST, bound)
    forms["related"].fields["to_project"].queryset = (
        projects_visible_to(request.user).exclude(pk=project.pk).order_by("-opened_at", "-id"))
    move_form, moving = None, None
    if action:
        if not may_manage:
            raise PermissionDenied(rules.REFUSALS["cooperation.manage_project"])
        by = request.user
        if bound == "oda_move":
            moving = OdaFollowUp.objects.filter(project=project, pk=action.removeprefix("oda_move_")).first()
            if moving is None:
                raise Http404
            form = move_form = OdaMoveForm(request.POST, prefix=f"oda{moving.pk}")
            call = lambda: services.oda_move(follow_up=moving, by=by, **form.cleaned_data)  # noqa: E731
        else:
            form = forms.get(action)
            if form is None:
                raise Http404
            calls = {
                "budget": lambda: services.budget_revise(project=project, by=by, **form.cleaned_data),
                "planned": lambda: services.disbursement_plan(project=project, by=by, **form.cleaned_data),
                "transaction": lambda: services.transaction_record(project=project, by=by, **form.cleaned_data),
                "oda": lambda: services.oda_add(project=project, by=by, **form.cleaned_data),
                "related": lambda: services.related_add(project=project, by=by, **form.cleaned_data),
            }
            call = calls[action]
        if form.is_valid() and service_into_form(form, call):
            messages.success(request, _("Saved."))
            return redirect("cooperation:finance", project.pk)
    oda = list(oda_of(project))
    for row in oda:
        row.next_stages = [stage for source, stage in ODA_MOVES if source == row.stage]
        row.move_form = move_form if moving is not None and moving.pk == row.pk else OdaMoveForm(
            prefix=f"oda{row.pk}")
        row.move_form.fields["stage"].choices = [(stage, OdaStage(stage).label) for stage in
                                                 sorted(row.next_stages, key=list(OdaStage).index)]
    return render(request, "cooperation/finance/finance.html", {
        "project": project, "tab": "finance", "totals": budget_totals(project),
        "revisions": decisions_approving_each(budget_revisions_of(project)),
        "planned": list(planned_disbursements_of(project)),
        "transactions": page_of(request, transactions_of(project)), "oda": oda, "related": list(related_of(project)),
        "receivers": list(receivers), "may_manage": may_manage, "forms": forms if may_manage else {},
    }, status=400 if action else 200)


urlpatterns: list = [
    path("projects/<int:pk>/finance/", finance, name="finance"),
]
