"""The released decision letter as a PDF: the letter the applicant was e-mailed (the same template, rendered in
the reader's language and zone), on the portal's PDF base (core.pdf) with the proposal's reference and cycle."""

from django.utils import formats
from django.utils.translation import gettext as _

from committee.models import DecisionLetter
from core.pdf import PortalPDF, Row
from notifications.services import render_for


def letter_pdf(letter: DecisionLetter, *, reader) -> bytes:
    decision = letter.decision
    proposal = decision.proposal
    programme = proposal.track.programme
    subject, body = render_for(reader, "committee_decision",
                               {"proposal": proposal, "decision": decision, "letter": letter})
    lines = body.rstrip().split("\n")
    if lines and lines[-1].rstrip().endswith(":"):  # the e-mail's "see your workspace:" line, its link follows
        lines = lines[:-1]
    pdf = PortalPDF(title=subject, author=programme.name, created=letter.sent_at,
                    footer=f"{proposal.reference} · {programme.name}")
    pdf.set_text_color(90, 90, 90)
    pdf.paragraph(_("%(programme)s · National Smart City Committee") % {"programme": programme.name}, size=9)
    pdf.set_text_color(0, 0, 0)
    pdf.heading(_("Decision letter"), size=16)
    pdf.rows([
        Row(_("Reference"), proposal.reference or ""),
        Row(_("Proposal"), proposal.title),
        Row(_("Selection cycle"), str(proposal.cycle.year) if proposal.cycle else "-"),
        Row(_("Outcome"), str(decision.get_outcome_display())),
        Row(_("Sent"), formats.date_format(letter.sent_at, "DATE_FORMAT") if letter.sent_at else "-"),
    ])
    pdf.paragraph("\n".join(lines).strip())
    return pdf.to_bytes()
