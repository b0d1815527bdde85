"""The admin's action form ("Action: [choose] Go"), its two widgets written in Python, markup for markup what
Django's widget templates (select.html, select_option.html, hidden.html, attrs.html) write.

Those templates, an include for every option and for every option's attributes, cost the proposal list about as
much as the rest of its actions bar. A form renderer other than Django's own (one that may find other widget
templates) is left to render them.
"""

from django.contrib.admin import helpers
from django.forms import HiddenInput, Select
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{conditional_escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _djangos_renderer(renderer) -> bool:
    return renderer is None or type(renderer) is DjangoTemplates


class ActionSelect(Select):
    def render(self, name, value, attrs=None, renderer=None):
        if not _djangos_renderer(renderer):
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
                f'{conditional_escape(option["label"])}</option>\n'
                for option in group_choices
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts).strip())


class ActionHiddenInput(HiddenInput):
    def render(self, name, value, attrs=None, renderer=None):
        if not _djangos_renderer(renderer):
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
        return mark_safe(
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f'{shown}{_attrs(widget["attrs"])}>'
        )


class ActionForm(helpers.ActionForm):
    """Django's action form (the same fields, labels and checks) with the widgets above."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        action, across = self.fields["action"], self.fields["select_across"]
        action.widget = ActionSelect(attrs=action.widget.attrs, choices=action.choices)
        across.widget = ActionHiddenInput(attrs=across.widget.attrs)
        for field in (action, across):
            field.widget.is_required = field.required
