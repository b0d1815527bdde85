"""The proposal page and what is done from it: messages, withdrawing, resubmitting, inviting colleagues,
accepting an invitation, downloading a document."""

import functools
from html import escape as html_escape
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.rules import is_staff_member
from core.errors import DomainError
from proposals import page_reads, rules, selectors, services
from proposals.forms import STEP_SLUGS, InvitationForm, MessageForm, ResubmitForm, WithdrawForm
from proposals.hooks import proposal_downloads
from proposals.models import Invitation, Proposal
from proposals.pdf import proposal_pdf
from proposals.resubmission import EMPTY_RESUBMISSION, changes_since_info_request, last_info_request
from proposals.views.common import (
    add_form_errors,
    error_messages,
    flash_errors,
    forbidden,
    next_step_for,
    permission_refusal,
    refusal_response,
    visible_or_404,
)
from proposals.workflow import Status, moves_for, offers


def _escape(value) -> str:
    """django.utils.html.escape's text (html.escape of str(value)) without its lazy-text wrapper: a page's thread and
    history escape a few hundred values, and the wrapper cost more than the escaping."""
    return html_escape(str(value))


def _moment(value) -> tuple[str, str]:
    """A time as the page writes it, in the reader's time zone: the value of <time datetime> and the text they
    read (what `|date:"c"` and `|date:"DATETIME_FORMAT"` print), worked out here once for each row of a list."""
    return _moment_in(value, timezone.get_current_timezone(), get_language())


@functools.lru_cache(maxsize=4096)
def _moment_in(value, zone, language) -> tuple[str, str]:
    # The same instant, zone and language always read the same, and a thread's and history's times are read
    # again on every visit of its page: formatting a date (its month's name looked up in the catalogue) costs
    # more than remembering it. `language` is in the key for the format: date_format reads the active one.
    local = timezone.localtime(value, zone)
    return local.isoformat(), formats.date_format(local, "DATETIME_FORMAT")


class _ThreadMessage(NamedTuple):
    author_name: str
    internal: bool
    sent_iso: str
    sent_text: str
    body: str
    shade: str


def _thread(user, proposal) -> list[_ThreadMessage]:
    """The messages this person may read, oldest first, each with its author's name, times and shade: internal
    notes stand out, and the applicant's side (the owner, or the reader) reads light. Read as values, not model
    instances: a long thread spent more on building a message and its author per row than on fetching them."""
    light = {proposal.owner_id, user.pk}
    thread = []
    for body, internal, created_at, author_id, full_name, email in page_reads.thread(
        proposal, everything=bool(is_staff_member(user)),
    ):
        shade = "bg-warning-subtle" if internal else "bg-light" if author_id in light else ""
        thread.append(_ThreadMessage(User.name_from(full_name, email), internal, *_moment(created_at), body, shade))
    return thread


# One message of the thread as templates/proposals/detail.html had it in its loop (the whitespace included).
_MESSAGE = (
    '\n        <div class="border rounded p-2 {shade}">\n'
    '          <div class="small text-muted d-flex justify-content-between"><span>{author}{internal}</span>'
    '<time datetime="{sent_iso}">{sent_text}</time></div>\n'
    '          <div class="text-prewrap">{body}</div>\n'
    '        </div>\n      '
)


def _thread_html(thread: list[_ThreadMessage]) -> str:
    """The thread's messages as HTML, each value escaped as the template escaped it: a long thread spent most of
    the page's template time on its loop (a lookup and an escape per value, the label looked up per message)."""
    internal = f" · {_escape(_('internal note'))}"
    return mark_safe("".join(_MESSAGE.format(
        shade=m.shade, author=_escape(m.author_name), internal=internal if m.internal else "",
        sent_iso=_escape(m.sent_iso), sent_text=_escape(m.sent_text), body=_escape(m.body),
    ) for m in thread))


def _timeline(user, proposal) -> list:
    """selectors.timeline_for with each row's author ("Portal" for the portal's own moves) and times."""
    timeline = selectors.timeline_labelled(user=user, proposal=proposal, changes=page_reads.history(proposal))
    for change in timeline:
        change.by_name = (change.by.get_full_name() if change.by else "") or _("Portal")
        change.at_iso, change.at_text = _moment(change.at)
    return timeline


# One row of the status history as templates/proposals/detail.html had it in its loop (the whitespace included).
_CHANGE = (
    '\n          <li data-status="{status}">\n'
    '            <div class="fw-semibold">{label}</div>\n'
    '            <div class="text-muted">{by} · <time datetime="{at_iso}">{at_text}</time></div>\n'
    '            {note}\n'
    '          </li>\n          '
)


def _timeline_html(timeline: list) -> str:
    """The history's rows as HTML, each value escaped as the template escaped it (as _thread_html)."""
    badge = f'<span class="badge text-bg-warning">{_escape(_("Internal note"))}</span> '
    rows = []
    for change in timeline:
        note = ""
        if change.shown_note:
            internal = change.shown_note_internal
            note = (f'<div class="text-prewrap{" bg-warning-subtle internal-note" if internal else ""}">'
                    f'{badge if internal else ""}{_escape(change.shown_note)}</div>')
        rows.append(_CHANGE.format(
            status=_escape(change.shown_to_status), label=_escape(change.shown_label), by=_escape(change.by_name),
            at_iso=_escape(change.at_iso), at_text=_escape(change.at_text), note=note,
        ))
    return mark_safe("".join(rows))


def _detail_context(request, proposal, **forms) -> dict:
    user = request.user
    is_owner = rules.is_proposal_owner(user, proposal)
    moves = moves_for(user, proposal)
    timeline = _timeline(user, proposal)
    thread = _thread(user, proposal)
    info_request = None
    if rules.is_waiting_for_information(user, proposal):
        # The latest request in the history the page shows anyway (oldest first), not a query of its own.
        info_request = next((c for c in reversed(timeline) if c.to_status == Status.INFO_REQUESTED), None)
    context = {
        "proposal": proposal,
        "contacts": page_reads.contacts(proposal),
        "attachments": page_reads.attachments(proposal),
        "timeline": timeline,
        "timeline_html": _timeline_html(timeline),
        "thread": thread,
        "thread_html": _thread_html(thread),
        "next_step": next_step_for(proposal),
        "info_request": info_request,
        "is_owner": is_owner,
        "can_edit": user.has_perm("proposals.change_proposal", proposal),
        "can_invite": user.has_perm("proposals.invite_collaborator", proposal),
        # The workflow's moves come from the table: what moves_for offers this person now.
        "can_withdraw": offers(moves, "withdraw"),
        "can_resubmit": offers(moves, "resubmit"),
        "can_post": user.has_perm("proposals.post_message", proposal),
        "collaborators": page_reads.collaborators(proposal),
        "pending_invitations": page_reads.pending_invitations(proposal) if is_owner else [],
        "message_form": forms.get("message_form") or MessageForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "resubmit_form": forms.get("resubmit_form") or ResubmitForm(),
        "invitation_form": forms.get("invitation_form") or InvitationForm(),
        "first_step": STEP_SLUGS[0],
        # The proposal's own PDF once submitted, and what other apps offer (the released decision letter).
        "downloads": [d for d in proposal_downloads.collect(user=user, proposal=proposal) if d is not None],
    }
    return context


@login_required
def detail(request, pk):
    try:
        proposal = selectors.proposal_page(user=request.user, pk=pk)
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "proposals/detail.html", _detail_context(request, proposal))


@login_required
@require_POST
def message_create(request, pk):
    proposal = visible_or_404(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_post(proposal=proposal, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_form_errors(form, exc)
        except PermissionDenied as exc:
            flash_errors(request, exc)
            return redirect(proposal)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(proposal.get_absolute_url() + "#messages")
    return render(request, "proposals/detail.html", _detail_context(request, proposal, message_form=form), status=400)


def _owner_form_action(request, pk, *, permission: str, form_class, context_key: str, act, success: str):
    """A POSTed owner action on the proposal page (withdraw, resubmit): check, validate, call the service."""
    proposal = visible_or_404(request, pk)
    refused = permission_refusal(request, permission, proposal)
    if refused is not None:
        return refusal_response(request, proposal, refused)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(proposal, form.cleaned_data)
        except (DomainError, PermissionDenied, ValidationError) as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, success)
        return redirect(proposal)
    return render(request, "proposals/detail.html", _detail_context(request, proposal, **{context_key: form}),
                  status=400)


@login_required
@require_POST
def withdraw(request, pk):
    return _owner_form_action(
        request, pk,
        permission="proposals.withdraw_proposal",
        form_class=WithdrawForm, context_key="withdraw_form",
        act=lambda proposal, data: services.proposal_withdraw(proposal=proposal, by=request.user,
                                                              reason=data["reason"]),
        success=_("The proposal is withdrawn."),
    )


@login_required
@require_POST
def resubmit(request, pk):
    """Two steps: the answer (the form on the proposal page) shows a confirm page listing what changed since the
    request; only the confirm page's button resubmits. With neither a note nor a change it is refused at once."""
    proposal = visible_or_404(request, pk)
    refused = permission_refusal(request, "proposals.resubmit_proposal", proposal)
    if refused is not None:
        return refusal_response(request, proposal, refused)
    form = ResubmitForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data["note"].strip()
        changes = changes_since_info_request(proposal)
        if not note and not changes:
            form.add_error("note", EMPTY_RESUBMISSION)
        elif request.POST.get("confirm") != "yes":
            return render(request, "proposals/resubmit_confirm.html", {
                "proposal": proposal, "form": form, "note": note, "changes": changes,
                "info_request": last_info_request(proposal),
            })
        else:
            try:
                services.proposal_resubmit(proposal=proposal, by=request.user, note=note)
            except (DomainError, PermissionDenied, ValidationError) as exc:
                flash_errors(request, exc)
            else:
                messages.success(request, _("The proposal is resubmitted. The secretariat has been told."))
            return redirect(proposal)
    return render(request, "proposals/detail.html", _detail_context(request, proposal, resubmit_form=form),
                  status=400)


@login_required
@require_POST
def invite(request, pk):
    proposal = visible_or_404(request, pk)
    refused = permission_refusal(request, "proposals.invite_collaborator", proposal)
    if refused is not None:
        return forbidden(request, proposal, refused.reason)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                proposal=proposal, by=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        except PermissionDenied as exc:
            flash_errors(request, exc)
            return redirect(proposal)
        else:
            messages.success(request, _("An invitation is sent to %(email)s.") % {"email": invitation.email})
            return redirect(proposal.get_absolute_url() + "#team")
    return render(
        request, "proposals/detail.html", _detail_context(request, proposal, invitation_form=form), status=400
    )


@login_required
def invitation_accept(request, token):
    invitation = Invitation.objects.select_related("proposal", "invited_by").filter(token=token).first()
    if invitation is None:
        return render(request, "proposals/invitation.html", {"invalid": True}, status=404)
    addressed_to_me = invitation.email == request.user.email.lower()
    if request.method == "POST":
        try:
            proposal = services.invitation_accept(token=token, by=request.user)
        except PermissionDenied as exc:
            return render(request, "proposals/invitation.html",
                          {"invitation": invitation, "error": error_messages(exc)[0]}, status=403)
        except ValidationError as exc:
            return render(request, "proposals/invitation.html",
                          {"invalid": True, "error": error_messages(exc)[0]}, status=404)
        messages.success(request, _("You are now working on “%(title)s”.") % {"title": proposal.title})
        return redirect(proposal)
    return render(request, "proposals/invitation.html", {
        "invitation": invitation,
        "addressed_to_me": addressed_to_me,
        "error": "" if addressed_to_me else _(
            "This invitation was sent to %(email)s. Sign in with that address to accept it."
        ) % {"email": invitation.email},
    }, status=200 if addressed_to_me else 403)


@login_required
def proposal_pdf_download(request, pk):
    """The submitted proposal as a PDF; only for people who may see the proposal (404 otherwise), once it has a
    reference (a draft has nothing submitted to print)."""
    proposal = visible_or_404(request, pk)
    if not proposal.reference:
        raise Http404
    response = HttpResponse(proposal_pdf(proposal), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{proposal.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def attachment_download(request, pk, attachment_pk):
    proposal = visible_or_404(request, pk)
    attachment = next((a for a in proposal.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
