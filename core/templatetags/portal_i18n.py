"""Template side of the portal's locale rules: named date formats, amounts, and the language chooser.

    {% load portal_i18n %}
    {{ booking.start|date_in:"DAY_DATE_FORMAT" }}   {{ booking.start|time_in }}
    {{ proposal.requested_support_krw|krw }}        {{ figures.support_krw|krw_words }}
    {% language_choices as languages %}            {% language_options %}
    <script ... data-thousand-separator="{% format_value 'THOUSAND_SEPARATOR' %}">
    {% per_language %}<a href="{% url 'help:index' %}">{% translate "Help" %}</a>{% endper_language %}
    {% kept "includes/notice_bell.html" count=unread_notice_count %}

Django's own names (DATE_FORMAT, DATETIME_FORMAT, ...) work with the `date` filter too; the portal's names
(core.dates.CUSTOM_FORMATS) go through `date_in`, which falls back to English where a language lacks one.
"""

import functools

from django import template
from django.conf import settings
from django.template.base import TextNode, Variable, token_kwargs
from django.template.defaulttags import URLNode
from django.template.library import SimpleNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode, static
from django.urls import get_script_prefix
from django.utils import dates as dates_names
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.translation import get_language, get_language_bidi, get_language_info

from core import amounts, dates
from core.languages import own_name

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date_in(value, name="DATE_FORMAT"):
    return dates.date_in(value, name)


@register.filter(expects_localtime=True, is_safe=False)
def time_in(value, name="TIME_FORMAT"):
    return dates.time_in(value, name)


@register.filter(is_safe=False)
def krw(value):
    """The exact amount in the active language: KRW 650,000,000 · 6억 5천만 원. Empty for no amount."""
    return amounts.krw(value)


@register.filter(is_safe=False)
def krw_words(value):
    """The amount rounded for a figure: KRW 16.3 billion · 163억 원."""
    return "" if value in (None, "") else amounts.krw_words(value)


@register.simple_tag
def format_value(name):
    """A number format of the active language for a script's data attribute: THOUSAND_SEPARATOR, NUMBER_GROUPING."""
    if name not in ("THOUSAND_SEPARATOR", "DECIMAL_SEPARATOR", "NUMBER_GROUPING"):
        raise template.TemplateSyntaxError(f"format_value gives number formats only, not {name!r}")
    return str(formats.get_format(name))


DATE_NAME_KINDS = ("F", "M", "N", "l", "D")


@functools.lru_cache(maxsize=32)
def _date_names_in(language: str | None) -> dict[str, str]:
    # The names depend on the language alone, and every page asks for all five: translate them once per language.
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    names = {
        "F": [dates_names.MONTHS[m] for m in range(1, 13)],
        "M": [str(dates_names.MONTHS_3[m]).title() for m in range(1, 13)],
        "N": [dates_names.MONTHS_AP[m] for m in range(1, 13)],
        "l": [dates_names.WEEKDAYS[d] for d in sunday_first],
        "D": [dates_names.WEEKDAYS_ABBR[d] for d in sunday_first],
    }
    return {kind: "|".join(str(name) for name in names[kind]) for kind in DATE_NAME_KINDS}


@register.simple_tag
def date_names(kind):
    """Month and weekday names exactly as Django's `date` filter writes them in the active language, for scripts
    (static/js/formats.js): "F" months, "M" and "N" abbreviations, "l" weekdays and "D" abbreviations, joined by
    "|", weekdays from Sunday as JavaScript counts them."""
    if kind not in DATE_NAME_KINDS:
        raise template.TemplateSyntaxError(f"date_names takes F, M, N, l or D, not {kind!r}")
    return _date_names_in(get_language())[kind]


@functools.lru_cache(maxsize=4)
def _language_choices(codes: tuple[str, ...]) -> tuple[dict, ...]:
    return tuple({"code": code, "name": own_name(code), "bidi": get_language_info(code)["bidi"]} for code in codes)


@register.simple_tag
def language_choices():
    """The offered languages, each named in itself, with its code and writing direction (the same on every page:
    worked out once per LANGUAGES setting)."""
    return _language_choices(tuple(code for code, _name in settings.LANGUAGES))


@functools.lru_cache(maxsize=16)
def _language_options(codes: tuple[str, ...], selected: str | None) -> str:
    return format_html_join("", '<option value="{}" lang="{}" dir="{}"{}>{}</option>', (
        (choice["code"], choice["code"], "rtl" if choice["bidi"] else "ltr",
         " selected" if choice["code"] == selected else "", choice["name"])
        for choice in _language_choices(codes)
    ))


@register.simple_tag
def language_options():
    """The language chooser's <option>s, the active language selected: each named in itself and marked with its
    own lang and dir, so a screen reader says it right (worked out once per language)."""
    return _language_options(tuple(code for code, _name in settings.LANGUAGES), get_language())


@register.simple_tag
def language_code():
    """The active language's code, for <html lang>."""
    return get_language()


@register.simple_tag
def language_direction():
    """The active language's writing direction, for dir=: "rtl" (Arabic) or "ltr"."""
    return "rtl" if get_language_bidi() else "ltr"


@register.simple_tag
def static_by_direction(ltr_path, rtl_path):
    """The URL of one of two static files, by the active language's writing direction: right-to-left languages
    (Arabic) get Bootstrap's mirrored build."""
    return static(rtl_path if get_language_bidi() else ltr_path)


# Tags whose output depends on the active language alone (with quoted arguments): per_language may hold them.
LANGUAGE_ONLY_TAGS = (date_names, format_value, language_options, language_code, language_direction,
                      static_by_direction)


def _is_literal(expression) -> bool:
    """A filter expression that comes out the same in every context: a quoted string or a number, no filters."""
    if expression is None:
        return True
    if expression.filters:
        return False
    return not isinstance(expression.var, Variable) or expression.var.lookups is None


def _depends_on_language_only(node) -> bool:
    if isinstance(node, TextNode):
        return True
    if isinstance(node, TranslateNode):
        return node.asvar is None and _is_literal(node.filter_expression) and _is_literal(node.message_context)
    if isinstance(node, URLNode):
        return (node.asvar is None and _is_literal(node.view_name) and all(_is_literal(a) for a in node.args)
                and all(_is_literal(v) for v in node.kwargs.values()))
    if isinstance(node, StaticNode):  # a file's URL: the same for everyone (the manifest's name, STATIC_URL)
        return node.varname is None and _is_literal(node.path)
    if isinstance(node, SimpleNode):
        return (node.func in LANGUAGE_ONLY_TAGS and not node.takes_context and node.target_var is None
                and all(_is_literal(a) for a in node.args) and not node.kwargs)
    return False


class PerLanguageNode(template.Node):
    # Nothing inside can be a {% block %} (per_language refuses it): Django need not walk it for blocks each time
    # a page extends base.html.
    child_nodelists = ()

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered = {}

    def render(self, context):
        # Everything inside was checked when the template was compiled to depend on nothing but these.
        key = (get_language(), get_script_prefix(), context.autoescape)
        if key not in self.rendered:
            self.rendered[key] = self.nodelist.render(context)
        return self.rendered[key]


@register.tag
def per_language(parser, token):
    """`{% per_language %}...{% endper_language %}`: markup rendered once per language and kept, for the texts every
    page repeats (navigation, footer, the home page's prose): each {% translate %} or {% url %} costs more than
    the cached string. Only plain markup, {% translate %} of a quoted text, {% url %} of quoted names and
    arguments, {% static %} of a quoted path and the tags of LANGUAGE_ONLY_TAGS with quoted arguments may stand
    inside; anything else, which might differ between people, stops the template compiling."""
    nodelist = parser.parse(("endper_language",))
    parser.delete_first_token()
    for node in nodelist:
        if not _depends_on_language_only(node):
            raise template.TemplateSyntaxError(
                f"per_language holds only markup, {{% translate %}} of a quoted text and {{% url %}} of quoted "
                f"arguments, not {node!r}"
            )
    return PerLanguageNode(nodelist)


# The values a {% kept %} rendering may depend on, and how many renderings one keeps (the combinations in use, in a
# few languages and zones: the oldest is dropped past that).
KEPT_VALUE_TYPES = (bool, int, str, type(None))
KEPT_RENDERINGS = 256


class KeptNode(template.Node):
    def __init__(self, template_name: str, values: dict):
        self.template_name = template_name
        self.values = values
        self.rendered = {}

    def render(self, context):
        values = {name: expression.resolve(context) for name, expression in self.values.items()}
        for name, value in values.items():
            if not isinstance(value, KEPT_VALUE_TYPES):
                raise TypeError(f"kept {self.template_name}: {name} is a {type(value).__name__}, not a plain value")
        # Each value with its type: a safe string equal to a plain one renders differently (it is not escaped).
        key = (get_language(), timezone.get_current_timezone_name(), get_script_prefix(), context.autoescape,
               tuple((type(value), value) for value in values.values()))
        if key not in self.rendered:
            if len(self.rendered) >= KEPT_RENDERINGS:
                self.rendered.pop(next(iter(self.rendered)), None)
            kept = context.template.engine.get_template(self.template_name)
            self.rendered[key] = kept.render(template.Context(values, autoescape=context.autoescape))
        return self.rendered[key]


@register.tag
def kept(parser, token):
    """`{% kept "includes/notice_bell.html" count=unread_notice_count %}`: a small template rendered with the given
    values alone (None, booleans, numbers, strings) and kept, once per language, time zone, script prefix and
    combination of values, for what every page shows in a few variants (the navigation by kind of viewer, the
    notices bell by count). The kept template sees nothing else of the page: no user, no request, no CSRF token;
    it must not show anything that changes with the moment ({% now %})."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("kept takes a quoted template name, then name=value pairs")
    values = token_kwargs(bits[2:], parser, support_legacy=False)
    if len(values) != len(bits) - 2:
        raise template.TemplateSyntaxError("kept takes name=value pairs after the template's name")
    return KeptNode(bits[1][1:-1], values)
