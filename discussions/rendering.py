"""Comment markdown to safe HTML: markdown renders, nh3 keeps only an allowlist."""

from __future__ import annotations

import html

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_comment_markdown(source: str) -> str:
    # Raw HTML in the source is shown as text ("<" escaped before markdown sees it; ">" stays
    # for blockquotes), then nh3 removes anything outside the allowlist: a link can only be
    # http(s)/mailto and always gets rel="nofollow ugc noopener".
    import markdown  # with its extensions' modules, loaded by the first comment posted

    html = markdown.markdown(
        source.replace("<", "&lt;"),
        extensions=["sane_lists"],
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    )


def render_plain_text(source: str) -> str:
    """Text shown as it was written: a paragraph per blank-line-separated block, its line breaks
    kept, every character escaped and nothing interpreted.

    For comments imported from another platform, which showed them as plain text: read as
    Markdown, a comment's separate lines would run together and `1)`-style lists or stray `*`
    would change meaning. It is also what keeps importing tens of thousands of them fast.
    """
    paragraphs = [block.strip() for block in source.strip().split("\n\n")]
    return "".join(
        "<p>"
        + "<br>\n".join(html.escape(line.strip(), quote=False) for line in block.split("\n"))
        + "</p>"
        for block in paragraphs
        if block
    )
