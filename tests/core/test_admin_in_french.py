"""The admin in French, on the demo's data: no English label we know the French of, no raw
verdict key (`mostly_accurate`), no uninterpolated placeholder (`%(n)s`) on the main pages, and
a translation catalogue with nothing untranslated or fuzzy."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from claims.models import Claim, ClaimSeries, Evidence, verdict_choices
from core.labels import DERIVED_LABELS, WRAPPED
from discussions.models import Comment
from tests.factories import UserFactory

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
OUR_APPS = {"core", "articles", "claims", "discussions", "energy", "editorial", "reading"}
OUR_APPS |= {"notifications", "integrations"}


def _po_entries() -> list[dict[str, Any]]:
    """(flags, msgid, msgstr) of every singular entry of the French catalogue."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        flags: list[str] = []
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and current:
                fields[current] += eval(line)  # noqa: S307 - a PO string literal
            else:
                key, _sep, value = line.partition(" ")
                current = key
                fields[key] = eval(value)  # noqa: S307 - a PO string literal
        if fields.get("msgid"):
            entries.append({"flags": flags, **fields})
    return entries


def test_the_french_catalogue_has_nothing_untranslated_fuzzy_or_misplaced() -> None:
    entries = _po_entries()
    assert entries
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    untranslated = [
        e["msgid"] for e in entries if not e.get("msgstr", e.get("msgstr[0]", "")).strip()
    ]
    assert untranslated == []
    # a translation carries the placeholders of its original, no more and no fewer: a msgstr
    # with a placeholder its msgid lacks is shown raw ("Affirmation %(n)s dans le texte")
    placeholder = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
    wrong = [
        (e["msgid"], e["msgstr"])
        for e in entries
        if "msgstr" in e
        and sorted(placeholder.findall(e["msgid"])) != sorted(placeholder.findall(e["msgstr"]))
    ]
    assert wrong == []


def test_every_label_django_derives_from_a_name_is_in_the_catalogue() -> None:
    """A new field without verbose_name must be added to core.labels.DERIVED_LABELS (and get
    its French), or be given a translated verbose_name."""
    missing = WRAPPED - set(DERIVED_LABELS)
    assert missing == set()
    with translation.override("fr"):
        french = {label: translation.gettext(label) for label in DERIVED_LABELS}
    same = {en for en, fr in french.items() if en == fr}
    # words French writes the same way
    assert same <= {"ID", "action", "note", "parent", "score", "secret", "version"} | {
        "Articles",
        "articles",
        "Discussions",
        "notification",
        "notifications",
        "observation",
        "observations",
    }


class _Text(HTMLParser):
    """The text a reader sees (not scripts, styles or attribute values), one string each."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template", "textarea"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template", "textarea"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skip:
            self.texts.append(text)


def _texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.texts


def _known_english() -> set[str]:
    """Labels whose French differs: shown as they are in English, they were not translated."""
    known = set()
    for entry in _po_entries():
        msgid, msgstr = entry["msgid"], entry.get("msgstr", "")
        if msgstr and msgstr != msgid and len(msgid) > 2 and "%" not in msgid:
            known |= {msgid, msgid[:1].upper() + msgid[1:]}
    return known


@pytest.fixture
def demo_admin(client: Any, db: Any) -> Any:
    call_command("demo", stdout=StringIO())
    root = UserFactory(username="admin2", is_staff=True, is_superuser=True)
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def _pages() -> list[str]:
    claim = Claim.objects.exclude(verdict="").filter(verdict__contains="_").first()
    assert claim is not None  # the demo rates one "mostly_accurate"
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        if model._meta.app_label in OUR_APPS:
            meta = model._meta
            pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    pages += [
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:claims_claim_history", args=[claim.pk]),
        reverse("admin:claims_claim_changelist") + "?verdict=mostly_accurate",
        reverse("admin:articles_article_change", args=[claim.article_id]),
        reverse("admin:claims_evidence_change", args=[Evidence.objects.first().pk]),  # type: ignore[union-attr]
        reverse("admin:claims_claimseries_change", args=[ClaimSeries.objects.first().pk]),  # type: ignore[union-attr]
        reverse("admin:discussions_comment_change", args=[Comment.objects.first().pk]),  # type: ignore[union-attr]
    ]
    history = claim.history.order_by("history_id").last()
    pages.append(reverse("admin:claims_claim_simple_history", args=[claim.pk, history.history_id]))
    return pages


def test_the_main_admin_pages_in_french_show_no_english_label_raw_key_or_placeholder(
    demo_admin: Any,
) -> None:
    keys = [value for value, _label in verdict_choices()]
    raw_key = re.compile(r"\b(" + "|".join(map(re.escape, keys)) + r")\b")
    english = _known_english()
    problems: dict[str, list[str]] = {}
    for url in _pages():
        response = demo_admin.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == "fr", url
        found = []
        for text in _texts(response.content.decode()):
            if "%(" in text:
                found.append(f"placeholder: {text}")
            if raw_key.search(text):
                found.append(f"raw key: {text}")
            if text.rstrip(":").strip() in english:
                found.append(f"English: {text}")
        if found:
            problems[url] = sorted(set(found))
    assert problems == {}, "\n".join(f"{url}: {found}" for url, found in problems.items())
