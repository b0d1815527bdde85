from django import template

from proposals.deadlines import deadline_text

register = template.Library()


@register.filter
def deadline(value) -> str:
    """`{{ proposal.due_at|deadline }}`: "by 15 Dec 2026 (Seoul office day)"."""
    return deadline_text(value)
