"""The member workspace's table rows and meeting lines as HTML, the markup templates/committee/workspace.html had.

Built in Python for the reason proposals.views.workspace._Rows is: the template loop spent most of the page's time
on per-row lookups and tags; here the labels and URL shapes are worked out once per page."""

import html

from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_noop

from committee.models import MeetingStatus
from committee.selectors import WorkspaceRow
from core.paging import row_url


def _(text: str) -> str:
    # As the template's {% translate %} gave them: a catalogue's text is output as it is, not escaped again
    # (French "Conflit d'intérêts" stays so in its data-label).
    return mark_safe(gettext(text))


def _text(value) -> str:
    """conditional_escape without its lazy-argument wrapper (the same text)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _fixed(text: str) -> str:
    """Text put into a row's str.format pattern once per page: its braces kept as text."""
    return text.replace("{", "{{").replace("}", "}}")


class WorkspaceRows:
    def __init__(self):
        label = {key: _fixed(_(text)) for key, text in (
            ("reference", gettext_noop("Reference")), ("title", gettext_noop("Title")),
            ("track", gettext_noop("Track")), ("cycle", gettext_noop("Cycle")),
            ("why", gettext_noop("Why it is before you")), ("conflict", gettext_noop("Conflict of interest")),
            ("review", gettext_noop("Your review")),
        )}
        # One str.format pattern per page: a row only escapes its own values.
        self.row = (
            '<tr data-proposal="{pk}">\n'
            f'      <td class="text-nowrap" data-label="{label["reference"]}">{{reference}}</td>\n'
            f'      <td data-label="{label["title"]}"><div>{{title}}<div class="small text-muted">{{organisation}}'
            '</div></div></td>\n'
            f'      <td class="small" data-label="{label["track"]}">{{track}}</td>\n'
            f'      <td data-label="{label["cycle"]}">{{cycle}}</td>\n'
            f'      <td class="small" data-label="{label["why"]}">{{why}}</td>\n'
            f'      <td data-label="{label["conflict"]}">{{conflict}}</td>\n'
            f'      <td data-label="{label["review"]}">{{review}}</td>\n'
            '    </tr>'
        )
        self.why = {True: _("Assigned reviewer"), False: _("On a meeting agenda")}
        # Each cell that depends on the row's state only, not on its proposal, is the same markup on every row.
        self.conflicted = format_html('<span class="badge text-bg-danger">{}</span>\n          ',
                                      _("Conflict declared"))
        self.no_conflict = format_html('<span class="badge text-bg-success">{}</span>', _("No conflict"))
        self.submitted = format_html('<span class="badge text-bg-success">{}</span>\n          ', _("Submitted"))
        self.after = format_html('<span class="text-muted small">{}</span>', _("after declaring"))
        self.declare, self.score = _("Declare"), _("Score")
        self.read_url, self.declare_url, self.review_url = (
            row_url(name) for name in ("committee:proposal", "committee:declare", "committee:review"))
        self.meeting_url = row_url("committee:meeting")  # Meeting.get_absolute_url
        self.meeting = (
            '<li class="list-group-item d-flex flex-wrap justify-content-between gap-2"><a href="{url}">{title}</a> '
            '<span class="small"><time datetime="{iso}">{starts}</time> · {status}</span></li>'
        )
        # What get_status_display gives, worked out once per page (it builds the choices' dict on every call).
        self.statuses = {value: _text(str(label)) for value, label in MeetingStatus.choices}
        self.starts_format = get_format("DATETIME_FORMAT")

    def meetings(self, meetings) -> str:
        """The lines of "Your meetings" as one piece of markup: one template variable, not one per line."""
        return mark_safe("".join(self.meeting_html(meeting) for meeting in meetings))

    def table(self, rows) -> str:
        """The table's rows as one piece of markup, each followed by the template's indentation."""
        return mark_safe("".join(f"{self.html(row)}\n  " for row in rows))

    def meeting_html(self, meeting) -> str:
        """A line of "Your meetings": its link, its start in the reader's time zone, its status."""
        starts = localtime(meeting.starts_at)
        status = self.statuses.get(meeting.status) or _text(meeting.status)
        # Every value is escaped here, as format_html would (the isoformat has no character it changes).
        return mark_safe(self.meeting.format(
            url=self.meeting_url(meeting.pk), title=_text(meeting.title), iso=starts.isoformat(),
            starts=_text(dateformat.format(starts, self.starts_format)), status=status,
        ))

    def html(self, p: WorkspaceRow) -> str:
        readable = p.has_declared and not p.declared_conflict
        title = _text(p.title)
        if readable:
            title = f'<a href="{self.read_url(p.pk)}">{title}</a>'
        if not p.has_declared:
            conflict = (f'<a class="btn btn-sm btn-primary" href="{self.declare_url(p.pk)}">{self.declare}</a>'
                        "\n          ")
        else:
            conflict = self.conflicted if p.declared_conflict else self.no_conflict
        if p.declared_conflict:
            review = "—"
        elif p.review_submitted:
            review = self.submitted
        elif p.has_declared:
            review = (f'<a class="btn btn-sm btn-outline-primary" href="{self.review_url(p.pk)}">{self.score}</a>'
                      "\n          ")
        else:
            review = self.after
        # Every value is escaped here or is markup of our own (the links, badges and labels above).
        return mark_safe(self.row.format(
            pk=p.pk, reference=_text(p.reference), title=title, organisation=_text(p.organisation),
            track=_text(p.track), cycle="" if p.cycle_year is None else p.cycle_year, why=self.why[p.is_assigned],
            conflict=conflict, review=review,
        ))
