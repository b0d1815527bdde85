"""Session types' titles and descriptions, translated by staff in the back office (django-modeltranslation,
English required and shown where a language has none yet)."""

from modeltranslation.translator import TranslationOptions, register

from consulting.models import SessionType


@register(SessionType)
class SessionTypeTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",)}
