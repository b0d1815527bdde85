"""Cooperation pages: the Reports tab (reporting periods and their reports), a report's page, its draft form, and
staff's schedule. Each page finds the project through `project_for` and the report through `report_for`: a
non-party (or a partner asking for a draft) gets 404. Writes go through cooperation.services.reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cooperation import forms_reports as forms
from cooperation import selectors_reports as selectors
from cooperation.models import Milestone, ReportingPeriod, ReportStatus
from cooperation.rules import REFUSALS
from cooperation.selectors import project_for
from cooperation.services import reports as services
from core.errors import DomainError
from core.paging import page_of


def _refusal(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(getattr(error, "message", error) or _("That is not allowed."))


@login_required
def reports(request, pk):
    project = project_for(request.user, pk)
    periods = page_of(request, selectors.periods_of(project), per_page=12)
    drafts_seen = selectors.sees_drafts(request.user)
    today = timezone.localdate()
    rows = []
    for period in periods:
        versions = list(period.reports.all())
        current = versions[0] if versions else None
        submitted = any(version.status != ReportStatus.DRAFT for version in versions)
        rows.append({"period": period, "report": current,
                     "visible": current is not None and (drafts_seen or current.status != ReportStatus.DRAFT),
                     "overdue": period.due_date < today and not submitted})  # as the overview's health counts
    return render(request, "cooperation/reports/list.html", {
        "project": project, "tab": "reports", "periods": periods, "rows": rows,
        "may_draft": request.user.has_perm("cooperation.draft_report", project),
        "may_schedule": request.user.has_perm("cooperation.schedule_reports", project),
    })


@login_required
def schedule(request, pk):
    project = project_for(request.user, pk)
    if not request.user.has_perm("cooperation.schedule_reports", project):
        raise PermissionDenied(REFUSALS["cooperation.schedule_reports"])
    form = forms.ScheduleForm(request.POST or None, initial={"frequency": project.report_frequency})
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.reporting_schedule_set(project=project, frequency=form.cleaned_data["frequency"],
                                                     by=request.user)
        except (DomainError, ValidationError, PermissionDenied) as error:
            form.add_error(None, _refusal(error))
        else:
            messages.success(request, _("Schedule saved: %(created)s periods added, %(updated)s changed, %(removed)s "
                                        "removed, %(kept)s kept because they have reports.") % counts)
            return redirect("cooperation:reports", pk=project.pk)
    return render(request, "cooperation/reports/schedule.html", {
        "project": project, "tab": "reports", "form": form,
        "milestone_count": Milestone.objects.filter(project=project).count(),
    })


@login_required
@require_POST
def start(request, pk, period_pk):
    project = project_for(request.user, pk)
    period = get_object_or_404(ReportingPeriod.objects.select_related("project"), project=project, pk=period_pk)
    try:
        report = services.report_start(period=period, by=request.user)
    except (DomainError, ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
        return redirect("cooperation:reports", pk=project.pk)
    return redirect("cooperation:report-edit", pk=project.pk, report_pk=report.pk)


@login_required
def report(request, pk, report_pk):
    project = project_for(request.user, pk)
    record = selectors.report_for(request.user, project, report_pk)
    previous = selectors.previous_accepted(record)
    user = request.user
    return render(request, "cooperation/reports/report.html", {
        "project": project, "tab": "reports", "report": record, "previous": previous,
        "ratings": selectors.ratings_compared(record, previous),
        "versions": [v for v in selectors.versions_of(record)
                     if selectors.sees_drafts(user) or v.status != ReportStatus.DRAFT],
        "may_change": user.has_perm("cooperation.change_report", record),
        "may_acknowledge": user.has_perm("cooperation.acknowledge_report", record),
        "may_review": user.has_perm("cooperation.review_report", record),
        "may_revise": user.has_perm("cooperation.revise_report", record),
        "gaps": services.submission_gaps(record) if record.status == ReportStatus.DRAFT else [],
        "acknowledge_form": forms.AcknowledgeForm(), "review_form": forms.ReviewForm(),
    })


def _draft_form(request, record):
    project = record.project
    participants = list(services.implementing_participants(project)) if services.is_consortium(project) else []
    milestones = list(Milestone.objects.filter(project=project).order_by("due_date", "order", "id"))
    periods = list(services.indicator_periods_for(record.period))
    initial = {
        "summary": record.summary, "issues_and_needs": record.issues_and_needs,
        "rating_objectives": record.rating_objectives, "rating_implementation": record.rating_implementation,
        "rating_risk": record.rating_risk,
    }
    for row in record.milestone_progress.all():
        initial[f"ms-{row.milestone_id}-percent"] = row.percent_complete
        initial[f"ms-{row.milestone_id}-note"] = row.note
    for row in record.indicator_progress.all():
        initial[f"ip-{row.period_id}-actual"] = row.actual_value
        initial[f"ip-{row.period_id}-comment"] = row.comment
    for row in record.contributions.all():
        initial[f"co-{row.participant_id}-narrative"] = row.narrative
        initial[f"co-{row.participant_id}-spent"] = row.spent_krw
    form = forms.ReportDraftForm(request.POST or None, initial=initial, milestones=milestones,
                                 indicator_periods=periods, participants=participants,
                                 writable=services.speaks_for(request.user, project))
    risks = forms.RiskFormSet(request.POST or None, prefix="risk", initial=[
        {"description": r.description, "state": r.state, "mitigation": r.mitigation} for r in record.risks.all()])
    return form, risks


@login_required
def edit(request, pk, report_pk):
    project = project_for(request.user, pk)
    record = selectors.report_for(request.user, project, report_pk)
    if not request.user.has_perm("cooperation.change_report", record):
        messages.error(request, REFUSALS["cooperation.change_report"])
        return redirect("cooperation:report", pk=project.pk, report_pk=record.pk)
    form, risks = _draft_form(request, record)
    if request.method == "POST" and form.is_valid() and risks.is_valid():
        try:
            with transaction.atomic():
                services.report_save(report=record, by=request.user, risks=forms.risk_rows(risks),
                                     **form.service_kwargs())
                if request.POST.get("action") == "submit":
                    services.report_submit(report=record, by=request.user)
        except (DomainError, ValidationError, PermissionDenied) as error:
            form.add_error(None, _refusal(error))
        else:
            if request.POST.get("action") == "submit":
                messages.success(request, _("Report submitted. The partner government and staff are told."))
                return redirect("cooperation:report", pk=project.pk, report_pk=record.pk)
            messages.success(request, _("Draft saved."))
            return redirect("cooperation:report-edit", pk=project.pk, report_pk=record.pk)
    previous = selectors.previous_accepted(record)
    return render(request, "cooperation/reports/edit.html", {
        "project": project, "tab": "reports", "report": record, "form": form, "risks": risks,
        "previous": previous, "ratings": selectors.ratings_compared(record, previous),
        "attachment_form": forms.AttachmentForm(),
    })


@login_required
@require_POST
def attachment_add(request, pk, report_pk):
    project = project_for(request.user, pk)
    record = selectors.report_for(request.user, project, report_pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_attachment_add(report=record, upload=form.cleaned_data["file"],
                                           caption=form.cleaned_data["caption"], by=request.user)
        except (DomainError, ValidationError, PermissionDenied) as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, _("File attached."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("cooperation:report-edit", pk=project.pk, report_pk=record.pk)


@login_required
@require_POST
def attachment_remove(request, pk, report_pk, attachment_pk):
    project = project_for(request.user, pk)
    record = selectors.report_for(request.user, project, report_pk)
    attachment = next((a for a in record.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404
    try:
        services.report_attachment_remove(attachment=attachment, by=request.user)
    except (DomainError, ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("File removed from the draft."))
    return redirect("cooperation:report-edit", pk=project.pk, report_pk=record.pk)


@login_required
def attachment(request, pk, report_pk, attachment_pk):
    project = project_for(request.user, pk)
    record = selectors.report_for(request.user, project, report_pk)
    found = next((a for a in record.attachments.all() if a.pk == attachment_pk), None)
    if found is None:
        raise Http404
    document = found.document
    inline = document.content_type.startswith("image/") and request.GET.get("inline") == "1"
    response = FileResponse(document.file.open("rb"), as_attachment=not inline, filename=document.original_name,
                            content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


ACTIONS = {
    "submit": (None, gettext_lazy("Report submitted. The partner government and staff are told.")),
    "acknowledge": (forms.AcknowledgeForm, gettext_lazy("Acknowledged. The implementing side and staff are told.")),
    "accept": (forms.ReviewForm,
               gettext_lazy("Report accepted; its indicator actuals are now in the results framework.")),
    "request-changes": (forms.ReviewForm, gettext_lazy("Changes requested. The implementing side is told.")),
    "revise": (None, gettext_lazy("A new version is started from the previous one.")),
}


@login_required
@require_POST
def act(request, pk, report_pk, action):
    project = project_for(request.user, pk)
    record = selectors.report_for(request.user, project, report_pk)
    if action not in ACTIONS:
        raise Http404
    form_class, done = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("cooperation:report", pk=project.pk, report_pk=record.pk)
    data = form.cleaned_data if form is not None else {}
    try:
        if action == "submit":
            result = services.report_submit(report=record, by=request.user)
        elif action == "acknowledge":
            result = services.report_acknowledge(report=record, comment=data["comment"], by=request.user)
        elif action == "accept":
            result = services.report_accept(report=record, note=data["note"], by=request.user)
        elif action == "request-changes":
            result = services.report_request_changes(report=record, note=data["note"], by=request.user)
        else:
            result = services.report_revise(report=record, by=request.user)
    except (DomainError, ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
        return redirect("cooperation:report", pk=project.pk, report_pk=record.pk)
    messages.success(request, str(done))
    if action == "revise":
        return redirect("cooperation:report-edit", pk=project.pk, report_pk=result.pk)
    return redirect("cooperation:report", pk=project.pk, report_pk=result.pk)


urlpatterns = [
    path("projects/<int:pk>/reports/", reports, name="reports"),
    path("projects/<int:pk>/reports/schedule/", schedule, name="report-schedule"),
    path("projects/<int:pk>/reports/periods/<int:period_pk>/start/", start, name="report-start"),
    path("projects/<int:pk>/reports/<int:report_pk>/", report, name="report"),
    path("projects/<int:pk>/reports/<int:report_pk>/edit/", edit, name="report-edit"),
    path("projects/<int:pk>/reports/<int:report_pk>/attachments/", attachment_add, name="report-attachment-add"),
    path("projects/<int:pk>/reports/<int:report_pk>/attachments/<int:attachment_pk>/", attachment,
         name="report-attachment"),
    path("projects/<int:pk>/reports/<int:report_pk>/attachments/<int:attachment_pk>/remove/", attachment_remove,
         name="report-attachment-remove"),
    path("projects/<int:pk>/reports/<int:report_pk>/<slug:action>/", act, name="report-action"),
]
