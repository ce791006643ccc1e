"""Layout entries are data: the shipped ones load, a broken one says where it is broken, and a
new locale is a new file that the one parser reads without any code change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from editorial.importers import parse_post_dump
from editorial.layouts import LAYOUTS_DIR, LayoutError, fold, known_layouts, load_layouts

GATE_DE = """\
extends = "gate"
language = "de"
description = "Gate social feed, post page, German interface"

[post]
ends_at = { exact = ["Original anzeigen"], patterns = ['^Diese Seite kann Inhalte Dritter'] }

[chrome]
exact = ["Belohnung", "Reposten", "Teilen", "Kommentar"]
patterns = ['^\\d+ Gefällt mir$']
source_name = '(?P<name>\\S+) übernimmt keine Gewähr'

[comments]
footer = ['^(?:Original anzeigen)?\\s*Antworten\\s*(?P<likes>\\d+)?$']

[times]
now = ["gerade eben"]
relative = ['^vor (?P<n>\\d+) (?P<unit>Min\\.|Std\\.|T\\.)$']
units = { "min." = "minute", "std." = "hour", "t." = "day" }
"""

GERMAN_PAGE = """\
Rechenzentren brauchen Strom, und zwar viel davon.
Die Netzbetreiber kommen kaum hinterher.
Diese Seite kann Inhalte Dritter enthalten. Gate übernimmt keine Gewähr.
9 Gefällt mir
Belohnung
9
2
Reposten
Teilen
Kommentar
0/400
NetzNomade
· vor 17 Std.
Ohne Netzausbau keine KI.
Antworten 0
Kabelkurt
· gerade eben
Stimmt, die Leitungen fehlen.
Antworten 3
"""


def copy_of_shipped_layouts(tmp_path: Path) -> Path:
    folder = tmp_path / "layouts"
    folder.mkdir()
    for path in LAYOUTS_DIR.glob("*.toml"):
        shutil.copy(path, folder / path.name)
    return folder


def test_shipped_layouts_cover_gate_in_french_and_english_and_the_forum_layout() -> None:
    layouts = known_layouts()

    assert layouts.names == ["forum-en", "forum-fr", "gate-en", "gate-fr"]
    assert {(entry.platform, entry.language) for entry in layouts.layouts.values()} == {
        ("Gate", "fr"),
        ("Gate", "en"),
        ("News site or forum", "fr"),
        ("News site or forum", "en"),
    }


def test_locale_entries_inherit_the_platform_shape_and_add_their_words() -> None:
    layouts = known_layouts().layouts
    fr, en = layouts["gate-fr"], layouts["gate-en"]

    # shared by every Gate interface (gate.toml)
    assert fr.time_line is not None and fr.time_line.pattern == en.time_line.pattern  # type: ignore[union-attr]
    assert fr.repeated_post and en.repeated_post and fr.handle_optional
    assert fr.chrome.match("0/400") and en.chrome.match("0/400")
    # the words are each locale's own
    assert fr.chrome.match("Récompense") and not en.chrome.match("Récompense")
    assert en.chrome.match("Reward") and not fr.chrome.match("Reward")
    assert fr.post_ends_at.match(fold("Voir l’original"))  # typographic apostrophe too
    assert not en.post_ends_at.match("Voir l'original")


def test_abstract_entries_and_the_base_are_not_layouts_one_can_choose() -> None:
    with pytest.raises(LayoutError, match="unknown layout 'gate'; known layouts: forum-en"):
        known_layouts().get("gate")
    with pytest.raises(LayoutError, match="unknown layout 'base'"):
        known_layouts().get("base")


def test_a_new_locale_is_a_data_file_the_parser_reads_without_new_code(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = copy_of_shipped_layouts(tmp_path)
    (folder / "gate-de.toml").write_text(GATE_DE, encoding="utf-8")
    layouts = load_layouts(folder)

    post = parse_post_dump(GERMAN_PAGE, layouts=layouts)

    assert post.layout == "gate-de"
    assert post.body == (
        "Rechenzentren brauchen Strom, und zwar viel davon.\n\n"
        "Die Netzbetreiber kommen kaum hinterher."
    )
    assert post.source_name == "Gate"
    assert [(c.handle, c.posted_raw, c.body, c.like_count) for c in post.comments] == [
        ("NetzNomade", "vor 17 Std.", "Ohne Netzausbau keine KI.", 0),
        ("Kabelkurt", "gerade eben", "Stimmt, die Leitungen fehlen.", 3),
    ]


def test_the_same_page_without_its_locale_is_refused_rather_than_imported_whole() -> None:
    from editorial.importers import DumpError

    with pytest.raises(DumpError, match="no layout places every line"):
        parse_post_dump(GERMAN_PAGE)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('extends = "gate"\nlanguage = "de"\ncolour = "red"\n', "unknown key 'colour'"),
        ('extends = "gate"\nlanguage = "de"\n[comments]\nfooters = []\n', "'comments.footers'"),
        ('extends = "gate"\nlanguage = "de"\n[chrome]\npatterns = ["(unclosed"]\n', "not a valid"),
        (
            'extends = "gate"\nlanguage = "de"\n[comments]\nfooter = "Antworten"\n',
            "'comments.footer' must be a list",
        ),
        (
            'extends = "gate"\nlanguage = "de"\n[times]\nrelative = [\'^vor (\\\\d+)$\']\n',
            r"needs the named group\(s\) \(\?P<n>…\), \(\?P<unit>…\)",
        ),
        (
            'extends = "gate"\nlanguage = "de"\n[times]\nunits = { "std." = "hours" }\n',
            "use one of minute, hour, day, week",
        ),
        ('extends = "gates"\nlanguage = "de"\n', "extends unknown layout 'gates'"),
        ('extends = "gate"\n', "'language' is required"),
        ('extends = "gate"\nlanguage = "de"\n[page_hints]\nmin_lines = 1\n', "base.toml only"),
        ("language = [", "not valid TOML"),
    ],
)
def test_a_broken_layout_file_stops_the_load_naming_the_file_and_key(
    tmp_path, content, message
) -> None:  # type: ignore[no-untyped-def]
    folder = copy_of_shipped_layouts(tmp_path)
    (folder / "gate-de.toml").write_text(content, encoding="utf-8")

    with pytest.raises(LayoutError, match=message) as raised:
        load_layouts(folder)
    assert str(raised.value).startswith("gate-de.toml")


def test_layouts_without_the_base_shape_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = copy_of_shipped_layouts(tmp_path)
    (folder / "base.toml").unlink()

    with pytest.raises(LayoutError, match=r"base\.toml"):
        load_layouts(folder)


def test_two_layouts_that_fit_a_page_equally_are_an_error_not_a_guess(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from editorial.importers import DumpError

    folder = copy_of_shipped_layouts(tmp_path)
    (folder / "gate-de.toml").write_text(GATE_DE, encoding="utf-8")
    (folder / "gate-at.toml").write_text(GATE_DE.replace('"de"', '"de-AT"'), encoding="utf-8")

    with pytest.raises(DumpError, match=r"fits several layouts equally \(gate-at, gate-de\)"):
        parse_post_dump(GERMAN_PAGE, layouts=load_layouts(folder))
    assert parse_post_dump(GERMAN_PAGE, layout="gate-at", layouts=load_layouts(folder)).comments


def test_manage_py_check_reports_a_broken_layout_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from editorial import checks

    folder = copy_of_shipped_layouts(tmp_path)
    (folder / "gate-de.toml").write_text('extends = "gate"\nlanguage = "de"\nx = 1\n')
    monkeypatch.setattr(checks, "LAYOUTS_DIR", folder)

    [error] = checks.layouts_load()

    assert error.id == "editorial.E001" and "gate-de.toml: unknown key 'x'" in error.msg
    monkeypatch.setattr(checks, "LAYOUTS_DIR", LAYOUTS_DIR)
    assert checks.layouts_load() == []
