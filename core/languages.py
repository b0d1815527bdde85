"""How each offered language names itself in the language chooser: "Español", not "Spanish" nor "español".

Django's `name_local` writes some names in lower case (español, français) and Arabic with a shadda
(العربيّة); a chooser lists each as its speakers would look for it at the start of a line. A language added to
settings.LANGUAGES later without an entry here shows Django's own name, capitalised.
"""

from django.utils.translation import get_language_info

OWN_NAMES = {
    "en": "English",
    "ko": "한국어",
    "es": "Español",
    "fr": "Français",
    "ar": "العربية",
    "id": "Bahasa Indonesia",
}


def own_name(code: str) -> str:
    if code in OWN_NAMES:
        return OWN_NAMES[code]
    name = get_language_info(code)["name_local"]
    return name[:1].upper() + name[1:]
