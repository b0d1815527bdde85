"""A proposal's summary (its answers, step by step, and its documents) as HTML: the markup the template
proposals/_summary.html had, for the proposal page and the review step before submitting.

Built in Python for the reason committee.workspace_rows is: the include resolved some forty values through the
template engine's lookups and filters on every view of the proposal page, about a tenth of the page's time. Each
value is written as the template wrote it: localized and escaped as `{{ value }}` is, `default:"—"`, `linebreaksbr`,
`join:", "`, `intcomma`, `krw` and `filesizeformat` by Django's and the portal's own filters.
"""

import functools

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import filesizeformat, join, linebreaksbr
from django.urls import reverse
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from core import amounts
from core.paging import row_url

_DASH = mark_safe("—")  # the template's `default:"—"` (a literal, so not escaped again)


def _(text: str) -> str:
    # As {% translate %} gave them: a catalogue's text is output as it is, not escaped again.
    return mark_safe(gettext(text))


def _shown(value) -> str:
    """What `{{ value }}` writes: the value localized (numbers in the reader's format), then escaped."""
    return conditional_escape(formats.localize(value))


def _or_dash(value) -> str:
    """`{{ value|default:"—" }}`."""
    return _shown(value) if value else _DASH


def _lines(value) -> str:
    """`{{ value|default:"—"|linebreaksbr }}`: escaped, its line breaks kept."""
    return linebreaksbr(value or _DASH, autoescape=True)


@functools.lru_cache(maxsize=16)
def _labels(language: str) -> dict[str, str]:
    """The summary's headings and labels in one language (the active one is in the key: gettext reads it)."""
    del language
    return {key: _(text) for key, text in (
        ("basics", gettext_noop("Basics")), ("context", gettext_noop("City context")),
        ("solutions", gettext_noop("Problem and solutions")), ("budget", gettext_noop("Plan and budget")),
        ("documents", gettext_noop("Documents")), ("edit", gettext_noop("Edit")),
        ("title", gettext_noop("Project title")), ("track", gettext_noop("Track")),
        ("organisation", gettext_noop("Applicant organisation")), ("country", gettext_noop("Country")),
        ("region", gettext_noop("Region or city")), ("jurisdiction", gettext_noop("Jurisdiction level")),
        ("lead", gettext_noop("Lead organisation")), ("partners", gettext_noop("Partner organisations")),
        ("contacts", gettext_noop("Contact persons")), ("population", gettext_noop("Population")),
        ("area", gettext_noop("Area (km²)")), ("problem", gettext_noop("Problem statement")),
        ("categories", gettext_noop("Solution categories")), ("solutions_text", gettext_noop("Proposed solutions")),
        ("objectives", gettext_noop("Objectives")), ("outcomes", gettext_noop("Expected outcomes")),
        ("duration", gettext_noop("Duration (months)")), ("requested", gettext_noop("Requested support")),
        ("cap", gettext_noop("cap")), ("cofinancing", gettext_noop("Co-financing")),
        ("sources", gettext_noop("Co-financing sources")), ("plans", gettext_noop("Fit with national plans")),
        ("rank", gettext_noop("Priority rank within the country")),
        ("earlier", gettext_noop("Earlier K-City Network projects")),
        ("no_documents", gettext_noop("No documents attached.")),
    )}


def _row(label: str, value: str) -> str:
    return f'    <dt class="col-sm-4">{label}</dt><dd class="col-sm-8">{value}</dd>\n'


def _heading(key: str, heading: str, edit: str) -> str:
    return (f'<section class="mb-4" aria-labelledby="summary-{key}">\n'
            f'  <h2 class="h5" id="summary-{key}">{heading}{edit}</h2>\n')


def _section(key: str, heading: str, edit: str, rows: list[tuple[str, str]]) -> str:
    body = "".join(_row(label, value) for label, value in rows)
    return f'{_heading(key, heading, edit)}  <dl class="row small mb-0">\n{body}  </dl>\n</section>\n'


def _contact(c) -> str:
    position = f", {_shown(c.position)}" if c.position else ""
    phone = f" · {_shown(c.phone)}" if c.phone else ""
    email = _shown(c.email)
    return f'<div>{_shown(c.name)}{position} · <a href="mailto:{email}">{email}</a>{phone}</div>'


def _amount(value) -> str:
    """`{% if value is not None %}{{ value|krw }}{% else %}—{% endif %}`."""
    return _DASH if value is None else _shown(amounts.krw(value))


def _document(a, url) -> str:
    return (f'<li><a href="{_shown(url(a.pk))}">{_shown(a.original_name)}</a> <span class="text-muted">· '
            f'{_shown(a.get_kind_display())} · {_shown(filesizeformat(a.size))}</span></li>')


def summary_html(proposal, contacts, attachments, *, edit_links: bool = False) -> SafeString:
    """The summary of `proposal` with its contact persons and documents; with `edit_links`, each step's heading
    links to that step of the form."""
    label = _labels(get_language())

    def edit(step: str) -> str:
        if not edit_links:
            return ""
        url = conditional_escape(reverse("proposals:edit", args=[proposal.pk, step]))
        return f' <a class="small fw-normal" href="{url}">{label["edit"]}</a>'

    p = proposal
    organisation = p.organisation
    contact_lines = "".join(_contact(c) for c in contacts) or _DASH
    categories = join(p.solution_category_labels(), ", ", autoescape=True) or _DASH
    population = _DASH if p.population is None else _shown(intcomma(p.population))
    area = _DASH if p.area_km2 is None else _shown(p.area_km2)
    requested = (f'{_amount(p.requested_support_krw)} <span class="text-muted">({label["cap"]} '
                 f'{_shown(amounts.krw(p.track.support_cap_krw))})</span>')
    if attachments:
        # Attachment.get_absolute_url, reversed once for the proposal's documents, not once each.
        download = row_url("proposals:attachment-download", before=(proposal.pk,))
        items = "".join(_document(a, download) for a in attachments)
        documents = f'  <ul class="small mb-0" id="summary-attachments">{items}</ul>\n  \n'
    else:
        documents = f'  <p class="small text-muted mb-0">{label["no_documents"]}</p>\n'
    return mark_safe("".join((
        '\n<div class="proposal-summary">\n',
        _section("basics", label["basics"], edit("basics"), [
            (label["title"], _shown(p.title)),
            (label["track"], _shown(p.track.name)),
            (label["organisation"], f"{_shown(organisation.name)} ({_shown(organisation.get_kind_display())})"),
            (label["country"], _or_dash(p.country.name)),
            (label["region"], _or_dash(p.region_city)),
            (label["jurisdiction"], _or_dash(p.get_jurisdiction_level_display())),
            (label["lead"], _or_dash(p.lead_organisation)),
            (label["partners"], _lines(p.partner_organisations)),
            (label["contacts"], contact_lines),
        ]),
        _section("context", label["context"], edit("context"), [
            (label["population"], population),
            (label["area"], area),
            (label["context"], _lines(p.city_context)),
        ]),
        _section("solutions", label["solutions"], edit("solutions"), [
            (label["problem"], _lines(p.problem_statement)),
            (label["categories"], categories),
            (label["solutions_text"], _lines(p.proposed_solutions)),
            (label["objectives"], _lines(p.objectives)),
            (label["outcomes"], _lines(p.expected_outcomes)),
        ]),
        _section("budget", label["budget"], edit("budget"), [
            (label["duration"], _or_dash(p.duration_months)),
            (label["requested"], requested),
            (label["cofinancing"], _amount(p.co_financing_krw)),
            (label["sources"], _lines(p.co_financing_description)),
            (label["plans"], _lines(p.national_plan_fit)),
            (label["rank"], _or_dash(p.priority_rank)),
            (label["earlier"], _lines(p.earlier_projects)),
        ]),
        _heading("documents", label["documents"], edit("documents")),
        documents,
        "</section>\n</div>\n",
    )))
