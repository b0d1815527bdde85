"""core.admin_actions writes the admin's action form as Django's widget templates do, byte for byte."""

import pytest
from django.contrib.admin import helpers
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from core.admin_actions import ActionForm

CHOICES = [("", "---------"), ("start_screening", "Start screening"), ("request_information", 'Ask <"&">…')]
GROUPED = [("", "---------"), ("Moves & more", [("a", "One"), ("b", "Two")])]


def _fields(form_class, data=None, choices=CHOICES):
    form = form_class(data, auto_id=None)
    form.fields["action"].choices = choices
    if data is not None:
        form.is_valid()  # a bound form shows its errors' state as Django's does
    return [(str(field.label), str(field)) for field in form]


@pytest.mark.parametrize("language", ["en", "ko", "ar"])
@pytest.mark.parametrize("data", [None, {"action": "request_information", "select_across": "1"}, {"action": "x"}])
@pytest.mark.parametrize("choices", [CHOICES, GROUPED])
def test_action_form_is_djangos_markup(language, data, choices):
    with translation.override(language):
        assert _fields(ActionForm, data, choices) == _fields(helpers.ActionForm, data, choices)


def test_action_form_keeps_djangos_fields_and_checks():
    form = ActionForm({"action": "start_screening", "select_across": "0"}, auto_id=None)
    form.fields["action"].choices = CHOICES

    assert form.is_valid()
    assert form.cleaned_data == {"action": "start_screening", "select_across": False}
    assert form.fields["action"].widget.is_required and "required" in str(form["action"])


class _OwnRenderer(DjangoTemplates):
    """A project's renderer, which may find widget templates of its own: it is asked for them."""

    rendered: list

    def render(self, template_name, context, request=None):
        self.rendered.append(template_name)
        return super().render(template_name, context, request)


def test_another_form_renderer_renders_the_widgets_itself():
    form = ActionForm(auto_id=None)
    form.fields["action"].choices = CHOICES
    form.renderer = _OwnRenderer()
    form.renderer.rendered = []

    assert str(form["action"]).startswith('<select name="action" required>')
    assert str(form["select_across"]) == '<input type="hidden" name="select_across" value="0" class="select-across">'
    assert form.renderer.rendered == ["django/forms/widgets/select.html", "django/forms/widgets/hidden.html"]
