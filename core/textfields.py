"""Free text with a bound that the browser, the form and the API count the same way.

A browser counts a line break in a <textarea> as one character against `maxlength`, but submits it as CRLF,
two characters. Left alone, text that fitted in the box (the counter said "4000 / 4000") would be refused by the
form as too long. The form field stores line breaks as LF, so what is counted is what the person saw.
"""

from django import forms
from django.db import models


class TextAreaField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class BoundedTextField(models.TextField):
    """A TextField that must be given max_length (checked by tests/test_text_limits.py for every model)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": TextAreaField, **kwargs})
