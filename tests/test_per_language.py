"""{% per_language %}: markup kept per language, and refused where it could hold anything that differs by person."""

import pytest
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
