"""Final minutes of a cooperation meeting as a PDF (fpdf2), with the portal's font choice (core.pdf.font_file:
a CJK-capable TrueType font when the machine has one, so Korean and names print; else Helvetica with what it lacks
replaced). The file carries the record both sides acknowledged: when and where, the delegations, the agenda with
its outcomes and action items, the minutes' text and the two acknowledgments."""

import zoneinfo

from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from cooperation import selectors_meetings as sel
from core.pdf import font_file


def _local(moment, zone) -> str:
    return f"{formats.date_format(moment.astimezone(zone), 'DATETIME_FORMAT')} ({zone.key})"


def meeting_minutes_pdf(minutes, *, language: str = "en") -> bytes:
    meeting = minutes.meeting
    zone = zoneinfo.ZoneInfo(str(meeting.time_zone))
    with translation.override(language):
        pdf = FPDF(format="A4")
        pdf.set_title(str(meeting))
        pdf.set_author(_("K-City Network"))
        pdf.set_creation_date(minutes.finalised_at or minutes.updated_at)
        pdf.add_page()
        found = font_file()  # the portal's one choice of font (the committee's documents use it too)
        if found:
            pdf.add_font("minutes", fname=found[0], collection_font_number=found[1])
            pdf.set_font("minutes", size=10)

            def text(value):
                return str(value)
        else:
            pdf.set_font("helvetica", size=10)

            def text(value):
                return str(value).encode("latin-1", "replace").decode("latin-1")

        def line(value="", *, size=10, gap=5):
            pdf.set_font_size(size)
            pdf.multi_cell(0, gap, text(value), new_x="LMARGIN", new_y="NEXT")

        line(str(meeting), size=15, gap=8)
        line(meeting.project.text("title"), size=11, gap=6)
        line(_("When: %(when)s") % {"when": _local(meeting.starts_at, zone)})
        if meeting.place:
            line(_("Place: %(place)s") % {"place": meeting.place})
        line()
        sides = sel.delegations(meeting)
        if sides:
            line(_("Delegations"), size=12, gap=7)
            for delegates in sides.values():
                names = "; ".join(
                    f"{d.name}{', ' + d.position if d.position else ''}{' (' + _('head') + ')' if d.is_head else ''}"
                    for d in delegates)
                line(f"{delegates[0].get_side_display()}: {names}")
            line()
        agenda = sel.meeting_agenda(meeting)
        if agenda:
            line(_("Agenda and outcomes"), size=12, gap=7)
            for item in agenda:
                line(f"{item.order}. {item.title}", size=10, gap=6)
                if item.outcome_kind:
                    line(f"   {item.get_outcome_kind_display()}: {item.outcome}")
                if item.approved is not None:
                    line("   " + _("Approved change: %(change)s") % {"change": sel.change_label(item.approved)})
                for action in item.action_items.all():
                    line("   - " + _("Action: %(title)s; owner: %(side)s %(name)s; due %(due)s") % {
                        "title": action.title, "side": action.get_owner_side_display(), "name": action.owner_name,
                        "due": formats.date_format(action.due_date, "DATE_FORMAT")})
            line()
        line(_("Minutes"), size=12, gap=7)
        line(minutes.body)
        line()
        for label, who, when in ((_("Acknowledged for MOLIT"), minutes.korean_ack_by, minutes.korean_ack_at),
                                 (_("Acknowledged for the partner government"), minutes.partner_ack_by,
                                  minutes.partner_ack_at)):
            if when:
                line(f"{label}: {who.get_full_name()}, {_local(when, zone)}")
        return bytes(pdf.output())
