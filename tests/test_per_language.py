"""{% per_language %}: markup kept per language, and refused where it could hold anything that differs by person."""

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError, engines
from django.utils import translation
from django.utils.safestring import mark_safe

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


@pytest.mark.parametrize(("language", "direction", "stylesheet"), [
    ("en", "ltr", "/static/vendor/bootstrap/bootstrap.min.css"),
    ("ar", "rtl", "/static/vendor/bootstrap/bootstrap.rtl.min.css"),
])
def test_per_language_holds_the_page_s_language_and_direction(language, direction, stylesheet):
    template = Template(LOAD + "{% per_language %}<html lang=\"{% language_code %}\" dir=\"{% language_direction %}\">"
                               "<link href=\"{% static_by_direction 'vendor/bootstrap/bootstrap.min.css' "
                               "'vendor/bootstrap/bootstrap.rtl.min.css' %}\">{% endper_language %}")

    with translation.override(language):
        html = template.render(Context())

    assert html == f'<html lang="{language}" dir="{direction}"><link href="{stylesheet}">'


BELL = "includes/notice_bell.html"


def kept_node(template):
    return next(n for n in template.nodelist if type(n).__name__ == "KeptNode")


def test_kept_renders_once_per_language_and_values_and_keeps_each():
    template = Template(LOAD + "{% kept '" + BELL + "' count=unread %}")
    node = kept_node(template)

    with translation.override("en"):
        three = template.render(Context({"unread": 3}))
        none = template.render(Context({"unread": 0}))
        again = template.render(Context({"unread": 3}))
    with translation.override("ko"):
        korean = template.render(Context({"unread": 3}))

    assert three == again
    assert '<span class="visually-hidden">Notices, 3 unread</span>' in three
    assert 'id="notice-bell-count" aria-hidden="true">3</span>' in three
    assert '<span class="visually-hidden">Notices</span>' in none and "notice-bell-count" not in none
    assert "notice-bell-count" in korean and "Notices" not in korean
    assert [(key[0], key[-1]) for key in node.rendered] == [("en", ((int, 3),)), ("en", ((int, 0),)),
                                                             ("ko", ((int, 3),))]


def test_kept_template_sees_only_the_values_it_is_given(settings, tmp_path):
    (tmp_path / "kept_probe.html").write_text("[{{ count }}|{{ user }}|{{ secret }}]")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    template = engines["django"].from_string(LOAD + "{% kept 'kept_probe.html' count=n %}")

    html = template.render({"n": 2, "user": "someone", "secret": "s3cret"})

    assert html == "[2||]"


def test_kept_keeps_a_safe_string_apart_from_an_equal_plain_one(settings, tmp_path):
    (tmp_path / "kept_probe.html").write_text("{{ text }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    template = engines["django"].from_string(LOAD + "{% kept 'kept_probe.html' text=text %}")

    markup = template.render({"text": mark_safe("<b>bold</b>")})
    typed = template.render({"text": "<b>bold</b>"})

    assert (markup, typed) == ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;")


def test_kept_refuses_a_value_that_is_not_plain():
    template = Template(LOAD + "{% kept '" + BELL + "' count=things %}")

    with pytest.raises(TypeError, match="not a plain value"):
        template.render(Context({"things": [1, 2]}))


@pytest.mark.parametrize("tag", [
    "{% kept %}",
    "{% kept " + BELL + " %}",
    "{% kept '" + BELL + "' unread %}",
])
def test_kept_takes_a_quoted_name_and_named_values(tag):
    with pytest.raises(TemplateSyntaxError):
        Template(LOAD + tag)
