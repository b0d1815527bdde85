"""What the applicant's pages share: loading a visible proposal, showing refusals, the next-step text."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from core.compiled import CompiledRows
from core.errors import DomainError
from core.translated import FALLBACK_LANGUAGE, active_language, fallback_language, translation_columns
from proposals import rules, selectors
from proposals.models import Proposal, ServiceLevel
from proposals.workflow import Status


def visible_or_404(request, pk):
    try:
        return selectors.proposal_detail(user=request.user, pk=pk)
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc


def forbidden(request, proposal, message):
    return render(request, "proposals/forbidden.html", {"proposal": proposal, "reason": message}, status=403)


def permission_refusal(request, name: str, proposal=None) -> rules.Refusal | None:
    """None when the person has the permission (`user.has_perm`, as everywhere); otherwise the rules' reason."""
    if request.user.has_perm(name, proposal):
        return None
    return rules.refusal(name, request.user, proposal)


def refusal_response(request, proposal, refused: rules.Refusal):
    """A refusal because of where the proposal stands is explained on its page; any other is a 403 page."""
    if refused.state and proposal is not None:
        messages.warning(request, refused.reason)
        return redirect(proposal)
    return forbidden(request, proposal, refused.reason)


def error_messages(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    if isinstance(exc, DomainError):
        return [str(exc.message)]
    return [str(exc) or _("You are not allowed to do this.")]


def submit_refused_key(pk) -> str:
    """The session key under which a refused submit leaves its reasons for the review page's error summary."""
    return f"proposals:submit-refused:{pk}"


def flash_errors(request, exc) -> None:
    for text in error_messages(exc):
        messages.error(request, text)


def add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _step_columns() -> tuple[str, str]:
    return build_localized_fieldname("next_step", active_language()), build_localized_fieldname(
        "next_step", FALLBACK_LANGUAGE)


# The reader's language's and English's text of each status's next step: a dict, so no ORDER BY; its SQL written
# once per language (building it cost several times the database's answer, on every list page).
_STEPS = CompiledRows(ServiceLevel, lambda: ServiceLevel.objects.order_by().values("status", *set(_step_columns())))


def next_steps() -> dict[str, str]:
    """Each status's next step in the reader's language; an English text shown for want of a translation comes
    marked with lang="en" (safe HTML, its text escaped), so a screen reader pronounces it as English."""
    reader, english = _step_columns()
    steps = {}
    for row in _STEPS():
        if row[reader]:  # as ServiceLevel.next_step reads (modeltranslation's fallback to English)
            steps[row["status"]] = row[reader]
        else:
            steps[row["status"]] = format_html('<span lang="{}">{}</span>', FALLBACK_LANGUAGE, row[english]) if (
                row[english]) else row[english]
    return steps


def _marked_steps(levels) -> dict[str, str]:
    steps = {}
    for level in levels:
        language = fallback_language(level, "next_step")
        steps[level.status] = (format_html('<span lang="{}">{}</span>', language, level.next_step) if language
                               else level.next_step)
    return steps


def next_step_for(proposal) -> str:
    """next_step_text(proposal, next_steps()) for one proposal's page: its status's row alone (read with the
    proposal by selectors.proposal_page, else every language's text of it, for the fallback), and no query for a
    draft, whose step is fixed."""
    if proposal.shown_status == Status.DRAFT:
        return next_step_text(proposal, {})
    if hasattr(proposal, f"{selectors.LEVEL}status"):  # read with the proposal (selectors.proposal_page)
        level = selectors.page_service_level(proposal)
        return next_step_text(proposal, _marked_steps([level] if level else []))
    levels = ServiceLevel.objects.filter(status=proposal.shown_status).only("status", *translation_columns("next_step"))
    return next_step_text(proposal, _marked_steps(levels))


def next_step_text(proposal, levels: dict[str, str]) -> str:
    status = proposal.shown_status  # what this viewer may see (an unreleased decision is still "in review")
    if status == Status.DRAFT:
        return _("Complete the form and submit it")
    if status == Status.INFO_REQUESTED and status not in levels:
        return _("Answer the information request and resubmit")
    return levels.get(status, "")


def short_time(value) -> str:
    return formats.time_format(timezone.localtime(value), "TIME_FORMAT")
