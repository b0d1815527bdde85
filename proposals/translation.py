"""The programme set-up texts staff translate in the back office (django-modeltranslation): one column per
offered language beside the original, English required, English shown where a language has none yet.

Help pages are not here: each language's page is its own row (proposals.models.HelpPage), written, dated and
reviewed on its own, with the same English fallback (proposals.help_pages)."""

from modeltranslation.translator import TranslationOptions, register

from proposals.models import CooperationCentre, Programme, ServiceLevel, Track


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("en",)


@register(Track)
class TrackTranslation(TranslationOptions):
    fields = ("name", "description", "consortium_description")
    required_languages = {"en": ("name",)}


@register(CooperationCentre)
class CooperationCentreTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(ServiceLevel)
class ServiceLevelTranslation(TranslationOptions):
    fields = ("next_step",)
    required_languages = ("en",)
