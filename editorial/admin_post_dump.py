"""The article admin's "Import a post dump" page: the admin door to `import_post`.

Upload a file or paste a page, choose the language, source URL, layout and capture time;
*Preview* shows what `import_post --dry-run` shows (the same service call), *Import* writes
through the same service as the command and opens the new article.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _

from articles.models import Language
from editorial.layouts import known_layouts

PLAIN_TEXT = "plain-text"
# Bigger uploads are refused (a 5 MB dump already holds some 25,000 comments).
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# A previewed upload rides along in the page (base64) so that *Import* does not need the file
# chosen again; Django refuses request bodies over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by
# default), so larger files are chosen again.
CARRY_MAX_BYTES = 1_500_000


def _layout_choices() -> list[tuple[str, str | StrPromise]]:
    entries = known_layouts().layouts.values()
    return [
        ("", _("Detect it")),
        *((entry.name, f"{entry.name}: {entry.description}") for entry in entries),
        (PLAIN_TEXT, _("None: import the whole text as the article body")),
    ]


class PostDumpForm(forms.Form):
    upload = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_("A UTF-8 text or Markdown file, optionally with front matter."),
    )
    text = forms.CharField(
        label=_("or paste the page"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "vLargeTextField"}),
    )
    carried = forms.CharField(required=False, widget=forms.HiddenInput)
    carried_name = forms.CharField(required=False, widget=forms.HiddenInput)
    language = forms.ChoiceField(
        label=_("language"),
        required=False,
        choices=[("", _("Guess it")), *Language.choices],
    )
    source_url = forms.URLField(
        label=_("source URL"), required=False, max_length=2000, assume_scheme="https"
    )
    layout = forms.ChoiceField(label=_("layout"), required=False, choices=_layout_choices)
    captured_at = forms.CharField(
        label=_("copied at"),
        required=False,
        help_text=_(
            "When the page was copied, ISO 8601 with its offset (2025-12-09T02:00:00+01:00): "
            "resolves relative times such as “17h ago”."
        ),
    )
    timezone = forms.CharField(
        label=_("time zone"),
        required=False,
        help_text=_(
            "The zone the platform displayed comment times in (an IANA name such as "
            "Europe/Paris). Empty: the capture time's offset, else UTC."
        ),
    )

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload is not None and upload.size > UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": UPLOAD_MAX_BYTES // 1024 // 1024}
            )
        return upload

    def clean_captured_at(self) -> dt.datetime | None:
        value = (self.cleaned_data.get("captured_at") or "").strip()
        if not value:
            return None
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(_("Not an ISO 8601 date and time.")) from None
        if parsed.tzinfo is None:
            raise ValidationError(_("Add the UTC offset, e.g. 2025-12-09T02:00:00+01:00."))
        return parsed

    def clean_timezone(self) -> str | None:
        value = (self.cleaned_data.get("timezone") or "").strip()
        if not value:
            return None
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError(_("Unknown time zone.")) from None
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, text = data.get("upload"), data.get("text") or ""
        if upload is not None:
            data["raw"] = upload.read()
            data["name"] = upload.name
        elif text.strip():
            # Browsers send a textarea's line breaks as CRLF; a file's are kept as they are.
            data["raw"] = text.replace("\r\n", "\n").encode("utf-8")
            data["name"] = ""
        elif self.has_error("text") or self.has_error("upload"):
            return data
        elif data.get("carried"):
            try:
                data["raw"] = base64.b64decode(data["carried"], validate=True)
            except (binascii.Error, ValueError):
                raise ValidationError(_("Choose the file again.")) from None
            data["name"] = data.get("carried_name") or ""
        else:
            raise ValidationError(_("Choose a file or paste the page's text."))
        return data

    def import_options(self) -> dict[str, Any]:
        """The keyword arguments of `article_import_post(_preview)`, as the command passes."""
        data = self.cleaned_data
        layout = data.get("layout") or ""
        return {
            "raw": data["raw"],
            "language": data.get("language") or None,
            "source_url": data.get("source_url") or "",
            "captured_at": data.get("captured_at"),
            "timezone": data["timezone"],
            "layout": layout if layout and layout != PLAIN_TEXT else None,
            "as_plain_text": layout == PLAIN_TEXT,
        }

    def carry_upload(self) -> bool:
        """After a preview of an uploaded file: keep its bytes in the page for *Import*.

        Returns False when the file is too large to carry (it must be chosen again).
        """
        data = self.cleaned_data
        if self.data.get("text", "").strip() or data.get("upload") is None:
            return True
        raw: bytes = data["raw"]
        if len(raw) > CARRY_MAX_BYTES:
            return False
        carried = dict(self.data.items())
        carried["carried"] = base64.b64encode(raw).decode("ascii")
        carried["carried_name"] = data.get("name", "")
        self.data = carried
        return True
