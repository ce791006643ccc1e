"""Large page fragments spliced into the response's bytes instead of passing through templates.

Django's template engine copies a fragment's text at every level it is included from (each
NodeList joins its nodes into a new string, then wraps it in a new SafeString), and the response
encodes the page once more. For a normal page that costs nothing; for a thread of ten thousand
comments (7 MB of HTML) it held several copies at once. A fragment larger than
SPLICE_FROM_BYTES is encoded once, the template gets a marker in its place, and `render_page`
puts the bytes where the marker is: the process holds the fragment about twice, not five times.

The marker carries a random per-request nonce, so text on the page (a comment's body) cannot
name a fragment.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

SPLICE_FROM_BYTES = 256 * 1024
_ATTRIBUTE = "_assay_fragments"
_MARKER = re.compile(rb"<!--assay-fragment:([0-9a-f]{16}):(\d+)-->")


class _Fragments:
    def __init__(self) -> None:
        self.nonce = secrets.token_hex(8)
        self.parts: list[list[bytes]] = []


def fragment(request: HttpRequest, chunks: list[str]) -> SafeString:
    """HTML given in pieces, all safe (escaped by their maker): joined when small; otherwise
    a marker that `render_page` replaces with the pieces' bytes. The list is emptied."""
    if sum(len(chunk) for chunk in chunks) < SPLICE_FROM_BYTES:
        joined = "".join(chunks)
        chunks.clear()
        return mark_safe(joined)  # noqa: S308 - the caller's pieces are safe HTML
    fragments: _Fragments | None = getattr(request, _ATTRIBUTE, None)
    if fragments is None:
        fragments = _Fragments()
        setattr(request, _ATTRIBUTE, fragments)
    # encoded piece by piece, each text released as its bytes are made
    chunks.reverse()
    encoded = []
    while chunks:
        encoded.append(chunks.pop().encode())
    fragments.parts.append(encoded)
    return mark_safe(f"<!--assay-fragment:{fragments.nonce}:{len(fragments.parts) - 1}-->")  # noqa: S308


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int | None = None
) -> HttpResponse:
    """django.shortcuts.render, with the request's large fragments spliced into the bytes."""
    response = render(request, template, context, status=status)
    fragments: _Fragments | None = getattr(request, _ATTRIBUTE, None)
    if fragments is None or not fragments.parts:
        return response
    content = response.content
    pieces: list[bytes] = []
    position = 0
    for match in _MARKER.finditer(content):
        if match.group(1).decode() != fragments.nonce:
            continue
        pieces.append(content[position : match.start()])
        pieces.extend(fragments.parts[int(match.group(2))])
        position = match.end()
    pieces.append(content[position:])
    del content
    fragments.parts.clear()
    response.content = b"".join(pieces)
    return response
