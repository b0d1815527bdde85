"""Reading content staff translate in the back office (django-modeltranslation, <app>/translation.py).

A translated field `name` has one column per language (`name_en`, `name_ko`, ... `name_ind` for Indonesian);
`obj.name` is the active language's text, else English. Two things modeltranslation leaves to us:

- which language the text shown is really in (`shown_language`), so a page can mark English shown on a Korean
  page with `lang="en"` (core.templatetags.translated) and a screen reader pronounces it as English;
- ordering by what the reader sees: modeltranslation orders `name` by the active language's column alone, so in
  Korean every row without a Korean name would sink to the end in no order. `InReadersLanguage("name")` orders by
  the active language's text, else the English one, and is resolved when the query runs (so it can stand in a
  model's Meta.ordering).
"""

from django import forms
from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, NullIf
from django.utils.deconstruct import deconstructible
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

FALLBACK_LANGUAGE = "en"


def active_language() -> str:
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def shown_language(obj, field: str) -> str | None:
    """The language of the text `getattr(obj, field)` gives now: the active one, English when it falls back, None
    when neither has text (or the field is not translated)."""
    for language in dict.fromkeys((active_language(), FALLBACK_LANGUAGE)):
        name = build_localized_fieldname(field, language)
        if not hasattr(obj, name):
            return None
        if getattr(obj, name) not in (None, ""):
            return language
    return None


@deconstructible(path="core.translated.InReadersLanguage")
class InReadersLanguage(Expression):
    """A translated field as the reader sees it, for ordering (`InReadersLanguage("name").asc()`): `path` is a
    field or a lookup path ending in one ("programme__name"); a missing or empty translation is the English text."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def __repr__(self):
        return f"InReadersLanguage({self.path!r})"

    def __eq__(self, other):
        return isinstance(other, InReadersLanguage) and self.path == other.path

    def __hash__(self):
        return hash(self.path)

    def prefix_references(self, prefix):
        # A related model's Meta.ordering (Track ordered by "programme") is prefixed with the relation's path.
        return InReadersLanguage(f"{prefix}{self.path}")

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        language = active_language()
        columns = [NullIf(F(build_localized_fieldname(self.path, language)), Value(""))]
        if language != FALLBACK_LANGUAGE:
            columns.append(NullIf(F(build_localized_fieldname(self.path, FALLBACK_LANGUAGE)), Value("")))
        # Each language's column is its own field class (modeltranslation): say what the result is.
        expression = Coalesce(*columns, output_field=CharField()) if len(columns) > 1 else columns[0]
        return expression.resolve_expression(query, allow_joins, reuse, summarize, for_save)


def translation_columns(path: str) -> tuple[str, ...]:
    """Every language's column of a translated field reached through `path` ("track__name"), for `.only()` on a
    model that is not translated itself: its queryset loads only the columns named, and `track.name` reads the
    language columns, so naming the original alone would cost a query per row."""
    return tuple(build_localized_fieldname(path, language) for language, _name in settings.LANGUAGES)


def fallback_language(obj, field: str) -> str:
    """The language code to mark `getattr(obj, field)` with when it is not the reader's (English shown because
    the reader's language has no text yet); "" when the text is in the reader's language."""
    shown = shown_language(obj, field)
    return shown if shown and shown != active_language() else ""


class TranslatedOptionsSelect(forms.Select):
    """A model choice <select> whose options show a translated field (`field`, "name" by default): an option shown
    in English for want of a translation carries lang="en" (an <option> holds text only, so no <span> inside)."""

    def __init__(self, *args, field: str = "name", **kwargs):
        super().__init__(*args, **kwargs)
        self.field = field

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        language = fallback_language(instance, self.field) if instance is not None else ""
        if language:
            option["attrs"]["lang"] = language
        return option
