"""API representations of comments: threaded (parent, root, depth), explicit fields, and
nothing the server decides (author, status, counts, timestamps) is accepted from a client."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework import serializers

from articles.models import Article
from claims.models import Claim, Evidence
from claims.serializers import EvidenceSerializer
from core.roles import user_is_moderator
from discussions.curation import EXCERPT_MAX_LENGTH, FEATURED_LABEL_MAX_LENGTH
from discussions.models import (
    WITHDRAWN_STATUSES,
    AccountSanction,
    Comment,
    Flag,
    ModerationAction,
)
from discussions.selectors import comment_list_for_api
from discussions.services import FLAG_DETAILS_MAX_LENGTH
from integrations.serializers import IdRelatedField


class CommentSerializer(serializers.ModelSerializer[Comment]):
    article = IdRelatedField(queryset=Article.objects.none())
    claim = IdRelatedField(queryset=Claim.objects.none(), required=False, allow_null=True)
    parent = IdRelatedField(  # type: ignore[assignment]  # the comment's parent, not the serializer's
        queryset=Comment.objects.none(), required=False, allow_null=True
    )
    author = serializers.SerializerMethodField()
    pending = serializers.SerializerMethodField(
        help_text="Held for review: only its author (and moderators) see it until a moderator "
        "approves it."
    )
    featured = serializers.SerializerMethodField(
        help_text="Pinned by an editor at the top of its discussion (with featured_label)."
    )
    evidence_claim = serializers.SerializerMethodField(
        help_text="The public claim this comment is evidence on (an editor promoted it), or null."
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "article",
            "claim",
            "parent",
            "root",
            "depth",
            "author",
            "external_author",
            "external_posted_at",
            "external_posted_raw",
            "external_like_count",
            "body",
            "body_html",
            "stance",
            "status",
            "like_count",
            "edited_at",
            "created_at",
            "updated_at",
            "pending",
            "featured",
            "featured_label",
            "featured_at",
            "evidence_claim",
        ]
        read_only_fields = [
            "id",
            "root",
            "depth",
            "external_author",
            "external_posted_at",
            "external_posted_raw",
            "external_like_count",
            "body_html",
            "status",
            "like_count",
            "edited_at",
            "created_at",
            "updated_at",
            "featured_label",
            "featured_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["article"].queryset = Article.objects.visible_to(request.user)  # type: ignore[attr-defined]
            self.fields["claim"].queryset = Claim.objects.visible_to(request.user)  # type: ignore[attr-defined]
            # Only a comment the client can see can be replied to (hidden ones do not exist).
            self.fields["parent"].queryset = comment_list_for_api(user=request.user)  # type: ignore[attr-defined]
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # A comment stays where it was posted; only its text changes.
            for name in ("article", "claim", "parent", "stance"):
                self.fields[name].read_only = True

    def get_author(self, comment: Comment) -> str | None:
        return comment.author.get_username() if comment.author is not None else None

    def get_pending(self, comment: Comment) -> bool:
        return comment.status == Comment.Status.PENDING

    def get_featured(self, comment: Comment) -> bool:
        return comment.featured_at is not None and comment.status == Comment.Status.VISIBLE

    def get_evidence_claim(self, comment: Comment) -> int | None:
        # annotated by the selectors (comment_list_for_api); None on a bare instance
        value = getattr(comment, "evidence_claim_id", None)
        return int(value) if value is not None else None

    def to_representation(self, instance: Comment) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if instance.status in WITHDRAWN_STATUSES and not (
            request is not None and user_is_moderator(request.user)
        ):
            data["body"] = ""
            data["body_html"] = ""
        return data


class CommentLikeSerializer(serializers.Serializer[Any]):
    liked = serializers.BooleanField(read_only=True)
    like_count = serializers.IntegerField(read_only=True)


class CommentFlagSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=Flag.Reason.choices)
    details = serializers.CharField(
        required=False, allow_blank=True, max_length=FLAG_DETAILS_MAX_LENGTH
    )


class CommentModerateSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=ModerationAction.Action.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# The moderate body as the schema states it: hiding, removing and restoring need a reason (the
# service refuses them without one), approving does not.
REASON_NEEDED = [
    ModerationAction.Action.HIDE,
    ModerationAction.Action.REMOVE,
    ModerationAction.Action.RESTORE,
]


class CommentApproveSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=[ModerationAction.Action.APPROVE])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CommentTakeDownSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(
        choices=[(a.value, a.label) for a in REASON_NEEDED],
        help_text="hide, remove or restore: a reason is required",
    )
    reason = serializers.CharField(max_length=2000, help_text="Kept in the moderation log.")


class CommentFeatureSerializer(serializers.Serializer[Any]):
    label = serializers.CharField(  # type: ignore[assignment]  # a body field, not Field.label
        required=False, allow_blank=True, max_length=FEATURED_LABEL_MAX_LENGTH
    )


class CommentPromoteSerializer(serializers.Serializer[Any]):
    claim = IdRelatedField(queryset=Claim.objects.none())
    stance = serializers.ChoiceField(choices=Evidence.Stance.choices)
    url = serializers.URLField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="The source's link; by default the first link in the comment.",
    )
    excerpt = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=EXCERPT_MAX_LENGTH,
        help_text="The passage kept as the evidence's excerpt; by default the comment's text.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["claim"].queryset = Claim.objects.visible_to(request.user)  # type: ignore[attr-defined]


class CommentProvenanceSerializer(serializers.Serializer[Any]):
    """Where promoted evidence came from: the comment, whose words they were, who promoted
    them and when."""

    comment = serializers.IntegerField(source="comment_id")
    author = serializers.CharField(source="author_name")
    promoted_by = serializers.CharField(source="promoted_by.username", default=None)
    promoted_at = serializers.DateTimeField(source="created_at")


class PromotedEvidenceSerializer(EvidenceSerializer):
    """The evidence a comment became, with its provenance (`source_comment`)."""

    source_comment = CommentProvenanceSerializer(read_only=True)

    class Meta(EvidenceSerializer.Meta):
        fields = [*EvidenceSerializer.Meta.fields, "source_comment"]
        read_only_fields = [*EvidenceSerializer.Meta.read_only_fields, "source_comment"]


class AccountSanctionSerializer(serializers.ModelSerializer[AccountSanction]):
    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())
    moderator: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    lifted_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = AccountSanction
        fields = [
            "id",
            "user",
            "kind",
            "ends_at",
            "reason",
            "moderator",
            "created_at",
            "in_force",
            "lifted_at",
            "lifted_by",
            "lift_reason",
        ]
        read_only_fields = [
            "id",
            "moderator",
            "created_at",
            "in_force",
            "lifted_at",
            "lifted_by",
            "lift_reason",
        ]
        extra_kwargs = {"ends_at": {"help_text": "A suspension's end; null for a ban."}}

    def get_in_force(self, sanction: AccountSanction) -> bool:
        return sanction.lifted_at is None and (
            sanction.kind == AccountSanction.Kind.BAN
            or (sanction.ends_at is not None and sanction.ends_at > timezone.now())
        )


class SanctionLiftSerializer(serializers.Serializer[Any]):
    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())
    reason = serializers.CharField(max_length=2000)


class SanctionLiftedSerializer(serializers.Serializer[Any]):
    lifted = serializers.IntegerField(read_only=True)
