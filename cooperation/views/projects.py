"""The project list, the project page (overview: header, participants, people, conditions, health summary) and
what staff do from it (edit the details, move the activity status, add an implementing organisation, invite a
contractor's staff member), and the cooperation centre's regional dashboard. The documents, messages and
timeline tabs are in views/project_tabs.py; this module lists the concept's URLs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperation import selectors_project as reads
from cooperation.forms_project import InviteForm, ParticipantForm, ProjectEditForm, ProjectFilterForm, StatusForm
from cooperation.receivers_project import NAV_SESSION_KEY
from cooperation.rules import REFUSALS
from cooperation.services import (
    contractor_invite,
    participant_add,
    project_save,
    project_status_change,
    status_moves_for,
)
from cooperation.views import project_tabs
from cooperation.views.project_tabs import project_context, project_or_404
from core.errors import DomainError
from core.paging import page_of
from proposals.views.common import add_form_errors, error_messages
from proposals.workspace_reads import workspace_rows


def _refuse(name: str):
    raise PermissionDenied(REFUSALS[name])


@login_required
def project_list(request):
    user = request.user
    if user.role == "applicant":  # keep the navigation's answer fresh (set at sign-in, receivers_project)
        request.session[NAV_SESSION_KEY] = reads.projects_visible_to(user).exists()
    form = ProjectFilterForm(request.GET or None, country_codes=reads.project_countries(user=user))
    status = country = None
    if form.is_bound and form.is_valid():
        status, country = form.cleaned_data["status"], form.cleaned_data["country"] or None
    page = page_of(request, reads.project_list(user=user, status=status, country=country))
    return render(request, "cooperation/project/list.html", {
        "page": page, "projects": page.object_list, "form": form, "filtered": bool(status or country),
        "can_follow_region": user.has_perm("cooperation.follow_region"),
    })


def _overview(request, project, **forms):
    user = request.user
    context = project_context(request, project, "overview",
                              people=reads.people_for(project), health=reads.health_for(project),
                              moves=status_moves_for(user, project))
    if context["can_manage"] and project.is_open:
        context["participant_form"] = forms.get("participant_form") or ParticipantForm()
        implementing = reads.implementing_participants(project)
        context["invite_form"] = forms.get("invite_form") or InviteForm(participants=implementing)
        context["has_implementing"] = implementing.exists()
        context["status_error"] = forms.get("status_error")
    return render(request, "cooperation/project/overview.html", context,
                  status=400 if forms else 200)  # forms are passed back only with their errors


@login_required
def project_overview(request, pk):
    return _overview(request, project_or_404(request, pk))


@login_required
def project_edit(request, pk):
    project = project_or_404(request, pk)
    if not request.user.has_perm("cooperation.manage_project", project):
        _refuse("cooperation.manage_project")
    form = ProjectEditForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            project_save(project=form.instance, by=request.user, changed=form.changed_fields())
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("The project's details are saved."))
            return redirect(project)
    return render(request, "cooperation/project/edit.html", project_context(request, project, "overview", form=form),
                  status=400 if form.errors else 200)


@login_required
@require_POST
def project_status(request, pk):
    project = project_or_404(request, pk)
    if not request.user.has_perm("cooperation.manage_project", project):
        _refuse("cooperation.manage_project")
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _overview(request, project, status_error=_("Choose one of the offered moves."))
    try:
        project_status_change(project=project, to=form.cleaned_data["to"], by=request.user,
                              note=form.cleaned_data["note"])
    except (ValidationError, DomainError) as exc:
        return _overview(request, project, status_error=" ".join(error_messages(exc)))
    messages.success(request, _("The project's activity status is now “%(status)s”.") % {
        "status": project.get_activity_status_display()})
    return redirect(project)


@login_required
@require_POST
def participant_new(request, pk):
    project = project_or_404(request, pk)
    if not request.user.has_perm("cooperation.manage_project", project):
        _refuse("cooperation.manage_project")
    form = ParticipantForm(request.POST)
    if form.is_valid():
        try:
            participant_add(project=project, by=request.user, name=form.cleaned_data["name"],
                            organisation=form.organisation(), share_krw=form.cleaned_data["share_krw"],
                            iati_ref=form.cleaned_data["iati_ref"])
        except (ValidationError, DomainError) as exc:
            if isinstance(exc, ValidationError):
                add_form_errors(form, exc)
            else:
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("%(name)s now implements the project.") % {"name": form.cleaned_data["name"]})
            return redirect(project)
    return _overview(request, project, participant_form=form)


@login_required
@require_POST
def member_invite(request, pk):
    project = project_or_404(request, pk)
    if not request.user.has_perm("cooperation.manage_project", project):
        _refuse("cooperation.manage_project")
    form = InviteForm(request.POST, participants=reads.implementing_participants(project))
    if form.is_valid():
        try:
            member = contractor_invite(project=project, participant=form.cleaned_data["participant"],
                                       email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"],
                                       by=request.user)
        except (ValidationError, DomainError) as exc:
            if isinstance(exc, ValidationError):
                add_form_errors(form, exc)
            else:
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("%(email)s is on the project and has been sent an invitation.")
                             % {"email": member.user.email})
            return redirect(project)
    return _overview(request, project, invite_form=form)


@login_required
def region_dashboard(request):
    """A centre's countries: their proposals (proposals' own visibility) and projects with what is overdue."""
    user = request.user
    if not user.has_perm("cooperation.follow_region"):
        _refuse("cooperation.follow_region")
    proposals = page_of(request, workspace_rows(user=user), param="proposals")
    projects = page_of(request, reads.project_list(user=user), param="projects")
    return render(request, "cooperation/project/region.html", {
        "proposals": proposals, "projects": projects, "countries": sorted(reads.centre_countries(user)),
    })


urlpatterns = [
    path("", project_list, name="projects"),
    path("region/", region_dashboard, name="region"),
    path("projects/<int:pk>/", project_overview, name="project"),
    path("projects/<int:pk>/edit/", project_edit, name="project-edit"),
    path("projects/<int:pk>/status/", project_status, name="project-status"),
    path("projects/<int:pk>/participants/", participant_new, name="participant-add"),
    path("projects/<int:pk>/people/invite/", member_invite, name="member-invite"),
    *project_tabs.urlpatterns,
]
