"""The work plan: staff set up milestones and their deliverables; the owner side submits them (a deliverable with a
file, each upload a new version); staff accept them or ask for changes; a due date moves only when staff approve a
request with its reason. Each write: one transaction, the rows it decides on locked, an audit row, a timeline
event, and the other side told."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.rules import is_staff_member
from audit.services import audit_record
from cooperation.models import (
    Deliverable,
    DeliverableVersion,
    DocumentCategory,
    DueDateRevision,
    Milestone,
    Project,
    ProjectDocument,
    RevisionState,
    Side,
    WorkStatus,
)
from cooperation.rules import REFUSALS, require, side_of
from cooperation.selectors_plan import people_on_side
from cooperation.timeline import declare, event_record
from core.errors import TransitionRefused
from notifications.services import notify
from proposals.attachments import inspect_upload

declare({
    "plan.milestone_added": gettext_lazy("Milestone added: %(title)s (due %(due)s)."),
    "plan.deliverable_added": gettext_lazy("Deliverable added to %(milestone)s: %(title)s (due %(due)s)."),
    "plan.item_changed": gettext_lazy("Work plan item changed: %(title)s."),
    "plan.reordered": gettext_lazy("The work plan's order changed."),
    "plan.submitted": gettext_lazy("Submitted for acceptance: %(title)s."),
    "plan.submitted_late": gettext_lazy("Submitted after its due date: %(title)s (reason: %(reason)s)."),
    "plan.accepted": gettext_lazy("Accepted: %(title)s."),
    "plan.changes_requested": gettext_lazy("Changes requested: %(title)s (%(note)s)."),
    "plan.due_date_requested": gettext_lazy("Asked to move %(title)s from %(old)s to %(new)s: %(reason)s"),
    "plan.due_date_approved": gettext_lazy("Due date of %(title)s moved from %(old)s to %(new)s."),
    "plan.due_date_refused": gettext_lazy("Request to move %(title)s to %(new)s refused."),
})

ITEM_FIELDS = ("title", "description", "owner_side")  # what staff edit; the due date moves by a revision only
OWNER_SIDES = {Side.PARTNER, Side.CONTRACTOR, Side.MOLIT, Side.CENTRE}


def _workplan_link(project_id: int, anchor: str = "") -> str:
    return reverse("cooperation:workplan", args=[project_id]) + (f"#{anchor}" if anchor else "")


def _anchor(item) -> str:
    return f"{'deliverable' if isinstance(item, Deliverable) else 'milestone'}-{item.pk}"


def _project_of(item) -> Project:
    return item.milestone.project if isinstance(item, Deliverable) else item.project


def _locked(item):
    model = type(item)
    related = ("milestone", "milestone__project") if model is Deliverable else ("project",)
    return model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=item.pk)


def _check_owner(owner_side: str) -> None:
    if owner_side not in OWNER_SIDES:
        raise ValidationError({"owner_side": _("Choose which side is responsible for it.")})


def _check_open(project: Project) -> None:
    if not project.is_open:
        raise TransitionRefused(_("The project is closed: its work plan no longer changes."))


def _next_order(queryset) -> int:
    return (queryset.aggregate(top=Max("order"))["top"] or 0) + 1


# --- set-up (staff) ---------------------------------------------------------------------------------------------

def milestone_create(*, project: Project, title: str, due_date: date, owner_side: str, description: str = "",
                     by) -> Milestone:
    require(by, "cooperation.manage_project")
    _check_owner(owner_side)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        _check_open(project)
        milestone = Milestone(project=project, title=title, description=description, due_date=due_date,
                              owner_side=owner_side, order=_next_order(project.milestones.all()))
        milestone.full_clean()
        milestone.save()
        audit_record(actor=by, action="milestone.create", target=milestone,
                     data={"project": project.pk, "title": title, "due_date": due_date.isoformat(),
                           "owner_side": owner_side})
        event_record(project=project, by=by, kind="plan.milestone_added",
                     params={"title": title, "due": due_date.isoformat()}, link=_workplan_link(project.pk,
                                                                                             _anchor(milestone)))
    return milestone


def deliverable_create(*, milestone: Milestone, title: str, due_date: date, owner_side: str, description: str = "",
                       by) -> Deliverable:
    require(by, "cooperation.manage_project")
    _check_owner(owner_side)
    with transaction.atomic():
        milestone = _locked(milestone)
        _check_open(milestone.project)
        deliverable = Deliverable(milestone=milestone, title=title, description=description, due_date=due_date,
                                  owner_side=owner_side, order=_next_order(milestone.deliverables.all()))
        deliverable.full_clean()
        deliverable.save()
        audit_record(actor=by, action="deliverable.create", target=deliverable,
                     data={"milestone": milestone.pk, "title": title, "due_date": due_date.isoformat(),
                           "owner_side": owner_side})
        event_record(project=milestone.project, by=by, kind="plan.deliverable_added",
                     params={"milestone": milestone.title, "title": title, "due": due_date.isoformat()},
                     link=_workplan_link(milestone.project_id, _anchor(deliverable)))
    return deliverable


def work_item_update(*, item: Milestone | Deliverable, by, **changes) -> Milestone | Deliverable:
    """Staff correct an item's title, description or owner side. Its due date changes only through an approved
    revision (due_date_request / due_date_decide), so the history of dates is never lost."""
    require(by, "cooperation.manage_project")
    unknown = sorted(set(changes) - set(ITEM_FIELDS))
    if unknown:
        raise ValidationError(_("These do not change here: %(fields)s. A due date moves by an approved request.")
                              % {"fields": ", ".join(unknown)})
    if "owner_side" in changes:
        _check_owner(changes["owner_side"])
    with transaction.atomic():
        current = _locked(item)
        project = _project_of(current)
        _check_open(project)
        before = {name: getattr(current, name) for name in changes}
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()
        changed = sorted(name for name in changes if before[name] != getattr(current, name))
        if not changed:
            return current
        current.save(update_fields=changed)
        audit_record(actor=by, action=f"{type(current).__name__.lower()}.update", target=current,
                     data={"before": {n: before[n] for n in changed},
                           "after": {n: getattr(current, n) for n in changed}})
        event_record(project=project, by=by, kind="plan.item_changed", params={"title": current.title},
                     link=_workplan_link(project.pk, _anchor(current)))
    return current


def work_item_move(*, item: Milestone | Deliverable, up: bool, by) -> None:
    """Move an item one place up or down among its siblings (milestones of the project, deliverables of the
    milestone). The plan lists by this order, then by due date."""
    require(by, "cooperation.manage_project")
    with transaction.atomic():
        if isinstance(item, Deliverable):
            siblings = Deliverable.objects.filter(milestone_id=item.milestone_id)
            project = Project.objects.select_for_update().get(pk=item.milestone.project_id)
        else:
            siblings = Milestone.objects.filter(project_id=item.project_id)
            project = Project.objects.select_for_update().get(pk=item.project_id)
        _check_open(project)
        rows = list(siblings.select_for_update().order_by("order", "due_date", "id"))
        at = next(i for i, row in enumerate(rows) if row.pk == item.pk)
        to = at - 1 if up else at + 1
        if not 0 <= to < len(rows):
            return
        rows[at], rows[to] = rows[to], rows[at]
        for position, row in enumerate(rows, start=1):
            if row.order != position:
                row.order = position
                row.save(update_fields=["order"])
        audit_record(actor=by, action=f"{type(item).__name__.lower()}.move", target=item,
                     data={"order": [row.pk for row in rows]})
        event_record(project=project, by=by, kind="plan.reordered", link=_workplan_link(project.pk))


# --- submission and review --------------------------------------------------------------------------------------

def _refuse_move(item, target: str, by) -> None:
    """Say why a move is not allowed: because of who asks (PermissionDenied, whatever the state) or, for the
    person who could make it, because of the item's state (TransitionRefused)."""
    project = _project_of(item)
    _check_open(project)
    side = side_of(by, project)
    if target == WorkStatus.SUBMITTED:
        name = "cooperation.submit_work"
        may = side is not None and (side == item.owner_side or (side == Side.MOLIT and item.owner_side == Side.MOLIT))
    else:
        name = "cooperation.review_work"
        may = side == Side.MOLIT
    if not may:
        raise PermissionDenied(REFUSALS[name])
    raise TransitionRefused(
        _("“%(title)s” is %(status)s: it cannot be %(target)s now.")
        % {"title": item.title, "status": item.get_status_display().lower(),
           "target": WorkStatus(target).label.lower()})


def _late_check(item, late_justification: str) -> str:
    justification = (late_justification or "").strip()
    if timezone.localdate() > item.due_date and not justification:
        raise ValidationError({"late_justification": _(
            "“%(title)s” was due on %(due)s. Say why it is late before submitting it."
        ) % {"title": item.title, "due": item.due_date.isoformat()}})
    return justification if timezone.localdate() > item.due_date else ""


def _submitted(item, *, project: Project, justification: str, by, data: dict) -> None:
    item.status = WorkStatus.SUBMITTED
    item.submitted_at = timezone.now()
    item.late_justification = justification
    item.save(update_fields=["status", "submitted_at", "late_justification"])
    kind = type(item).__name__.lower()
    audit_record(actor=by, action=f"{kind}.submit", target=item, data={"late_justification": justification, **data})
    link = _workplan_link(project.pk, _anchor(item))
    if justification:
        event_record(project=project, by=by, kind="plan.submitted_late",
                     params={"title": item.title, "reason": justification[:200]}, link=link)
    else:
        event_record(project=project, by=by, kind="plan.submitted", params={"title": item.title}, link=link)
    notify(event="plan_work_submitted", recipients=people_on_side(project, Side.MOLIT).exclude(pk=by.pk),
           context={"item": item, "project": project, "by": by}, url=link)


def milestone_submit(*, milestone: Milestone, by, late_justification: str = "") -> Milestone:
    """The owner side reports a milestone reached (its deliverables are submitted on their own)."""
    with transaction.atomic():
        current = _locked(milestone)
        if not by.has_perm("cooperation.submit_work", current):
            _refuse_move(current, WorkStatus.SUBMITTED, by)
        justification = _late_check(current, late_justification)
        _submitted(current, project=current.project, justification=justification, by=by, data={})
    return current


def deliverable_submit(*, deliverable: Deliverable, upload, by, note: str = "",
                       late_justification: str = "") -> DeliverableVersion:
    """The owner side uploads the deliverable's file (a new version, never replacing the last) and submits it."""
    if upload is None:
        raise ValidationError({"file": _("Attach the deliverable's file.")})
    checked = inspect_upload(upload)  # the proposals' checks: content, not name; no macros, scripts or bombs
    with transaction.atomic():
        current = _locked(deliverable)
        project = current.milestone.project
        if not by.has_perm("cooperation.submit_work", current):
            _refuse_move(current, WorkStatus.SUBMITTED, by)
        justification = _late_check(current, late_justification)
        number = (current.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        document = plan_document_add(project=project, upload=upload, checked=checked, by=by,
                                     category=DocumentCategory.DELIVERABLE,
                                     title=f"{current.title} (v{number})")
        version = DeliverableVersion(deliverable=current, number=number, document=document, note=note,
                                     uploaded_by=by)
        version.full_clean(exclude=["document"])
        version.save()
        _submitted(current, project=project, justification=justification, by=by,
                   data={"version": number, "document": document.pk, "sha256": checked.sha256})
    return version


def plan_document_add(*, project: Project, upload, checked, by, category: str, title: str) -> ProjectDocument:
    """Keep an inspected upload as one of the project's documents (call inside the caller's transaction)."""
    document = ProjectDocument(project=project, category=category, title=title[:200], original_name=checked.name,
                               content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                               uploaded_by=by)
    document.full_clean(exclude=["file"])
    document.file.save(checked.name, upload, save=False)
    document.save()
    audit_record(actor=by, action="document.add", target=document,
                 data={"project": project.pk, "category": category, "sha256": checked.sha256, "size": checked.size})
    return document


def work_review(*, item: Milestone | Deliverable, accept: bool, by, note: str = "") -> Milestone | Deliverable:
    """Staff accept a submitted item or ask for changes (a note is then required). A milestone is accepted only
    once every deliverable under it is."""
    target = WorkStatus.ACCEPTED if accept else WorkStatus.CHANGES_REQUESTED
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError({"note": _("Say what needs to change.")})
    with transaction.atomic():
        current = _locked(item)
        project = _project_of(current)
        if not by.has_perm("cooperation.review_work", current):
            _refuse_move(current, target, by)
        if accept and isinstance(current, Milestone):
            waiting = current.deliverables.exclude(status=WorkStatus.ACCEPTED).count()
            if waiting:
                raise TransitionRefused(_("Accept the deliverables of “%(title)s” first (%(count)s not accepted yet).")
                                        % {"title": current.title, "count": waiting})
        current.status = target
        current.review_note = note
        current.accepted_at = timezone.now() if accept else None
        current.save(update_fields=["status", "review_note", "accepted_at"])
        audit_record(actor=by, action=f"{type(current).__name__.lower()}.{'accept' if accept else 'request_changes'}",
                     target=current, data={"note": note})
        link = _workplan_link(project.pk, _anchor(current))
        if accept:
            event_record(project=project, by=by, kind="plan.accepted", params={"title": current.title}, link=link)
        else:
            event_record(project=project, by=by, kind="plan.changes_requested",
                         params={"title": current.title, "note": note[:200]}, link=link)
        notify(event="plan_work_reviewed", recipients=people_on_side(project, current.owner_side).exclude(pk=by.pk),
               context={"item": current, "project": project, "by": by, "accepted": accept}, url=link)
    return current


# --- due-date revisions -----------------------------------------------------------------------------------------

def due_date_request(*, item: Milestone | Deliverable, new_date: date, reason: str, by) -> DueDateRevision:
    """The owner side or staff ask to move an item's due date, with the reason; staff decide."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the new date.")})
    with transaction.atomic():
        current = _locked(item)
        project = _project_of(current)
        if not by.has_perm("cooperation.ask_due_date", current):
            _check_open(project)
            side = side_of(by, project)
            if side is None or side not in (Side.MOLIT, current.owner_side):
                raise PermissionDenied(REFUSALS["cooperation.ask_due_date"])
            if current.status == WorkStatus.ACCEPTED:
                raise TransitionRefused(_("“%(title)s” is accepted: its due date no longer moves.")
                                        % {"title": current.title})
            if current.revisions.filter(state=RevisionState.REQUESTED).exists():
                raise TransitionRefused(_("A request to move this due date is already waiting for a decision."))
            raise PermissionDenied(REFUSALS["cooperation.ask_due_date"])
        if new_date == current.due_date:
            raise ValidationError({"new_date": _("The new date is the same as the current due date.")})
        revision = DueDateRevision(old_date=current.due_date, new_date=new_date, reason=reason, requested_by=by,
                                   **{"deliverable" if isinstance(current, Deliverable) else "milestone": current})
        revision.full_clean()
        revision.save()
        params = {"title": current.title, "old": current.due_date.isoformat(), "new": new_date.isoformat(),
                  "reason": reason[:200]}
        audit_record(actor=by, action="due_date.request", target=revision, data=params)
        link = _workplan_link(project.pk, _anchor(current))
        event_record(project=project, by=by, kind="plan.due_date_requested", params=params, link=link)
        notify(event="plan_due_date_requested",
               recipients=people_on_side(project, Side.MOLIT if not by.has_perm("cooperation.manage_project")
                                         else current.owner_side).exclude(pk=by.pk),
               context={"revision": revision, "project": project, "by": by}, url=link)
    return revision


def due_date_decide(*, revision: DueDateRevision, approve: bool, by, note: str = "") -> DueDateRevision:
    """Staff approve (the item's date changes now) or refuse a requested revision."""
    with transaction.atomic():
        current = DueDateRevision.objects.select_for_update().get(pk=revision.pk)
        if not by.has_perm("cooperation.decide_due_date", current):
            if not is_staff_member(by):
                raise PermissionDenied(REFUSALS["cooperation.decide_due_date"])
            raise TransitionRefused(_("This request was already decided (%(state)s).")
                                    % {"state": current.get_state_display().lower()})
        item = _locked(current.item)
        project = _project_of(item)
        _check_open(project)
        current.state = RevisionState.APPROVED if approve else RevisionState.REFUSED
        current.decided_by = by
        current.decided_at = timezone.now()
        current.decision_note = (note or "").strip()
        current.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        params = {"title": item.title, "old": current.old_date.isoformat(), "new": current.new_date.isoformat()}
        if approve:
            item.due_date = current.new_date
            item.save(update_fields=["due_date"])
        audit_record(actor=by, action=f"due_date.{'approve' if approve else 'refuse'}", target=current,
                     data={**params, "note": current.decision_note})
        link = _workplan_link(project.pk, _anchor(item))
        event_record(project=project, by=by, kind="plan.due_date_approved" if approve else "plan.due_date_refused",
                     params=params, link=link)
        told = list(people_on_side(project, item.owner_side).exclude(pk=by.pk))
        if current.requested_by_id != by.pk:
            told.append(current.requested_by)
        notify(event="plan_due_date_decided", recipients=told,
               context={"revision": current, "project": project, "by": by, "approved": approve}, url=link)
    current.milestone = item if isinstance(item, Milestone) else None
    current.deliverable = item if isinstance(item, Deliverable) else None
    return current
