"""{% per_language %}: markup kept per language, and refused where it could hold anything that differs by person."""

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

LOAD = "{% load i18n portal_i18n %}"


def test_per_language_renders_each_language_once_and_keeps_it():
    template = Template(LOAD + "{% per_language %}<a href=\"{% url 'help:index' %}\">{% translate 'Help' %}</a>"
                               "{% endper_language %}")
    node = next(n for n in template.nodelist if type(n).__name__ == "PerLanguageNode")

    with translation.override("en"):
        english = template.render(Context())
    with translation.override("ko"):
        korean = template.render(Context())
    with translation.override("en"):
        again = template.render(Context())

    assert english == again == '<a href="/help/">Help</a>'
    assert korean == '<a href="/help/">도움말</a>'
    assert {key[0] for key in node.rendered} == {"en", "ko"}


@pytest.mark.parametrize("inside", [
    "{{ user.email }}",
    "{% translate user.role %}",
    "{% translate 'Help'|upper %}",
    "{% url 'help:page' slug %}",
    "{% url 'help:index' as link %}",
    "{% if user %}x{% endif %}",
    "{% csrf_token %}",
])
def test_per_language_refuses_what_could_differ_between_people(inside):
    with pytest.raises(TemplateSyntaxError):
        Template(LOAD + "{% per_language %}" + inside + "{% endper_language %}")


def test_per_language_holds_static_files_and_language_only_tags():
    template = Template(LOAD + "{% load static %}{% per_language %}<script src=\"{% static 'js/portal.js' %}\" "
                               "data-d=\"{% date_names 'D' %}\" data-t=\"{% format_value 'THOUSAND_SEPARATOR' %}\">"
                               "</script>{% endper_language %}")

    with translation.override("ko"):
        korean = template.render(Context())

    weekdays = "일요일|월요일|화요일|수요일|목요일|금요일|토요일"
    assert korean == f'<script src="/static/js/portal.js" data-d="{weekdays}" data-t=","></script>'


@pytest.mark.parametrize("inside", [
    "{% load static %}{% static path %}",
    "{% load static %}{% static 'js/portal.js' as src %}",
    "{% date_names kind %}",
    "{% date_names 'D' as names %}",
    "{% language_choices %}",
    "{% format_value name %}",
])
def test_per_language_refuses_files_and_tags_that_take_a_variable(inside):
    with pytest.raises(TemplateSyntaxError):
        Template(LOAD + "{% per_language %}" + inside + "{% endper_language %}")


@pytest.mark.parametrize("language", ["en", "ko", "ar"])
def test_language_options_select_the_active_language_and_name_each_in_itself(language):
    template = Template(LOAD + "{% language_options %}")

    with translation.override(language):
        html = template.render(Context())

    assert html.count("<option ") == len(settings.LANGUAGES)
    assert html.count(" selected>") == 1
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<option value="{language}" lang="{language}" dir="{direction}" selected>' in html
    assert '<option value="ko" lang="ko" dir="ltr"' in html and ">한국어</option>" in html
    assert '<option value="ar" lang="ar" dir="rtl"' in html
