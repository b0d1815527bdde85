"""{{ form|crispy_fixed }}: crispy's markup, kept per form class and language while the form is empty."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.template import Context, Template
from django.utils import translation

from core.templatetags import fixed_forms
from proposals.forms import InvitationForm, MessageForm, ResubmitForm, WithdrawForm

FIXED = Template("{% load fixed_forms %}{{ form|crispy_fixed }}")


@pytest.mark.parametrize("form_class", [MessageForm, WithdrawForm, ResubmitForm, InvitationForm])
@pytest.mark.parametrize("language", ["en", "ko", "ar"])
def test_an_empty_form_reads_as_crispy_renders_it_and_is_kept_per_language(form_class, language):
    with translation.override(language):
        first = FIXED.render(Context({"form": form_class()}))
        again = FIXED.render(Context({"form": form_class()}))

        assert first == again == as_crispy_form(form_class())
    assert (form_class, None, "id_%s", language) in fixed_forms._rendered


def test_the_kept_markup_is_the_readers_language():
    with translation.override("en"):
        english = FIXED.render(Context({"form": MessageForm()}))
    with translation.override("ko"):
        korean = FIXED.render(Context({"form": MessageForm()}))

    assert "Your message" in english and "Your message" not in korean


def test_a_bound_form_shows_its_values_and_errors_and_is_not_kept():
    fixed_forms._rendered.clear()
    form = InvitationForm({"email": "not-an-email"})

    html = FIXED.render(Context({"form": form}))

    assert html == as_crispy_form(InvitationForm({"email": "not-an-email"}))
    assert 'value="not-an-email"' in html and "is-invalid" in html
    assert fixed_forms._rendered == {}


def test_a_form_with_initial_values_is_rendered_afresh():
    fixed_forms._rendered.clear()

    html = FIXED.render(Context({"form": ResubmitForm(initial={"note": "My answer"})}))

    assert "My answer" in html
    assert fixed_forms._rendered == {}
