"""The range of dates the portal deals in, and fields that refuse anything outside it.

Sessions, slots and meetings lie within years; a date in year 1 or 9999 is a typo or a probe, and converting it
between time zones overflows (`OverflowError: date value out of range`), which surfaced as a 500. These fields
refuse such a date with a message, before any time-zone arithmetic runs.
"""

import datetime

from django import forms
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
