from __future__ import annotations

import re

from reading.highlighting import Highlight, highlight_body

TEXT = "One two three. Four five six.\nSeven & eight <nine>.\n\nTen."


def _visible_text(html: str) -> str:
    without_refs = re.sub(r'<a class="claim-ref"[^>]*>.*?</a>', "", html)
    return re.sub(r"<[^>]+>", "", without_refs)


def _assert_well_nested(html: str) -> None:
    stack: list[str] = []
    for closing, name in re.findall(r"<(/?)([a-z]+)[^>]*>", html):
        if closing:
            assert stack and stack[-1] == name, html
            stack.pop()
        else:
            stack.append(name)
    assert stack == []


def test_plain_body_becomes_escaped_paragraphs():
    html = highlight_body(TEXT, [])
    assert html.count("<p>") == 3
    assert "&amp; eight &lt;nine&gt;" in html
    assert _visible_text(html).replace("\n", "") == TEXT.replace("\n", "").replace(
        "&", "&amp;"
    ).replace("<", "&lt;").replace(">", "&gt;")


def test_each_claim_opens_a_numbered_mark_right_before_its_quote():
    html = highlight_body(TEXT, [Highlight(1, 10, 0, 14), Highlight(2, 11, 15, 29)])
    assert '<mark class="claim claim--none" id="claim-1" data-claim="10">One two three.' in html
    assert '<mark class="claim claim--none" id="claim-2" data-claim="11">Four five six.' in html
    assert 'href="#card-2"' in html
    _assert_well_nested(html)


def test_overlapping_claims_stay_well_nested_and_keep_one_id_each():
    spans = [Highlight(1, 1, 4, 20), Highlight(2, 2, 8, 25), Highlight(3, 3, 10, 13)]
    html = highlight_body(TEXT, spans)
    _assert_well_nested(html)
    for number in (1, 2, 3):
        assert html.count(f'id="claim-{number}"') == 1
        assert html.count(f'href="#card-{number}"') == 1
    assert '<mark class="claim claim--none" id="claim-2" data-claim="2">three. Four' not in html
    assert 'id="claim-2" data-claim="2">' in html


def test_claim_across_a_paragraph_break_continues_in_the_next_paragraph():
    start = TEXT.index("Four")
    end = TEXT.index("eight") + len("eight")
    html = highlight_body(TEXT, [Highlight(1, 7, start, end, "misleading")])
    _assert_well_nested(html)
    assert (
        '<mark class="claim claim--misleading" id="claim-1" data-claim="7">Four five six.' in html
    )
    assert (
        '<mark class="claim claim--cont claim--misleading" data-claim="7">Seven &amp; eight' in html
    )


def test_out_of_range_spans_are_clamped_and_empty_ones_dropped():
    html = highlight_body("Short.", [Highlight(1, 1, 3, 999), Highlight(2, 2, 4, 4)])
    _assert_well_nested(html)
    assert 'id="claim-1"' in html and 'id="claim-2"' not in html


def test_markup_in_the_body_is_text_not_html():
    body = '<script>alert(1)</script> and <b onclick="x">bold</b>'
    html = highlight_body(body, [Highlight(1, 1, 0, 25)])
    assert "<script>" not in html and "<b " not in html
    assert "&lt;script&gt;" in html
