"""Cooperation pages: the results tab (objectives, indicators, each with its target-vs-actual chart, text summary
and data table) and each indicator's page (periods; staff set targets, the implementing side records actuals)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation import rules
from cooperation.chart_results import indicator_chart
from cooperation.forms_results import ActualForm, IndicatorForm, ObjectiveForm, PeriodForm, TargetChangeForm
from cooperation.models import Indicator, Objective
from cooperation.selectors import project_for
from cooperation.selectors_meetings import decisions_approving_each
from cooperation.selectors_plan import indicators_of
from cooperation.services import results as services
from cooperation.views.workplan import service_into_form
from core.errors import DomainError
from core.paging import page_of


@login_required
def results(request, pk):
    project = project_for(request.user, pk)
    may_manage = request.user.has_perm("cooperation.manage_project") and project.is_open
    objectives = Objective.objects.filter(project=project).order_by("order", "id")
    forms = {"objective": ObjectiveForm(prefix="objective"),
             "indicator": IndicatorForm(prefix="indicator", objectives=objectives)}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action:
        if not may_manage:
            raise PermissionDenied(rules.REFUSALS["cooperation.manage_project"])
        done = False
        if action == "agree":
            try:
                services.results_agree(project=project, by=request.user)
                done = True
            except DomainError as exc:
                messages.error(request, str(exc.message))
        elif action == "objective":
            form = forms["objective"] = ObjectiveForm(request.POST, prefix="objective")
            done = form.is_valid() and service_into_form(form, lambda: services.objective_create(
                project=project, by=request.user, **form.cleaned_data))
        elif action == "indicator":
            form = forms["indicator"] = IndicatorForm(request.POST, prefix="indicator", objectives=objectives)
            done = form.is_valid() and service_into_form(form, lambda: services.indicator_create(
                by=request.user, **form.cleaned_data))
        if done:
            messages.success(request, _("Saved."))
            return redirect("cooperation:results", project.pk)
    page = page_of(request, indicators_of(project))
    rows = list(page.object_list)
    for indicator in rows:
        indicator.chart = indicator_chart(indicator, indicator.periods.all())
        indicator.cid = f"chart-{indicator.pk}"
    return render(request, "cooperation/results/results.html", {
        "project": project, "tab": "results", "page": page, "indicators": rows, "objectives": objectives,
        "may_manage": may_manage, "forms": forms if may_manage else {},
    }, status=400 if action else 200)


@login_required
def indicator_page(request, pk, indicator_pk):
    project = project_for(request.user, pk)
    indicator = (Indicator.objects.filter(objective__project=project, pk=indicator_pk).select_related("objective")
                 .first())
    if indicator is None:
        raise Http404
    periods = indicator.periods.select_related("evidence", "actual_by").order_by("period_start", "id")
    started = periods.filter(period_start__lte=timezone.localdate())
    may_manage = request.user.has_perm("cooperation.manage_project") and project.is_open
    may_record = request.user.has_perm("cooperation.record_actual", project)
    action = request.POST.get("action", "") if request.method == "POST" else ""

    def make(name, cls, **kw):
        bound = action == name
        return cls(request.POST if bound else None, request.FILES if bound else None, prefix=name, **kw)

    forms = {"period": make("period", PeriodForm), "target": make("target", TargetChangeForm, periods=periods),
             "actual": make("actual", ActualForm, periods=started)}
    if action:
        if action in ("period", "target") and not may_manage:
            raise PermissionDenied(rules.REFUSALS["cooperation.manage_project"])
        if action == "actual" and not may_record:
            raise PermissionDenied(rules.REFUSALS["cooperation.record_actual"])
        form = forms.get(action)
        if form is None:
            raise Http404
        data = form.cleaned_data if form.is_valid() else None
        calls = {
            "period": lambda: services.period_add(indicator=indicator, by=request.user, **data),
            "target": lambda: services.period_target_change(by=request.user, **data),
            "actual": lambda: services.actual_record(period=data["period"], value=data["value"],
                                                     comment=data["comment"], evidence=data["evidence"],
                                                     by=request.user),
        }
        if data is not None and service_into_form(form, calls[action]):
            messages.success(request, _("Saved."))
            return redirect("cooperation:results-indicator", project.pk, indicator.pk)
    period_rows = decisions_approving_each(periods)  # a target's change shows the meeting that approved it
    return render(request, "cooperation/results/indicator.html", {
        "project": project, "tab": "results", "indicator": indicator, "periods": period_rows,
        "chart": indicator_chart(indicator, period_rows), "may_manage": may_manage, "may_record": may_record,
        "forms": forms, "has_started": bool(started),
    }, status=400 if action else 200)


urlpatterns: list = [
    path("projects/<int:pk>/results/", results, name="results"),
    path("projects/<int:pk>/results/indicators/<int:indicator_pk>/", indicator_page, name="results-indicator"),
]
