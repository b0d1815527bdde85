"""One error pattern for every form (GOV.UK's error summary), found in the page's context, not page by page.

`{% error_summary %}` (in base.html, at the top of the main content) lists every error of every bound form and
formset the view handed to its template, each a link to its field; `{% error_title_prefix %}` puts "Error: " in
front of the page title when there is one. A view with errors that are not a form's (the proposal's submit
checklist) passes `error_summary_items`: a list of {"message": ..., "href": ...}.

Django itself (5.2) marks each invalid widget aria-invalid="true" and points its aria-describedby at
`<auto_id>_error`; crispy's templates and templates/includes/field_errors.html give the message that id.
"""

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext

register = template.Library()


def _first_input_id(bound_field) -> str:
    """The id the summary link goes to: the field itself, or a radio group's/multi-widget's first input."""
    if not bound_field.auto_id:
        return ""
    if bound_field.use_fieldset:
        subwidgets = bound_field.subwidgets
        if subwidgets:
            return subwidgets[0].id_for_label or bound_field.auto_id
    return bound_field.id_for_label or bound_field.auto_id


def _first_visible_id(form) -> str:
    for bound_field in form.visible_fields():
        if not bound_field.field.disabled:
            return _first_input_id(bound_field)
    return ""


def form_error_items(form) -> list[dict]:
    """Every error of one bound form, in the order of its fields, non-field errors first."""
    if not form.is_bound or not form.errors:
        return []
    items = []
    first = _first_visible_id(form)
    for error in form.non_field_errors():
        items.append({"message": str(error), "href": f"#{first}" if first else ""})
    for bound_field in form:
        if not bound_field.errors:
            continue
        target = first if bound_field.is_hidden else _first_input_id(bound_field)
        label = capfirst(str(bound_field.label)) if bound_field.label and not bound_field.is_hidden else ""
        for error in bound_field.errors:
            message = gettext("%(label)s: %(error)s") % {"label": label, "error": error} if label else str(error)
            items.append({"message": message, "href": f"#{target}" if target else ""})
    return items


def formset_error_items(formset) -> list[dict]:
    if not formset.is_bound:
        return []
    items = []
    forms = formset.forms
    first = _first_visible_id(forms[0]) if forms else ""
    for error in formset.non_form_errors():
        items.append({"message": str(error), "href": f"#{first}" if first else ""})
    for form in forms:
        items.extend(form_error_items(form))
    return items


# Tuples, not `A | B` unions: every value of every page's context is tested against them.
FORM_KINDS = (BaseForm, BaseFormSet)
SEQUENCE_KINDS = (list, tuple)


def _candidates(values, depth=0):
    """The context's values, and those inside lists and tuples two levels down: the availability page hands over
    [(weekday, formset), ...]. Tested on type(), not isinstance(): isinstance() asks a lazy object its __class__,
    which evaluates it, and the context holds several (the CSRF token, the staff inbox's count) that a page may
    not need."""
    for value in values:
        kind = type(value)
        if issubclass(kind, FORM_KINDS):
            yield value
        elif depth < 2 and kind in SEQUENCE_KINDS:  # a NamedTuple row is not a list of forms
            yield from _candidates(value, depth + 1)


def summary_items(context) -> list[dict]:
    """The errors on this page: the view's own list, then every bound form and formset in the context."""
    flat = context.flatten()
    items = [
        {"message": str(item["message"]), "href": item.get("href", "")}
        for item in flat.get("error_summary_items") or ()
    ]
    values = list(_candidates(flat.values()))
    seen = set()
    for value in values:
        if isinstance(value, BaseFormSet) and id(value) not in seen:
            seen.add(id(value))
            seen.update(id(form) for form in value.forms)
            items.extend(formset_error_items(value))
    for value in values:
        if isinstance(value, BaseForm) and id(value) not in seen:
            seen.add(id(value))
            items.extend(form_error_items(value))
    return items


def _cached_items(context) -> list[dict]:
    # The title and the summary both ask; work it out once per render.
    key = "_error_summary_items"
    if key not in context.render_context:
        context.render_context[key] = summary_items(context)
    return context.render_context[key]


@register.simple_tag(takes_context=True)
def error_summary(context):
    """The summary, or nothing: on the many pages without an error its template is not even rendered."""
    items = _cached_items(context)
    if not items:
        return ""
    summary = context.template.engine.get_template("includes/error_summary.html")
    return summary.render(context.new({"error_items": items}))


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """ "Error: " before the page title when the page shows an error summary (GOV.UK), else nothing."""
    return gettext("Error: ") if _cached_items(context) else ""
