"""Where the parts of an article are: paragraphs, headings, quotation marks.

Shared by the name finder (a name inside a quotation counts for less) and the quotation
finder, so both pair quotation marks the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_right

INF = float("inf")
PARA_RE = re.compile(r"\n[ \t]*\n\s*")
HEADING_RE = re.compile(r"^\s*#{1,6}\s")


def split_paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph; paragraphs are separated by blank lines."""
    spans, pos = [], 0
    for m in PARA_RE.finditer(body):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(body)))
    return spans


def is_heading(text: str) -> bool:
    """A Markdown heading or a short title-case line without a full stop."""
    if HEADING_RE.match(text):
        return True
    t = text.strip()
    if not t or len(t) > 160 or t[-1] in ".!?\"”’:;,)":
        return False
    words = t.split()
    if len(words) < 2:
        return True
    caps = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return caps >= 0.6 * len(words)


# --------------------------------------------------------------------------
# Quotation marks (people.py needs them too: names inside quotes are weaker)

_OPEN_CTX = frozenset(" \t\n\r([{—–-/:;,\u00a0")
QUOTE_MARK_RE = re.compile(r"[\"“”‘’]")


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, bool]]:
    """(inner start, inner end, closed) of each quotation in text[start:end].

    Double marks pair by context (a mark after a space opens, one before a space
    closes), so a wrong curly mark or a stray mark cannot swallow the text: an
    unclosed quotation ends at `end`.  Single curly marks count only outside a
    double quotation, opening after a space and closing before a non-letter, so
    the apostrophe in "Britain’s" is never a mark.
    """
    if end is None:
        end = len(text)
    spans: list[tuple[int, int, bool]] = []
    open_at = -1  # inner start of the open double quotation
    open_straight, nested = False, 0  # its kind of mark; marks of the other kind nested in it
    sopen_at = -1  # inner start of an open single quotation
    for m in QUOTE_MARK_RE.finditer(text, start, end):
        i = m.start()
        ch = text[i]
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if ch in "‘’":
            if open_at >= 0:
                continue
            if ch == "‘" and prev in _OPEN_CTX and not nxt.isspace():
                sopen_at = i + 1
            elif ch == "’" and sopen_at >= 0 and not nxt.isalpha() and not prev.isspace():
                spans.append((sopen_at, i, True))
                sopen_at = -1
            continue
        opens = prev in _OPEN_CTX or prev in "“\"‘"
        closes = nxt.isspace() or not nxt.isalnum() or i + 1 >= end
        straight = ch == '"'
        if open_at < 0 and (i == start or prev == "\n"):
            closes = False  # a paragraph opens with a quotation, whatever the mark's shape
        if opens and closes:  # detached mark: decide by its shape and state
            opens = ch == "“" or (straight and open_at < 0)
        if open_at < 0:
            if opens or ch == "“":
                open_at, open_straight, nested = i + 1, straight, 0
                sopen_at = -1
        elif straight != open_straight and opens and not closes:
            nested += 1  # “Shark Tank” inside a "..." quotation
        elif straight != open_straight and nested and closes:
            nested -= 1
        elif not opens or ch == "”" or (straight and closes):
            spans.append((open_at, i, True))
            open_at = -1
        else:  # a second opening mark: the first was never closed
            spans.append((open_at, _trim_end(text, open_at, i), False))
            open_at = i + 1
    if open_at >= 0:
        spans.append((open_at, _trim_end(text, open_at, end), False))
    return [s for s in spans if s[1] > s[0]]


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def in_spans(quotes, pos: int) -> bool:
    """Is pos inside one of the (sorted, disjoint) quotation spans?"""
    i = bisect_right(quotes, (pos, INF)) - 1
    return i >= 0 and quotes[i][0] <= pos < quotes[i][1]
