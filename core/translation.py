"""Core's text kept in each of settings.LANGUAGES (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from core.models import TagLabel


@register(TagLabel)
class TagLabelTranslation(TranslationOptions):
    fields = ("text",)
