from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from claims.services.check_requests import NOTE_MAX_LENGTH


class CheckRequestForm(forms.Form):
    """A sentence nothing matched, sent to the editors; the service checks it again."""

    text = forms.CharField()  # made in __init__, with the configured limit
    url = forms.CharField(
        label=_("Where you read it (a link, optional)"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
    )
    note = forms.CharField(
        label=_("A note for the editors (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the limit is a setting: a field made anew, so its validator and maxlength follow it
        self.fields["text"] = forms.CharField(
            label=_("The sentence to check"),
            max_length=settings.SIMILARITY_TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
