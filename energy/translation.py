"""Series titles in each of settings.LANGUAGES (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from energy.models import Series


@register(Series)
class SeriesTranslation(TranslationOptions):
    fields = ("title",)
