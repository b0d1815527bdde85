"""The scoring rubric's criteria, translated by staff in the back office (django-modeltranslation, English
required and shown where a language has none yet)."""

from modeltranslation.translator import TranslationOptions, register

from committee.models import Criterion


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}
