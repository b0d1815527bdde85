"""`{{ form|crispy_fixed }}`: crispy's `|crispy` for a form whose empty markup depends on the language alone.

Rendering a form through crispy's templates costs milliseconds (a template per field, its attributes, its help
text), and a page that offers several small forms (the proposal page: a message, an invitation, a withdrawal, an
answer) pays it on every request for markup that never changes. An unbound form with no initial values prints the
same HTML for everyone reading the same language, so that is kept once per form class and language; a bound form
(a POST with errors: its values and messages) or one with initial values is rendered afresh, as `|crispy` does.
Only for forms whose fields do not change per instance (no per-person choices or attributes set in __init__); the
CSRF token stays outside, in the template's own {% csrf_token %}.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import template
from django.conf import settings
from django.utils.translation import get_language

register = template.Library()

_rendered: dict[tuple, str] = {}


@register.filter
def crispy_fixed(form):
    if form.is_bound or form.initial or settings.DEBUG:  # DEBUG: a template being edited shows at once
        return as_crispy_form(form)
    key = (type(form), form.prefix, form.auto_id, get_language())
    html = _rendered.get(key)
    if html is None:
        html = _rendered[key] = as_crispy_form(form)
    return html
