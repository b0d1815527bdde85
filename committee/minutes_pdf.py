"""The minutes as a PDF (fpdf2), with the portal's Unicode font (core.pdf) so names and Korean text print."""

from django.utils.translation import gettext as _

from core.pdf import PortalPDF


def minutes_pdf(minutes) -> bytes:
    pdf = PortalPDF(title=str(minutes.meeting), author=_("National Smart City Committee"),
                    created=minutes.updated_at, footer=str(minutes.meeting))
    if minutes.status != "final":
        pdf.set_text_color(180, 0, 0)
        pdf.cell(0, 8, pdf.safe(_("DRAFT: not final")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.paragraph(minutes.body)
    return pdf.to_bytes()
