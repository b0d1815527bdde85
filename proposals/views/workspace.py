"""The applicant's workspace (their organisation's proposals) and starting a proposal."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from accounts.rules import is_applicant
from core.paging import page_of, row_url
from proposals import rules, selectors, services
from proposals.deadlines import deadline_text
from proposals.eligibility import track_refusals, track_rules
from proposals.forms import STEP_SLUGS, ProposalStartForm
from proposals.views.common import error_messages, forbidden, next_step_text, next_steps, permission_refusal


def _organisation_create_url(next_url: str) -> str:
    return f"{reverse('accounts:organisation-create')}?{urlencode({'next': next_url})}"


class _Rows:
    """The workspace's table rows as HTML, the markup templates/proposals/workspace.html had per row.

    Built in Python because the template spent most of the page's time on per-row work (filters, url reversing,
    an include per row, translated labels looked up in every cell): here what is the same for every row (labels,
    formats, URL shapes, each status's badge, each track's name) is worked out once per page."""

    def __init__(self, *, show_organisation: bool):
        self.show_organisation = show_organisation
        self.labels = {key: _(text) for key, text in (
            ("reference", "Reference"), ("track", "Track"), ("status", "Status"), ("cycle", "Cycle"),
            ("next", "Next step"), ("saved", "Last saved"),
        )}
        self.edit = _("Edit")
        self.detail_url = row_url("proposals:detail")
        self.edit_url = row_url("proposals:edit", STEP_SLUGS[0])
        self.saved_format = get_format("DATETIME_FORMAT")
        self.badge = get_template("proposals/_status_badge.html")
        self.badges = {}
        self.tracks = {}

    def _badge(self, proposal) -> str:
        key = proposal.shown_status, proposal.decision_undisclosed  # what shown_status_label is worked out from
        if key not in self.badges:
            self.badges[key] = self.badge.render({"status": key[0], "label": proposal.shown_status_label})
        return self.badges[key]

    def _track(self, proposal) -> str:
        if proposal.track_id not in self.tracks:
            self.tracks[proposal.track_id] = proposal.track.name
        return self.tracks[proposal.track_id]

    def html(self, proposal) -> str:
        labels = self.labels
        organisation = (format_html('<div class="small text-muted">{}</div>', proposal.organisation.name)
                        if self.show_organisation else "")
        due = ""
        if proposal.due_at:
            due = format_html('<div class="text-muted"><time datetime="{}">{}</time></div>',
                              localtime(proposal.due_at).isoformat(), deadline_text(proposal.due_at))
        updated = localtime(proposal.updated_at)
        edit = (format_html('<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>',
                            self.edit_url(proposal.pk), self.edit) if proposal.is_editable else "")
        return format_html(
            '<tr data-proposal="{}">\n'
            '      <td class="text-nowrap" data-label="{}">{}</td>\n'
            '      <td class="stack-lead"><a href="{}">{}</a>{}</td>\n'
            '      <td class="small" data-label="{}">{}</td>\n'
            '      <td data-label="{}">{}</td>\n'
            '      <td class="text-nowrap" data-label="{}">{}</td>\n'
            '      <td class="small" data-label="{}">{}{}</td>\n'
            '      <td class="small text-nowrap" data-label="{}"><time datetime="{}">{}</time></td>\n'
            '      <td class="text-end text-nowrap">{}</td>\n'
            '    </tr>',
            proposal.pk,
            labels["reference"], proposal.reference or "—",
            self.detail_url(proposal.pk), proposal.title, organisation,
            labels["track"], self._track(proposal),
            labels["status"], self._badge(proposal),  # a template's output: safe, escaped there
            labels["cycle"], proposal.cycle.year if proposal.cycle else "—",
            labels["next"], proposal.next_step_text or "—", due,
            labels["saved"], updated.isoformat(), dateformat.format(updated, self.saved_format),
            edit,
        )


@login_required
def workspace(request):
    user = request.user
    page = page_of(request, selectors.workspace_ids(user=user))
    can_start = is_applicant(user)
    # Asked of applicants only: the page shows it only to those who may start a proposal.
    has_organisation = can_start and user.memberships.exists()
    if can_start and not has_organisation and not page.paginator.count:
        return redirect(_organisation_create_url(reverse("proposals:workspace")))
    levels = next_steps()
    # One query for the page's rows: page.object_list is the page's slice of ids, a subquery here.
    proposals = list(selectors.workspace_page(user=user, ids=page.object_list))
    page.object_list = proposals  # the rows the template shows are the ones annotated here
    rows = _Rows(show_organisation=not can_start)
    html = []
    for proposal in proposals:
        proposal.next_step_text = next_step_text(proposal, levels)
        # Same rule as rules.can_edit_proposal, without a query per row.
        proposal.is_editable = rules.is_editable(user, proposal) and (
            proposal.owner_id == user.pk or proposal.is_collaborator
        )
        html.append(rows.html(proposal))
    return render(request, "proposals/workspace.html", {
        "proposals": proposals,
        "rows": html,
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
