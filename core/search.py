"""Search that ignores accents, case and the language a country is named in, the same on PostgreSQL and SQLite.

`fold()` is applied both to what is stored in a search column (kept up to date on save) and to what a person
types, so "Bogota" finds "Bogotá" and "SEOUL" finds "Seoul" with a plain `LIKE` (and, on PostgreSQL, a trigram
index). Country names are matched in every language the portal speaks (django-countries' own translations), so
"콜롬비아" finds Colombia.
"""

import unicodedata

from django.conf import settings
from django.utils import translation
from django_countries import countries


def fold(text: str) -> str:
    """Lower case, no accents, compatibility forms unified; Hangul and other scripts are kept as they are."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", stripped).casefold().split())


def country_names(code: str) -> list[str]:
    """A country's name in each of the portal's languages (django-countries' translations)."""
    if not code:
        return []
    names = []
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            name = str(countries.name(code))
        if name and name not in names:
            names.append(name)
    return names


def country_codes_named(term: str) -> list[str]:
    """Codes of the countries whose name, in any of the portal's languages, contains `term` (folded)."""
    wanted = fold(term)
    if not wanted:
        return []
    found = []
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            found.extend(code for code, name in countries if wanted in fold(name))
    if len(wanted) == 2 and wanted.isascii() and wanted.isalpha():
        found.append(wanted.upper())
    return sorted(set(found))


def search_text(*parts, countries_of=()) -> str:
    """The folded text a search column holds: the parts, and the names of the given countries in every language."""
    words = [str(p) for p in parts if p]
    for code in countries_of:
        words.extend(country_names(str(code)))
    return fold(" ".join(words))
