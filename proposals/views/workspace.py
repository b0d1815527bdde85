"""The applicant's workspace (their organisation's proposals) and starting a proposal."""

import html
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from accounts.rules import is_applicant
from accounts.selectors import has_membership
from core.paging import page_positions, row_url
from core.translated import active_language
from proposals import rules, services, workspace_reads
from proposals.deadlines import deadline_text
from proposals.eligibility import track_refusals, track_rules
from proposals.forms import STEP_SLUGS, ProposalStartForm
from proposals.views.common import error_messages, forbidden, next_step_text, next_steps, permission_refusal


def _organisation_create_url(next_url: str) -> str:
    return f"{reverse('accounts:organisation-create')}?{urlencode({'next': next_url})}"


def _text(value) -> str:
    """conditional_escape without its lazy-argument wrapper (the same text): safe HTML as it is, the rest escaped
    as django.utils.html.escape does (html.escape of its str)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _fixed(text: str) -> str:
    """Text put into a row's str.format pattern once per page: its braces kept as text."""
    return text.replace("{", "{{").replace("}", "}}")


class _DateFormat:
    """django.utils.dateformat.format(value, format_string), the same text, for every row of a page: the format is
    split into its format characters and literal text once, where Django splits it with two regular expressions
    on each call (most of a row's date's cost)."""

    def __init__(self, format_string: str):
        self.pieces = [(bool(n % 2), piece if n % 2 else re_escaped.sub(r"\1", piece))  # as Formatter.format
                       for n, piece in enumerate(re_formatchars.split(str(format_string))) if piece]

    def __call__(self, value) -> str:
        formatter = DateFormat(value)
        return "".join(str(getattr(formatter, piece)()) if code else piece for code, piece in self.pieces)


# Each status's badge (templates/proposals/_status_badge.html) by language, status and whether a decision is
# undisclosed: all it shows, and the same on every page until a deploy.
_BADGES: dict[tuple[str, str, bool], str] = {}


class _Rows:
    """The workspace's table rows as HTML, the markup templates/proposals/workspace.html had per row.

    Built in Python because the template spent most of the page's time on per-row work (filters, url reversing,
    an include per row, translated labels looked up in every cell): here what is the same for every row (labels,
    formats, URL shapes, each status's badge and next step, each track's name, each due date's text) is worked out
    once per page, into one str.format pattern; a row only escapes its own values (format_html's escaping, without
    its per-argument overhead)."""

    def __init__(self, *, user, show_organisation: bool):
        self.user = user
        self.show_organisation = show_organisation
        label = {key: _fixed(_text(_(text))) for key, text in (
            ("reference", "Reference"), ("track", "Track"), ("status", "Status"), ("cycle", "Cycle"),
            ("next", "Next step"), ("saved", "Last saved"),
        )}
        self.row = (
            '<tr data-proposal="{pk}">\n'
            f'      <td class="text-nowrap" data-label="{label["reference"]}">{{reference}}</td>\n'
            '      <td class="stack-lead"><a href="{detail}">{title}</a>{organisation}</td>\n'
            f'      <td class="small" data-label="{label["track"]}">{{track}}</td>\n'
            f'      <td data-label="{label["status"]}">{{badge}}</td>\n'
            f'      <td class="text-nowrap" data-label="{label["cycle"]}">{{cycle}}</td>\n'
            f'      <td class="small" data-label="{label["next"]}">{{next}}{{due}}</td>\n'
            f'      <td class="small text-nowrap" data-label="{label["saved"]}"><time datetime="{{saved_at}}">'
            '{saved}</time></td>\n'
            '      <td class="text-end text-nowrap">{edit}</td>\n'
            '    </tr>'
        )
        self.edit = _text(_("Edit"))
        self.detail_url = row_url("proposals:detail")
        self.edit_url = row_url("proposals:edit", STEP_SLUGS[0])
        self.saved_text = _DateFormat(get_format("DATETIME_FORMAT"))
        self.badge = get_template("proposals/_status_badge.html")
        self.levels = next_steps()
        self.language = active_language()
        self.next_steps, self.tracks, self.dues = {}, {}, {}

    def _badge(self, proposal) -> str:
        # What shown_status_label is worked out from, in the reader's language: the same badge for every page.
        key = self.language, proposal.shown_status, proposal.decision_undisclosed
        badge = _BADGES.get(key)
        if badge is None:
            badge = _BADGES[key] = self.badge.render({"status": key[1], "label": proposal.shown_status_label})
        return badge

    def _next_step(self, proposal) -> str:
        status = proposal.shown_status  # what next_step_text is worked out from
        if status not in self.next_steps:
            self.next_steps[status] = _text(next_step_text(proposal, self.levels) or "—")
        return self.next_steps[status]

    def _track(self, proposal) -> str:
        if proposal.track_name not in self.tracks:
            self.tracks[proposal.track_name] = _text(proposal.track_name)
        return self.tracks[proposal.track_name]

    def _due(self, proposal) -> str:
        """The due date under the next step: a deadline is the end of a working day, which rows share."""
        if proposal.due_at not in self.dues:
            self.dues[proposal.due_at] = (
                f'<div class="text-muted"><time datetime="{_text(localtime(proposal.due_at).isoformat())}">'
                f"{_text(deadline_text(proposal.due_at))}</time></div>"
            ) if proposal.due_at else ""
        return self.dues[proposal.due_at]

    def html(self, proposal) -> str:
        organisation = (f'<div class="small text-muted">{_text(proposal.organisation_name)}</div>'
                        if self.show_organisation else "")
        updated = localtime(proposal.updated_at)
        # Same rule as rules.can_edit_proposal, without a query per row.
        editable = rules.is_editable(self.user, proposal) and (
            proposal.owner_id == self.user.pk or proposal.is_collaborator
        )
        edit = (f'<a class="btn btn-sm btn-outline-primary" href="{_text(self.edit_url(proposal.pk))}">{self.edit}</a>'
                if editable else "")
        # Every value is escaped above or here, or is safe HTML of our own (the badge, due, edit, organisation).
        return mark_safe(self.row.format(
            pk=proposal.pk,
            reference=_text(proposal.reference or "—"),
            detail=_text(self.detail_url(proposal.pk)), title=_text(proposal.title), organisation=organisation,
            track=self._track(proposal),
            badge=self._badge(proposal),  # a template's output: safe, escaped there
            cycle=_text(proposal.cycle_year) if proposal.cycle_year else "—",
            next=self._next_step(proposal), due=self._due(proposal),
            saved_at=_text(updated.isoformat()), saved=_text(self.saved_text(updated)),
            edit=edit,
        ))


@login_required
def workspace(request):
    user = request.user
    count = workspace_reads.workspace_count(user=user)
    can_start = is_applicant(user)
    # Asked of applicants only: the page shows it only to those who may start a proposal.
    has_organisation = can_start and has_membership(user)
    if can_start and not has_organisation and not count:
        return redirect(_organisation_create_url(reverse("proposals:workspace")))
    page = page_positions(request, count)
    shown = page.object_list
    page.object_list = workspace_reads.workspace_page(user=user, start=shown.start, stop=shown.stop) if shown else []
    rows = _Rows(user=user, show_organisation=not can_start) if page.object_list else None
    return render(request, "proposals/workspace.html", {
        "proposals": page.object_list,
        "rows": [rows.html(proposal) for proposal in page.object_list],
        "page": page,
        "can_start": can_start,
        "has_organisation": has_organisation,
    })


@login_required
def proposal_start(request):
    refused = permission_refusal(request, "proposals.create_proposal")
    if refused is not None:
        return forbidden(request, None, refused.reason)
    organisation = request.user.organisation
    if organisation is None:
        return redirect(_organisation_create_url(reverse("proposals:start")))
    initial = {}
    if request.GET.get("track", "").isdigit():
        initial["track"] = request.GET["track"]
    form = ProposalStartForm(request.POST or None, initial=initial)
    refused_track = None
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                by=request.user, track=form.cleaned_data["track"], title=form.cleaned_data["title"],
                organisation=organisation,
            )
        except (ValidationError, PermissionDenied) as exc:
            refused_track = form.cleaned_data["track"]
            for text in error_messages(exc):
                form.add_error("track", text)
        else:
            messages.success(request, _("Your draft is created. It is saved as you go; submit it when it is ready."))
            return redirect("proposals:edit", pk=proposal.pk, step=STEP_SLUGS[0])
    tracks = list(form.fields["track"].queryset)
    for track in tracks:
        track.refusals = [p.message for p in track_refusals(track, organisation=organisation)]
        track.is_eligible = not track.refusals  # the draft page then names any holder of the jurisdiction
        track.rules = track_rules(track)
    alternatives = [t for t in tracks if t.is_eligible]
    return render(request, "proposals/start.html", {
        "form": form, "tracks": tracks, "organisation": organisation, "refused_track": refused_track,
        "alternatives": alternatives,
    }, status=400 if form.errors else 200)
