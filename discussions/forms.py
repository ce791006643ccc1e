from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, Evidence
from discussions.models import Comment, Flag
from discussions.services import (
    COMMENT_URL_LENGTH,
    COMMENT_URL_PATTERN,
    FLAG_DETAILS_MAX_LENGTH,
    comment_length,
)


def _within_comment_limit(value: str) -> None:
    # the service's rule and message (discussions.services._clean_body)
    limit = settings.COMMENT_MAX_LENGTH
    if comment_length(value.strip()) > limit:
        raise ValidationError(
            _("A comment is at most %(limit)d characters long.") % {"limit": limit},
            code="too_long",
        )


class CommentForm(forms.Form):
    """The text of a comment; the limit is enforced again by the service."""

    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "comment-body", "data-counter": ""}),
        help_text=_("Markdown: *emphasis*, **strong**, [links](https://…), > quotes."),
    )
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.COMMENT_MAX_LENGTH
        # no maxlength attribute: a browser would cut a long paste silently; the counter
        # (static JS) warns instead and the server refuses it with the text kept in the form
        self.fields["body"].widget.attrs.update(
            {
                "data-maxlength": str(limit),
                "data-url-pattern": COMMENT_URL_PATTERN,
                "data-url-length": str(COMMENT_URL_LENGTH),
            }
        )
        self.fields["body"].validators.append(_within_comment_limit)


class ClaimCommentForm(CommentForm):
    stance = forms.ChoiceField(
        label=_("Your stance on this claim"),
        choices=[("", _("No stance")), *Comment.Stance.choices],
        required=False,
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Flag.Reason.choices)
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=FLAG_DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeatureForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        required=False,
        max_length=80,
        help_text=_("A few words readers see on it, e.g. “Expert answer” or “Best source”."),
    )


class PromoteForm(forms.Form):
    """Turn a comment into evidence: the claims offered are those of the comment's article."""

    claim = forms.ModelChoiceField(label=_("Claim"), queryset=Claim.objects.none())
    stance = forms.ChoiceField(label=_("Stance"), choices=Evidence.Stance.choices)
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text=_("Empty: the first link in the comment."),
    )
    excerpt = forms.CharField(
        label=_("Passage"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The passage to keep as the excerpt; empty: the whole comment."),
    )

    def __init__(self, *args: Any, comment: Comment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["claim"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Claim.objects.filter(article_id=comment.article_id)
            .exclude(status=Claim.Status.REJECTED)
            .order_by("start", "id")
        )
        if comment.claim_id is not None:
            field.initial = comment.claim_id
