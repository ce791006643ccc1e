"""The editors' text on claims, kept in each of settings.LANGUAGES (django-modeltranslation):
`statement_en`, `statement_fr` and so on, next to each other on the same row.

Services write the language columns by name (core.translation.translations_set), never the
plain attribute, which would write whatever language happens to be active."""

from modeltranslation.translator import TranslationOptions, register

from claims.models import Claim, Evidence


@register(Claim)
class ClaimTranslation(TranslationOptions):
    fields = ("statement", "verdict_summary")


@register(Evidence)
class EvidenceTranslation(TranslationOptions):
    fields = ("title",)


# The claim's history keeps both languages too: simple-history copies every field of the claim
# into its historical row, translation columns included, so its model must have them.
@register(Claim.history.model)
class HistoricalClaimTranslation(TranslationOptions):
    fields = ("statement", "verdict_summary")
