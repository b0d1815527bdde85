"""Showing content staff translate (core.translated) with its own language marked.

`{% translated track "name" %}` prints the track's name in the reader's language; where that language has no
text yet and the English one is shown, it comes as `<span lang="en">…</span>`, so a screen reader pronounces it
as English instead of reading English words with Korean or Arabic sounds. `{{ track|lang_attr:"name" }}` gives
the bare ` lang="en"` attribute (or nothing) for an element that holds the text alone (an <option>, a heading).
"""

from django import template
from django.utils.html import format_html

from core.translated import fallback_language

register = template.Library()


@register.simple_tag
def translated(obj, field: str):
    text = getattr(obj, field, "") or ""
    language = fallback_language(obj, field)
    if not language:
        return text  # simple_tag escapes it
    return format_html('<span lang="{}">{}</span>', language, text)


@register.filter
def lang_attr(obj, field: str):
    language = fallback_language(obj, field)
    return format_html(' lang="{}"', language) if language else ""
