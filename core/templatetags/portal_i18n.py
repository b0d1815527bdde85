"""Template side of the portal's locale rules: named date formats, amounts, and the language chooser.

    {% load portal_i18n %}
    {{ booking.start|date_in:"DAY_DATE_FORMAT" }}   {{ booking.start|time_in }}
    {{ proposal.requested_support_krw|krw }}        {{ figures.support_krw|krw_words }}
    {% language_choices as languages %}
    <script ... data-thousand-separator="{% format_value 'THOUSAND_SEPARATOR' %}">

Django's own names (DATE_FORMAT, DATETIME_FORMAT, ...) work with the `date` filter too; the portal's names
(core.dates.CUSTOM_FORMATS) go through `date_in`, which falls back to English where a language lacks one.
"""

from django import template
from django.conf import settings
from django.utils import dates as dates_names
from django.utils import formats
from django.utils.translation import get_language_info

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


@register.simple_tag
def date_names(kind):
    """Month and weekday names exactly as Django's `date` filter writes them in the active language, for scripts
    (static/js/formats.js): "F" months, "M" and "N" abbreviations, "l" weekdays and "D" abbreviations, joined by
    "|", weekdays from Sunday as JavaScript counts them."""
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    names = {
        "F": [dates_names.MONTHS[m] for m in range(1, 13)],
        "M": [str(dates_names.MONTHS_3[m]).title() for m in range(1, 13)],
        "N": [dates_names.MONTHS_AP[m] for m in range(1, 13)],
        "l": [dates_names.WEEKDAYS[d] for d in sunday_first],
        "D": [dates_names.WEEKDAYS_ABBR[d] for d in sunday_first],
    }
    if kind not in names:
        raise template.TemplateSyntaxError(f"date_names takes F, M, N, l or D, not {kind!r}")
    return "|".join(str(name) for name in names[kind])


@register.simple_tag
def language_choices():
    """The offered languages, each named in itself, with its code and writing direction."""
    return [
        {"code": code, "name": own_name(code), "bidi": get_language_info(code)["bidi"]}
        for code, _name in settings.LANGUAGES
    ]
