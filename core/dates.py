"""The range of dates the portal deals in, fields that refuse anything outside it, and the named display formats.

Sessions, slots and meetings lie within years; a date in year 1 or 9999 is a typo or a probe, and converting it
between time zones overflows (`OverflowError: date value out of range`), which surfaced as a 500. These fields
refuse such a date with a message, before any time-zone arithmetic runs.
"""

import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MIN_DATE = datetime.date(2000, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
OUT_OF_RANGE = _("Give a date between %(first)s and %(last)s.")


def out_of_range_message() -> str:
    return OUT_OF_RANGE % {"first": MIN_DATE.isoformat(), "last": MAX_DATE.isoformat()}


def in_range(value: datetime.date | datetime.datetime | None) -> bool:
    if value is None:
        return True
    day = value.date() if isinstance(value, datetime.datetime) else value
    return MIN_DATE <= day <= MAX_DATE


class BoundedDateField(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not in_range(day):
            raise serializers.ValidationError(out_of_range_message(), code="date_range")
        return day


class BoundedDateTimeField(serializers.DateTimeField):
    # DRF itself reports a time-zone overflow as "Datetime value out of range."; say which dates are accepted.
    default_error_messages = {"overflow": lazy(out_of_range_message, str)()}

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)
        except OverflowError as exc:  # the offset pushed it past year 1 or 9999
            raise serializers.ValidationError(out_of_range_message(), code="date_range") from exc
        if not in_range(moment):
            raise serializers.ValidationError(out_of_range_message(), code="date_range")
        return moment


class BoundedDateFormField(forms.DateField):
    def to_python(self, value):
        day = super().to_python(value)
        if not in_range(day):
            raise forms.ValidationError(out_of_range_message(), code="date_range")
        return day


class BoundedDateTimeFormField(forms.DateTimeField):
    def to_python(self, value):
        try:
            moment = super().to_python(value)
        except OverflowError as exc:
            raise forms.ValidationError(out_of_range_message(), code="date_range") from exc
        if not in_range(moment):
            raise forms.ValidationError(out_of_range_message(), code="date_range")
        return moment


# Named, locale-aware display formats. kcity/formats/<lang>/formats.py defines, for every offered language,
# Django's own names (DATE_FORMAT, DATETIME_FORMAT, SHORT_DATE_FORMAT, TIME_FORMAT, ...) and these of ours.
# Django's get_format finds a custom name in a language's formats module but, where no module defines it,
# returns the name itself (the `date` filter would then print "DAY_DATE_FORMAT" letter by letter); `date_in`
# and `named_format` fall back to the English definition, so a new language works before its formats file.
CUSTOM_FORMATS = (
    "DAY_DATE_FORMAT",  # weekday and date: Friday 4 December 2026 · 2026년 12월 4일 금요일
    "SHORT_DAY_DATE_FORMAT",  # Fri 4 Dec 2026 · 2026. 12. 4. (금)
    "DAY_MONTH_DAY_FORMAT",  # weekday, day and month: Friday 4 December · 12월 4일 금요일
    "SHORT_DAY_MONTH_DAY_FORMAT",  # Fri 4 Dec · 12. 4. (금)
    "SHORT_YEAR_MONTH_FORMAT",  # a chart's month: Dec 2026 · 2026. 12.
    "WEEKDAY_FORMAT",  # Friday · 금요일
    "SHORT_WEEKDAY_FORMAT",  # Fri · 금요일 (Django's Korean abbreviation is the whole name)
    "DATETIME_ZONE_FORMAT",  # 1 December 2026 14:30 KST
)
DJANGO_FORMATS = frozenset(formats.FORMAT_SETTINGS)


def named_format(name: str, lang: str | None = None) -> str:
    """The format string the active (or given) language defines under `name`; unknown names are an error."""
    if name not in DJANGO_FORMATS and name not in CUSTOM_FORMATS:
        raise ValueError(f"{name!r} is not a named date format (see core.dates.CUSTOM_FORMATS)")
    value = formats.get_format(name, lang=lang)
    if value == name:  # no module of that language defines our custom name
        value = formats.get_format(name, lang="en")
    return value


def date_in(value, name: str = "DATE_FORMAT") -> str:
    """A date or datetime in a named format of the active language (datetimes in the current time zone)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, named_format(name))


def time_in(value, name: str = "TIME_FORMAT") -> str:
    """A time (or a datetime's time, in the current time zone) in a named format of the active language."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.time_format(value, named_format(name))
