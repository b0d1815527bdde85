"""Cooperation pages: the work plan tab (milestones with their deliverables) and each item's page, where its side
submits it, staff accept it or ask for changes, and either asks to move its due date. Every write is a service
call; a refusal comes back on the same form with what was typed kept. A deliverable's versions and an indicator's
evidence are project documents: they download through the documents tab's `cooperation:document-download`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation import rules
from cooperation.forms_workplan import (
    DeliverableSubmitForm,
    DueDateDecisionForm,
    DueDateRequestForm,
    ItemEditForm,
    MilestoneForm,
    MilestoneSubmitForm,
    ReviewForm,
)
from cooperation.models import RevisionState, Side, WorkStatus
from cooperation.selectors import project_for
from cooperation.selectors_meetings import decisions_approving_each
from cooperation.selectors_plan import (
    deliverable_for,
    milestone_for,
    milestones_of,
    open_revision_ids,
    revision_for,
)
from cooperation.services import workplan as services
from core.errors import DomainError
from core.paging import page_of
from core.redirects import safe_next_url


def service_into_form(form, call) -> bool:
    """Run `call()`; a refusal lands on `form` (a field's error on that field, the rest on the form)."""
    try:
        call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    except DomainError as exc:
        form.add_error(None, str(exc.message))
        return False
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You may not do this."))
        return False
    return True


def _flags(item, side, open_revisions, kind, project_open: bool) -> None:
    """What this person may do on an item, from the rules' pure answers (no query per row)."""
    item.kind = kind
    item.can_submit = project_open and rules.work_mover(side, item, WorkStatus.SUBMITTED)
    item.can_review = project_open and rules.work_mover(side, item, WorkStatus.ACCEPTED)
    item.can_ask = project_open and rules.may_ask_due_date(side, item, (kind, item.pk) in open_revisions)
    item.is_late = item.status != WorkStatus.ACCEPTED and item.due_date < timezone.localdate()


@login_required
def workplan(request, pk):
    project = project_for(request.user, pk)
    side = rules.side_of(request.user, project)
    may_manage = request.user.has_perm("cooperation.manage_project") and project.is_open
    form = MilestoneForm(prefix="milestone")
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(rules.REFUSALS["cooperation.manage_project"])
        form = MilestoneForm(request.POST, prefix="milestone")
        if form.is_valid() and service_into_form(form, lambda: services.milestone_create(
                project=project, by=request.user, **form.cleaned_data)):
            messages.success(request, _("Milestone added."))
            return redirect("cooperation:workplan", project.pk)
    page = page_of(request, milestones_of(project))
    rows = list(page.object_list)
    revisions = open_revision_ids(rows)
    for milestone in rows:
        _flags(milestone, side, revisions, "milestone", project.is_open)
        for deliverable in milestone.deliverables.all():
            _flags(deliverable, side, revisions, "deliverable", project.is_open)
    return render(request, "cooperation/workplan/workplan.html", {
        "project": project, "tab": "workplan", "side": side, "page": page, "milestones": rows,
        "form": form if may_manage else None, "may_manage": may_manage, "Side": Side,
    })


def _item(request, project, kind, item_pk):
    if kind == "milestone":
        return milestone_for(request.user, project, item_pk)
    if kind == "deliverable":
        return deliverable_for(request.user, project, item_pk)
    raise Http404


def _forms(item, kind, data=None, files=None, bound: str = ""):
    """The forms of the item page; only the one named by `bound` reads the request."""
    def make(name, cls, **kw):
        return cls(data if bound == name else None, files if bound == name else None, prefix=name, **kw)
    submit_cls = DeliverableSubmitForm if kind == "deliverable" else MilestoneSubmitForm
    return {
        "edit": make("edit", ItemEditForm, initial={"title": item.title, "description": item.description,
                                                    "owner_side": item.owner_side}),
        "submit": make("submit", submit_cls),
        "review": make("review", ReviewForm),
        "due_date": make("due_date", DueDateRequestForm),
        "decide": make("decide", DueDateDecisionForm),
        "deliverable": make("deliverable", MilestoneForm, initial={"due_date": item.due_date,
                                                                    "owner_side": item.owner_side}),
    }


def _act(request, project, item, kind, action, forms):
    """Apply the posted action through its service; True when it went through."""
    user = request.user
    if action in ("move_up", "move_down"):
        services.work_item_move(item=item, up=action == "move_up", by=user)
        return True
    if action.startswith("decide_"):
        form = forms["decide"]
        revision = revision_for(user, project, action.removeprefix("decide_"))
        if revision.item.pk != item.pk or type(revision.item) is not type(item):
            raise Http404
        return form.is_valid() and service_into_form(form, lambda: services.due_date_decide(
            revision=revision, approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"], by=user))
    form = forms.get(action)
    if form is None or not form.is_valid():
        return False
    data = form.cleaned_data
    if action == "edit":
        return service_into_form(form, lambda: services.work_item_update(item=item, by=user, **data))
    if action == "submit" and kind == "deliverable":
        return service_into_form(form, lambda: services.deliverable_submit(
            deliverable=item, upload=data["file"], note=data["note"],
            late_justification=data["late_justification"], by=user))
    if action == "submit":
        return service_into_form(form, lambda: services.milestone_submit(
            milestone=item, late_justification=data["late_justification"], by=user))
    if action == "review":
        return service_into_form(form, lambda: services.work_review(
            item=item, accept=data["decision"] == "accept", note=data["note"], by=user))
    if action == "due_date":
        return service_into_form(form, lambda: services.due_date_request(
            item=item, new_date=data["new_date"], reason=data["reason"], by=user))
    if action == "deliverable" and kind == "milestone":
        return service_into_form(form, lambda: services.deliverable_create(milestone=item, by=user, **data))
    return False


DONE = {
    "edit": _("Changes saved."), "submit": _("Submitted for acceptance."), "review": _("Decision recorded."),
    "due_date": _("Your request for a new due date is waiting for MOLIT's approval."),
    "deliverable": _("Deliverable added."), "move_up": _("Order changed."), "move_down": _("Order changed."),
}


@login_required
def work_item(request, pk, kind, item_pk):
    project = project_for(request.user, pk)
    item = _item(request, project, kind, item_pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    bound = "decide" if action.startswith("decide_") else action
    forms = _forms(item, kind, request.POST, request.FILES, bound=bound)
    if action:
        try:
            done = _act(request, project, item, kind, action, forms)
        except (DomainError, PermissionDenied) as exc:
            messages.error(request, str(getattr(exc, "message", exc)))
            done = False
        if done:
            messages.success(request, DONE.get(bound, _("Done.")))
            fallback = reverse("cooperation:workplan-item", args=[project.pk, kind, item.pk])
            return redirect(safe_next_url(request, fallback))
        item = _item(request, project, kind, item_pk)
    side = rules.side_of(request.user, project)
    revisions = decisions_approving_each(item.revisions.select_related("requested_by", "decided_by"))
    has_open = any(r.state == RevisionState.REQUESTED for r in revisions)
    _flags(item, side, {(kind, item.pk)} if has_open else set(), kind, project.is_open)
    may_manage = request.user.has_perm("cooperation.manage_project") and project.is_open
    context = {
        "project": project, "tab": "workplan", "item": item, "kind": kind, "side": side, "forms": forms,
        "revisions": revisions, "may_manage": may_manage, "may_decide": may_manage and has_open,
        "versions": list(item.versions.select_related("document", "uploaded_by")) if kind == "deliverable" else [],
        "deliverables": list(item.deliverables.order_by("order", "due_date", "id")) if kind == "milestone" else [],
        "milestone": item.milestone if kind == "deliverable" else item,
        "is_past_due": timezone.localdate() > item.due_date,
    }
    return render(request, "cooperation/workplan/item.html", context, status=400 if action else 200)


urlpatterns: list = [
    path("projects/<int:pk>/workplan/", workplan, name="workplan"),
    path("projects/<int:pk>/workplan/<str:kind>/<int:item_pk>/", work_item, name="workplan-item"),
]
