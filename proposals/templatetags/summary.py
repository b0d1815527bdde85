"""{% proposal_summary proposal contacts attachments edit_links=True %}: a proposal's answers and documents, as
the proposal page and the review step show them (proposals.summary_html)."""

from django import template

from proposals.summary_html import summary_html

register = template.Library()


@register.simple_tag
def proposal_summary(proposal, contacts, attachments, edit_links=False):
    return summary_html(proposal, contacts, attachments, edit_links=edit_links)
