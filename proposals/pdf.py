"""A submitted proposal as a PDF for the applicant's records: its reference, programme, track and cycle, the text
as submitted, the contact people, and every attached document with its SHA-256, so a file can be matched to the
one the secretariat holds. Built on core.pdf (the same font rules as the committee's minutes)."""

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries import countries

from core.amounts import grouped, krw
from core.dates import date_in
from core.pdf import PortalPDF, Row
from proposals.models import JurisdictionLevel, Proposal

_TEXT_FIELDS = ("city_context", "problem_statement", "proposed_solutions", "objectives", "expected_outcomes",
                "co_financing_description", "national_plan_fit", "earlier_projects")


def _label(name: str) -> str:
    return capfirst(str(Proposal._meta.get_field(name).verbose_name))


def _when(value) -> str:
    return date_in(value, "DATETIME_ZONE_FORMAT") if value else "-"


def _krw(value) -> str:
    return krw(value) if value is not None else "-"


def proposal_pdf(proposal: Proposal) -> bytes:
    programme = proposal.track.programme
    pdf = PortalPDF(title=f"{proposal.reference}: {proposal.title}", author=programme.name,
                    created=proposal.submitted_at, footer=f"{proposal.reference} · {programme.name}")
    pdf.set_text_color(90, 90, 90)
    pdf.paragraph(programme.name, size=9)
    pdf.set_text_color(0, 0, 0)
    pdf.heading(proposal.title, size=16)
    cycle = proposal.cycle
    pdf.rows([
        Row(_("Reference"), proposal.reference or ""),
        Row(_("Programme"), programme.name),
        Row(_("Track"), proposal.track.name),
        Row(_("Selection cycle"), _("%(year)s cycle (cut-off %(cutoff)s)") % {
            "year": cycle.year, "cutoff": formats.date_format(cycle.cutoff, "DATE_FORMAT")} if cycle else "-"),
        Row(_("Submitted"), _when(proposal.submitted_at)),
        Row(_("Status"), str(proposal.shown_status_label)),
        Row(_("Applicant organisation"), proposal.organisation.name),
        Row(_label("country"), str(dict(countries).get(str(proposal.country), proposal.country))),
        Row(_label("region_city"), proposal.region_city),
        Row(_label("jurisdiction_level"), str(JurisdictionLevel(proposal.jurisdiction_level).label)
            if proposal.jurisdiction_level in JurisdictionLevel.values else "-"),
        Row(_label("lead_organisation"), proposal.lead_organisation),
        Row(_label("partner_organisations"), proposal.partner_organisations),
        Row(_label("population"), grouped(proposal.population) if proposal.population else "-"),
        Row(_label("area_km2"), str(proposal.area_km2 or "-")),
        Row(_label("solution_categories"), ", ".join(str(c) for c in proposal.solution_category_labels())),
        Row(_label("duration_months"), str(proposal.duration_months or "-")),
        Row(_label("requested_support_krw"), _krw(proposal.requested_support_krw)),
        Row(_label("co_financing_krw"), _krw(proposal.co_financing_krw)),
        Row(_label("priority_rank"), str(proposal.priority_rank or "-")),
    ])
    for name in _TEXT_FIELDS:
        value = getattr(proposal, name)
        if value:
            pdf.heading(_label(name), size=11)
            pdf.paragraph(value)

    pdf.heading(_("Contact people"), size=11)
    contacts = list(proposal.contacts.all())
    if contacts:
        pdf.table([_("Name"), _("Position"), _("E-mail"), _("Phone")],
                  [[c.name, c.position, c.email, c.phone] for c in contacts], widths=(45, 55, 55, 35))
    else:
        pdf.paragraph("-")

    pdf.heading(_("Attached documents"), size=11)
    attachments = list(proposal.attachments.all())
    if attachments:
        # The checksum on its own line under the name, unbroken, so it can be compared character by character.
        pdf.table([_("Document type"), _("File name and SHA-256"), _("Size (bytes)")],
                  [[str(a.get_kind_display()), f"{a.original_name}\nSHA-256 {a.sha256}", f"{a.size:,}"]
                   for a in attachments], widths=(38, 127, 25))
    else:
        pdf.paragraph(_("No documents attached."))
    pdf.set_text_color(90, 90, 90)
    pdf.paragraph(_("Generated on %(when)s from the proposal as the portal holds it.") % {
        "when": _when(timezone.now())}, size=8)
    return pdf.to_bytes()
