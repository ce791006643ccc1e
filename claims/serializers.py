"""API representations of claims and evidence, and the ClaimReview of a published claim.

Fields are listed explicitly. What the server decides (author, status, verdict, counts,
timestamps, link health) is read-only: a client can never set it by sending it. A claim's
verdict (with its label, summary and date) reads as null until the claim is published, except
for staff and editors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Article
from claims.models import Claim, ClaimSeries, Evidence, verdict_choices
from claims.selectors import SimilarClaim, family_of, verdict_is_public
from claims.services.series_links import Assertion
from core.i18n import languages, localized, reader_language, translations
from energy.models import Series
from integrations.serializers import IdRelatedField, TagListField, absolute

if TYPE_CHECKING:
    from core.roles import AnyUser


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


class _EvidenceBase(serializers.ModelSerializer[Evidence]):
    added_by = serializers.SerializerMethodField()
    archive_url = serializers.SerializerMethodField(
        help_text="Our page with the archived copy of the source (null until archived)."
    )
    archived_text_url = serializers.SerializerMethodField(
        help_text="The archived text alone, text/plain UTF-8 (null until archived)."
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "claim",
            "url",
            "title",
            "publisher",
            "stance",
            "excerpt",
            "language",
            "added_by",
            "last_checked_at",
            "http_status",
            "ok",
            "archived_at",
            "archived_sha256",
            "archive_url",
            "archived_text_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "added_by",
            "last_checked_at",
            "http_status",
            "ok",
            "archived_at",
            "archived_sha256",
            "created_at",
            "updated_at",
        ]

    def get_added_by(self, evidence: Evidence) -> str | None:
        return _username(evidence.added_by)

    def _archive(self, evidence: Evidence, name: str) -> str | None:
        if evidence.archived_at is None:
            return None
        return absolute(self.context.get("request"), reverse(name, args=[evidence.pk]))

    def get_archive_url(self, evidence: Evidence) -> str | None:
        return self._archive(evidence, "reading:evidence_archive")

    def get_archived_text_url(self, evidence: Evidence) -> str | None:
        return self._archive(evidence, "reading:evidence_archive_text")


class EvidenceSerializer(_EvidenceBase):
    claim = IdRelatedField(queryset=Claim.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Evidence may only be added to a claim the client can see.
            self.fields["claim"].queryset = Claim.objects.visible_to(request.user)  # type: ignore[attr-defined]


class NestedEvidenceSerializer(_EvidenceBase):
    claim = serializers.IntegerField(source="claim_id", read_only=True)


class SeriesLinkSerializer(serializers.ModelSerializer[ClaimSeries]):
    series = serializers.IntegerField(source="series_id", read_only=True)
    title = serializers.CharField(source="series.title", read_only=True)
    unit = serializers.CharField(source="series.unit", read_only=True)
    # "" when the link has no assertion (or it was never checked)
    assertion_operator = serializers.CharField(read_only=True)
    assertion_result = serializers.CharField(read_only=True)
    observations_url = serializers.SerializerMethodField()

    class Meta:
        model = ClaimSeries
        fields = [
            "series",
            "title",
            "unit",
            "origin",
            "status",
            "note",
            "assertion_operator",
            "assertion_threshold",
            "assertion_period_start",
            "assertion_period_end",
            "assertion_result",
            "assertion_value",
            "assertion_checked_at",
            "observations_url",
        ]
        read_only_fields = fields

    def get_observations_url(self, link: ClaimSeries) -> str:
        path = reverse("api:series-observations", args=[link.series_id])
        return absolute(self.context.get("request"), path)


def _absolute(context: dict[str, Any], path: str) -> str:
    request = context.get("request")
    return absolute(request, path) if request is not None else settings.SITE_URL + path


class FamilyMemberSerializer(serializers.ModelSerializer[Claim]):
    """Another claim of the same family: the same claim in another article or language."""

    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "url", "api_url"]
        read_only_fields = fields

    def get_url(self, claim: Claim) -> str:
        return _absolute(self.context, claim.get_absolute_url())

    def get_api_url(self, claim: Claim) -> str:
        return _absolute(self.context, reverse("api:claim-detail", args=[claim.pk]))


# What a reader does not see of a claim's verdict until the claim is published.
WITHHELD_VERDICT_FIELDS = ("verdict", "verdict_label", "verdict_summary", "verdict_as_of")


class ClaimSerializer(serializers.ModelSerializer[Claim]):
    article = IdRelatedField(queryset=Article.objects.none())
    article_slug = serializers.CharField(source="article.slug", read_only=True)
    language = serializers.CharField(source="article.language", read_only=True)
    start = serializers.IntegerField(required=False, min_value=0)
    end = serializers.IntegerField(required=False, min_value=1)
    tags = TagListField(required=False, max_length=50)
    # null while the verdict is not public (see to_representation), "" while there is none
    verdict = serializers.CharField(
        read_only=True, allow_null=True, help_text="A key of the verdict scale; null until public."
    )
    verdict_label = serializers.CharField(read_only=True, allow_null=True)
    verdict_summary = serializers.CharField(read_only=True, allow_null=True)
    verdict_as_of = serializers.DateField(read_only=True, allow_null=True)
    evidence = NestedEvidenceSerializer(many=True, read_only=True)
    series = SeriesLinkSerializer(source="series_links", many=True, read_only=True)
    web_url = serializers.SerializerMethodField()
    claimreview_url = serializers.SerializerMethodField()
    family = serializers.SerializerMethodField(
        help_text="The same claim elsewhere: other claims an editor confirmed are this claim."
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "article",
            "article_slug",
            "language",
            "quote",
            "start",
            "end",
            "statement",
            "tags",
            "status",
            "verdict",
            "verdict_label",
            "verdict_summary",
            "verdict_as_of",
            "anchor_status",
            "published_at",
            "created_at",
            "updated_at",
            "evidence",
            "series",
            "web_url",
            "claimreview_url",
            "family",
        ]
        # claim_create refuses a span that already holds a claim; no start/end are needed
        # when the quote is found in the text.
        validators: list[Any] = []
        read_only_fields = [
            "id",
            "status",
            "verdict",
            "verdict_summary",
            "verdict_as_of",
            "anchor_status",
            "published_at",
            "created_at",
            "updated_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["article"].queryset = Article.objects.visible_to(request.user)  # type: ignore[attr-defined]
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # The span is fixed once created: re-anchoring belongs to the article's edits.
            for name in ("article", "quote", "start", "end"):
                self.fields[name].read_only = True

    def to_representation(self, instance: Claim) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        user: AnyUser | None = getattr(request, "user", None)
        public = verdict_is_public(claim=instance, user=user)
        if not public:
            # a verdict reaches readers only once the claim is published
            data.update(dict.fromkeys(WITHHELD_VERDICT_FIELDS))
        view = self.context.get("view")
        if getattr(view, "action", None) == "retrieve":
            # the one claim asked for: every language's text, "" where none is written yet
            data["translations"] = {
                "statement": translations(instance, "statement"),
                "verdict_summary": (
                    translations(instance, "verdict_summary")
                    if public
                    else dict.fromkeys(languages())
                ),
            }
        return data

    def get_web_url(self, claim: Claim) -> str:
        return absolute(self.context.get("request"), claim.get_absolute_url())

    @extend_schema_field(FamilyMemberSerializer(many=True))
    def get_family(self, claim: Claim) -> list[dict[str, Any]]:
        return list(FamilyMemberSerializer(family_of(claim), many=True, context=self.context).data)

    def get_claimreview_url(self, claim: Claim) -> str | None:
        if claim.status != Claim.Status.PUBLISHED:
            return None
        return absolute(
            self.context.get("request"), reverse("reading:claimreview", args=[claim.pk])
        )


class ClaimVerdictSerializer(serializers.Serializer[Any]):
    verdict = serializers.ChoiceField(choices=[])
    summary = serializers.CharField(max_length=5000)
    as_of = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = verdict_choices()  # type: ignore[attr-defined]


class ClaimPublishSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class ClaimReasonSerializer(serializers.Serializer[Any]):
    """Why, for the claim's history (optional)."""

    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class AssertionSerializer(serializers.Serializer[Any]):
    """A data check: the series' values over the period compared with the threshold."""

    operator = serializers.ChoiceField(choices=ClaimSeries.Operator.choices)
    threshold = serializers.FloatField()
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> Any:
        start, end = attrs.get("period_start"), attrs.get("period_end")
        if start and end and start > end:
            raise serializers.ValidationError({"period_end": ["The period ends before it starts."]})
        return Assertion(
            operator=attrs["operator"],
            threshold=attrs["threshold"],
            period_start=attrs.get("period_start"),
            period_end=attrs.get("period_end"),
        )


class SeriesLinkWriteSerializer(serializers.Serializer[Any]):
    series = IdRelatedField(queryset=Series.objects.all(), required=False)
    status = serializers.ChoiceField(
        choices=[ClaimSeries.Status.CONFIRMED, ClaimSeries.Status.REJECTED], required=False
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    assertion = AssertionSerializer(required=False, allow_null=True)


def _appearance(article: Article) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "headline": article.title,
        "url": article.source_url or settings.SITE_URL + article.get_absolute_url(),
        "inLanguage": article.language,
    }
    if article.published_at:
        work["datePublished"] = article.published_at.date().isoformat()
    return work


def claim_review_jsonld(
    claim: Claim, *, language: str | None = None, family: list[Claim] | None = None
) -> dict[str, Any]:
    """schema.org ClaimReview for a published claim, rated on settings.VERDICT_SCALE, in
    `language` (default: the active one): the statement and summary in it where written,
    else in the other language, which `inLanguage` then names. Every article the claim
    appears in (its family's, confirmed by editors) is an appearance: `family` when the
    caller has read it already, else family_of's prefetch."""
    language = reader_language(language)
    site = settings.SITE_URL
    article = claim.article
    appearance = _appearance(article)
    members = family if family is not None else family_of(claim)
    appearances = [appearance, *(_appearance(member.article) for member in members)]
    appearances.sort(key=lambda a: a.get("datePublished") or "9999")
    item: dict[str, Any] = {
        "@type": "Claim",
        "appearance": appearances if len(appearances) > 1 else appearance,
    }
    dated = [a for a in appearances if a.get("datePublished")]
    if dated:
        item["firstAppearance"] = dated[0]
    author = article.original_author or article.source_name
    if author:
        item["author"] = {
            "@type": "Person" if article.original_author else "Organization",
            "name": author,
        }
    if article.published_at:
        item["datePublished"] = article.published_at.date().isoformat()
    statement = localized(claim, "statement", language)
    summary = localized(claim, "verdict_summary", language)
    # the quote is in the article's language; the review speaks the language of its summary
    claimed = statement if statement else None
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": site + claim.get_absolute_url(),
        "claimReviewed": claimed.text if claimed else claim.quote,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": "Assay", "url": site + "/"},
        "inLanguage": summary.language if summary else language,
    }
    date = claim.verdict_as_of or (claim.published_at.date() if claim.published_at else None)
    if date:
        review["datePublished"] = date.isoformat()
    if summary:
        review["reviewBody"] = summary.text
    scale = {key: (label, rating) for key, label, rating in settings.VERDICT_SCALE}
    if claim.verdict in scale:
        label, rating = scale[claim.verdict]
        with translation.override(review["inLanguage"]):
            name = str(label)
        rating_body: dict[str, Any] = {"@type": "Rating", "alternateName": name}
        if rating:
            rating_body.update({"ratingValue": rating, "bestRating": 5, "worstRating": 1})
        review["reviewRating"] = rating_body
    return review


# Any: one SimilarClaim, or with many=True a list of them
class SimilarClaimSerializer(serializers.Serializer[Any]):
    """One claim found like another claim or a text: who it is, where, and how alike."""

    claim = serializers.IntegerField(source="claim.pk")
    url = serializers.SerializerMethodField(help_text="The claim's page.")
    api_url = serializers.SerializerMethodField()
    article = serializers.IntegerField(source="claim.article_id")
    article_title = serializers.CharField(source="claim.article.title")
    article_url = serializers.SerializerMethodField()
    language = serializers.CharField(source="claim.article.language")
    quote = serializers.CharField(source="claim.quote")
    statement = serializers.CharField(source="claim.statement")
    status = serializers.CharField(source="claim.status")
    verdict = serializers.SerializerMethodField()
    score = serializers.FloatField(help_text="Cosine similarity, 0-1.")
    match = serializers.ChoiceField(
        choices=["same", "related"],
        help_text="same: probably the same claim (a translation, a paraphrase); related: the "
        "same subject.",
    )

    def get_url(self, similar: SimilarClaim) -> str:
        return _absolute(self.context, similar.claim.get_absolute_url())

    def get_api_url(self, similar: SimilarClaim) -> str:
        return _absolute(self.context, reverse("api:claim-detail", args=[similar.claim.pk]))

    def get_article_url(self, similar: SimilarClaim) -> str:
        return _absolute(self.context, similar.claim.article.get_absolute_url())

    def get_verdict(self, similar: SimilarClaim) -> str | None:
        """The verdict once published (editors: whatever it is)."""
        request = self.context.get("request")
        user = getattr(request, "user", None) if request is not None else None
        claim = similar.claim
        if not claim.verdict or (
            request is not None and not verdict_is_public(claim=claim, user=user)
        ):
            return None
        return claim.verdict


class SimilarTextQuerySerializer(serializers.Serializer[Any]):
    text = serializers.CharField(
        help_text="A sentence in any supported language (French, English, and the other "
        "languages the encoder knows)."
    )
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)

    def validate_text(self, value: str) -> str:
        limit = settings.SIMILARITY_TEXT_MAX_LENGTH
        if len(value) > limit:
            raise serializers.ValidationError(
                f"At most {limit} characters (this text has {len(value)})."
            )
        if not value.strip():
            raise serializers.ValidationError("Write a sentence.")
        return value


class SimilarLimitSerializer(serializers.Serializer[Any]):
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)
