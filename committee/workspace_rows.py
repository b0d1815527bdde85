"""The member workspace's table rows as HTML, the markup templates/committee/workspace.html had per row.

Built in Python for the reason proposals.views.workspace._Rows is: the template loop spent most of the page's time
on per-row lookups and tags; here the labels and URL shapes are worked out once per page."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.paging import row_url


def _(text: str) -> str:
    # As the template's {% translate %} gave them: a catalogue's text is output as it is, not escaped again
    # (French "Conflit d'intérêts" stays so in its data-label).
    return mark_safe(gettext(text))


class WorkspaceRows:
    def __init__(self):
        self.labels = {key: _(text) for key, text in (
            ("reference", "Reference"), ("title", "Title"), ("track", "Track"), ("cycle", "Cycle"),
            ("why", "Why it is before you"), ("conflict", "Conflict of interest"), ("review", "Your review"),
        )}
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

    def html(self, p) -> str:
        labels = self.labels
        readable = p.has_declared and not p.declared_conflict
        title = format_html('<a href="{}">{}</a>', self.read_url(p.pk), p.title) if readable else p.title
        if not p.has_declared:
            conflict = format_html('<a class="btn btn-sm btn-primary" href="{}">{}</a>\n          ',
                                   self.declare_url(p.pk), self.declare)
        else:
            conflict = self.conflicted if p.declared_conflict else self.no_conflict
        if p.declared_conflict:
            review = "—"
        elif p.review_submitted:
            review = self.submitted
        elif p.has_declared:
            review = format_html('<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>\n          ',
                                 self.review_url(p.pk), self.score)
        else:
            review = self.after
        return format_html(
            '<tr data-proposal="{}">\n'
            '      <td class="text-nowrap" data-label="{}">{}</td>\n'
            '      <td data-label="{}"><div>{}<div class="small text-muted">{}</div></div></td>\n'
            '      <td class="small" data-label="{}">{}</td>\n'
            '      <td data-label="{}">{}</td>\n'
            '      <td class="small" data-label="{}">{}</td>\n'
            '      <td data-label="{}">{}</td>\n'
            '      <td data-label="{}">{}</td>\n'
            '    </tr>',
            p.pk,
            labels["reference"], p.reference,
            labels["title"], title, p.organisation.name,
            labels["track"], p.track.name,
            labels["cycle"], p.cycle.year if p.cycle else "",
            labels["why"], self.why[bool(p.is_assigned)],
            labels["conflict"], conflict,
            labels["review"], review,
        )
