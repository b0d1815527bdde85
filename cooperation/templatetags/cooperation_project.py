"""{% project_text project "title" %}: a project's title or description in the viewer's language (English when
it has no translation)."""

from django import template

register = template.Library()


@register.simple_tag
def project_text(project, field: str) -> str:
    return project.text(field)
