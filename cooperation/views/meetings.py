"""Cooperation pages: meetings (the project's Meetings tab, a meeting's page with its delegations, agenda, outcomes
and action items, its invitation file and its minutes) and the project's action items. Thin: forms in, services
out; the project comes from project_for (404 for non-parties) and everything else from the project."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from cooperation import forms_meetings as forms
from cooperation import selectors_meetings as sel
from cooperation import services
from cooperation.ics_meetings import meeting_calendar
from cooperation.minutes_pdf_meetings import meeting_minutes_pdf
from cooperation.models import ActionStatus, AgendaItem, Delegate, MeetingStatus, MinutesStatus
from cooperation.rules import REFUSALS, minutes_of, side_of
from cooperation.selectors import project_for
from core.errors import DomainError
from core.paging import page_of


def _form_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _refusal(request, error):
    """A refused move becomes a message on the page it was tried from."""
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(getattr(error, "message", error)))


def _posted_or_404(queryset, request, field):
    value = request.POST.get(field, "")
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise Http404(_("No such item."))
    return get_object_or_404(queryset, pk=int(value))


@login_required
def meetings(request, pk):
    project = project_for(request.user, pk)
    return render(request, "cooperation/meetings/list.html", {
        "project": project, "tab": "meetings", "page": page_of(request, sel.meeting_rows(project)),
        "can_schedule": request.user.has_perm("cooperation.schedule_meeting", project),
        "decisions": sel.project_decisions_with_changes(project),
    })


@login_required
def meeting_new(request, pk):
    project = project_for(request.user, pk)
    if not request.user.has_perm("cooperation.schedule_meeting", project):
        raise PermissionDenied(REFUSALS["cooperation.schedule_meeting"])
    form = forms.MeetingForm(request.POST or None, user=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                project=project, kind=data["kind"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                time_zone=data["time_zone"], place=data["place"], online_link=data["online_link"],
                facilitating_centre=data["facilitating_centre"], by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            carried = meeting.carried_actions.count()
            messages.success(request, _("The meeting is scheduled as session %(n)s.") % {"n": meeting.session_number}
                             + (" " + _("Open action items carried over: %(n)s.") % {"n": carried} if carried else ""))
            return redirect("cooperation:meeting", pk=project.pk, mid=meeting.pk)
    return render(request, "cooperation/meetings/form.html", {"project": project, "tab": "meetings", "form": form})


@login_required
def meeting_edit(request, pk, mid):
    project = project_for(request.user, pk)
    meeting = sel.meeting_for(request.user, project, mid)
    if not request.user.has_perm("cooperation.manage_meeting", meeting):
        raise PermissionDenied(REFUSALS["cooperation.manage_meeting"])
    if meeting.status != MeetingStatus.PLANNED:
        messages.error(request, _("Only a planned meeting can be rescheduled."))
        return redirect("cooperation:meeting", pk=project.pk, mid=meeting.pk)
    form = forms.MeetingForm(request.POST or None, user=request.user, project=project, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_reschedule(meeting=meeting, starts_at=data["starts_at"], ends_at=data["ends_at"],
                                        time_zone=data["time_zone"], place=data["place"],
                                        online_link=data["online_link"], by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The meeting is rescheduled; the parties have a new invitation."))
            return redirect("cooperation:meeting", pk=project.pk, mid=meeting.pk)
    return render(request, "cooperation/meetings/form.html", {"project": project, "tab": "meetings", "form": form,
                                                              "meeting": meeting})


def _meeting_post(request, project, meeting, bound: dict, choices):
    """Apply the posted action; return a redirect on success, None to show the page with the bound form."""
    action = request.POST.get("action")
    user = request.user
    if action in ("held", "cancelled"):
        form = bound["move"] = forms.MeetingMoveForm(request.POST)
        if form.is_valid():
            services.meeting_move(meeting=meeting, target=action, note=form.cleaned_data["note"], by=user)
            messages.success(request, _("The meeting is marked held.") if action == "held"
                             else _("The meeting is cancelled; the parties are told."))
            return True
    elif action == "delegate_add":
        form = bound["delegate"] = forms.DelegateForm(request.POST, project=project, choices=choices)
        if form.is_valid():
            services.delegate_add(meeting=meeting, by=user, **form.cleaned_data)
            return True
    elif action == "delegate_remove":
        delegate = _posted_or_404(Delegate.objects.filter(meeting=meeting), request, "delegate")
        delegate.meeting = meeting
        services.delegate_remove(delegate=delegate, by=user)
        return True
    elif action == "agenda_add":
        form = bound["agenda"] = forms.AgendaItemForm(request.POST)
        if form.is_valid():
            services.agenda_item_add(meeting=meeting, title=form.cleaned_data["title"], by=user)
            return True
    elif action == "outcome":
        item = _posted_or_404(AgendaItem.objects.filter(meeting=meeting), request, "item")
        item.meeting = meeting
        form = bound["outcome"] = forms.OutcomeForm(request.POST, project=project, item=item, choices=choices)
        bound["item_pk"] = item.pk
        if form.is_valid():
            services.agenda_outcome_record(item=item, by=user, **form.cleaned_data)
            messages.success(request, _("Outcome recorded."))
            return True
    elif action == "action_add":
        item = _posted_or_404(AgendaItem.objects.filter(meeting=meeting), request, "item")
        item.meeting = meeting
        form = bound["action"] = forms.ActionItemForm(request.POST, project=project, item=item, choices=choices)
        bound["item_pk"] = item.pk
        if form.is_valid():
            services.action_item_add(agenda_item=item, by=user, **form.cleaned_data)
            messages.success(request, _("Action item recorded; its owner is told."))
            return True
    else:
        raise Http404(_("No such action."))
    return False


@login_required
def meeting(request, pk, mid):
    project = project_for(request.user, pk)
    meeting = sel.meeting_for(request.user, project, mid)
    bound: dict = {}
    choices = forms.FormChoices(project)
    if request.method == "POST":
        try:
            if _meeting_post(request, project, meeting, bound, choices):
                return redirect("cooperation:meeting", pk=project.pk, mid=meeting.pk)
        except ValidationError as error:
            form_name = next((name for name in ("outcome", "action", "delegate", "agenda", "move") if name in bound),
                             None)
            if form_name:
                _form_errors(bound[form_name], error)
            else:
                _refusal(request, error)
        except (DomainError, PermissionDenied) as error:
            _refusal(request, error)
            return redirect("cooperation:meeting", pk=project.pk, mid=meeting.pk)
    user = request.user
    agenda = sel.meeting_agenda(meeting)
    can_record = user.has_perm("cooperation.record_outcome", meeting)
    can_manage = user.has_perm("cooperation.manage_meeting", meeting)
    if can_record:
        for item in agenda:
            posted = bound.get("item_pk") == item.pk
            item.outcome_form = (bound["outcome"] if posted and "outcome" in bound
                                 else forms.OutcomeForm(project=project, item=item, choices=choices))
            item.action_form = (bound["action"] if posted and "action" in bound
                                else forms.ActionItemForm(project=project, item=item, choices=choices))
            item.outcome_open = posted and "outcome" in bound
            item.action_open = posted and "action" in bound
    return render(request, "cooperation/meetings/detail.html", {
        "project": project, "tab": "meetings", "meeting": meeting, "agenda": agenda,
        "carried": sel.carried_actions(meeting), "delegations": sel.delegations(meeting),
        "minutes": minutes_of(meeting), "my_side": side_of(user, project),
        "can_manage": can_manage, "can_record": can_record,
        # Delegations and agenda change until the meeting is cancelled or its minutes are final.
        "can_change_record": can_manage and meeting.status != MeetingStatus.CANCELLED
        and not (minutes_of(meeting) and minutes_of(meeting).status == MinutesStatus.FINAL),
        "can_see_link": user.has_perm("cooperation.see_meeting_link", meeting),
        "delegate_form": bound.get("delegate") or forms.DelegateForm(project=project, choices=choices),
        "agenda_form": bound.get("agenda") or forms.AgendaItemForm(),
        "move_form": bound.get("move") or forms.MeetingMoveForm(),
        "statuses": MeetingStatus,
    })


@login_required
def meeting_ics(request, pk, mid):
    project = project_for(request.user, pk)
    meeting = sel.meeting_for(request.user, project, mid)
    body = meeting_calendar(meeting, with_link=request.user.has_perm("cooperation.see_meeting_link", meeting),
                            language=request.LANGUAGE_CODE)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
def minutes(request, pk, mid):
    project = project_for(request.user, pk)
    meeting = sel.meeting_for(request.user, project, mid)
    record = minutes_of(meeting)
    if record is not None:
        record.meeting = meeting
    user = request.user
    form = forms.MinutesForm(request.POST or None, initial={"body": record.body if record else ""})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save":
                if form.is_valid():
                    services.minutes_save(meeting=meeting, body=form.cleaned_data["body"], by=user)
                    messages.success(request, _("The draft is saved."))
                    return redirect("cooperation:meeting-minutes", pk=project.pk, mid=meeting.pk)
            elif action in (MinutesStatus.FOR_ACKNOWLEDGMENT, MinutesStatus.DRAFT) and record is not None:
                services.minutes_move(minutes=record, target=action, by=user)
                messages.success(request, _("The minutes are put to both sides for acknowledgment.")
                                 if action == MinutesStatus.FOR_ACKNOWLEDGMENT
                                 else _("The minutes are back in draft; the acknowledgments are cleared."))
                return redirect("cooperation:meeting-minutes", pk=project.pk, mid=meeting.pk)
            elif action == "acknowledge" and record is not None:
                done = services.minutes_acknowledge(minutes=record, by=user)
                messages.success(request, _("Your side's acknowledgment is recorded; the minutes are final.")
                                 if done.status == MinutesStatus.FINAL
                                 else _("Your side's acknowledgment is recorded."))
                return redirect("cooperation:meeting-minutes", pk=project.pk, mid=meeting.pk)
            else:
                raise Http404(_("No such action."))
        except ValidationError as error:
            _form_errors(form, error)
        except (DomainError, PermissionDenied) as error:
            _refusal(request, error)
            return redirect("cooperation:meeting-minutes", pk=project.pk, mid=meeting.pk)
    return render(request, "cooperation/meetings/minutes.html", {
        "project": project, "tab": "meetings", "meeting": meeting, "minutes": record, "form": form,
        "can_draft": user.has_perm("cooperation.draft_minutes", meeting),
        "can_acknowledge": bool(record and user.has_perm("cooperation.acknowledge_minutes", record)),
    })


@login_required
def minutes_pdf(request, pk, mid):
    project = project_for(request.user, pk)
    meeting = sel.meeting_for(request.user, project, mid)
    record = minutes_of(meeting)
    if record is None or record.status != MinutesStatus.FINAL:
        raise Http404(_("Only final minutes are printed."))
    record.meeting = meeting
    response = HttpResponse(meeting_minutes_pdf(record, language=request.LANGUAGE_CODE),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.pdf"'
    return response


@login_required
def action_items(request, pk):
    project = project_for(request.user, pk)
    filters = forms.ActionFilterForm(request.GET or None)
    side = status = ""
    if filters.is_valid():
        side, status = filters.cleaned_data["side"], filters.cleaned_data["status"]
    rows = sel.action_rows(project.action_items.all(), side=side, status=status)
    return render(request, "cooperation/meetings/action_items.html", {
        "project": project, "tab": "meetings", "page": page_of(request, rows), "filters": filters,
        "my_side": side_of(request.user, project), "open": ActionStatus.OPEN,
    })


@login_required
def action_item(request, pk, aid):
    project = project_for(request.user, pk)
    action = sel.action_for(request.user, project, aid)
    user = request.user
    form = forms.ActionCloseForm(request.POST or None)
    if request.method == "POST":
        target = request.POST.get("action")
        if target not in (ActionStatus.DONE, ActionStatus.DROPPED):
            raise Http404(_("No such action."))
        if form.is_valid():
            try:
                services.action_item_move(action=action, target=target, note=form.cleaned_data["note"], by=user)
            except ValidationError as error:
                _form_errors(form, error)
            except (DomainError, PermissionDenied) as error:
                _refusal(request, error)
                return redirect("cooperation:action-item", pk=project.pk, aid=action.pk)
            else:
                messages.success(request, _("The action item is marked done.") if target == ActionStatus.DONE
                                 else _("The action item is dropped."))
                return redirect("cooperation:action-item", pk=project.pk, aid=action.pk)
    return render(request, "cooperation/meetings/action_item.html", {
        "project": project, "tab": "meetings", "action": action, "form": form,
        "carried_into": list(action.carried_into.order_by("starts_at", "id")),
        "can_complete": user.has_perm("cooperation.complete_action_item", action),
        "can_drop": user.has_perm("cooperation.drop_action_item", action),
    })


urlpatterns = [
    path("projects/<int:pk>/meetings/", meetings, name="meetings"),
    path("projects/<int:pk>/meetings/new/", meeting_new, name="meeting-new"),
    path("projects/<int:pk>/meetings/<int:mid>/", meeting, name="meeting"),
    path("projects/<int:pk>/meetings/<int:mid>/edit/", meeting_edit, name="meeting-edit"),
    path("projects/<int:pk>/meetings/<int:mid>/invitation.ics", meeting_ics, name="meeting-ics"),
    path("projects/<int:pk>/meetings/<int:mid>/minutes/", minutes, name="meeting-minutes"),
    path("projects/<int:pk>/meetings/<int:mid>/minutes.pdf", minutes_pdf, name="meeting-minutes-pdf"),
    path("projects/<int:pk>/action-items/", action_items, name="action-items"),
    path("projects/<int:pk>/action-items/<int:aid>/", action_item, name="action-item"),
]
