"""Pages of results, Datasette's way: ``?_next=`` names where the next page starts, and the
JSON carries ``next`` (that token) and ``next_url``, with ``previous_url`` back.

The token is the offset of the page's first row, a whole number, passed to SQLite as a bound
parameter. Offsets are capped (the ``max_offset`` setting): SQLite reads and ranks every row
before the page, so deep pages cost more; a token past the cap, or one that is no number, is a
400, not a page.
"""

from __future__ import annotations

from datasette.utils.asgi import BadRequest

NEXT = "_next"


def offset_of(token: str | None, max_offset: int) -> int:
    """The offset a ``_next`` token names: 0 without one; 400 for a bad one or one past the cap."""
    if token in (None, ""):
        return 0
    if not token.isascii() or not token.isdigit() or len(token) > 9:
        raise BadRequest(f"{NEXT} must be a whole number of rows")
    offset = int(token)
    if offset > max_offset:
        raise BadRequest(f"Pages reach {max_offset} rows deep at most: narrow the search or use the tables' JSON API")
    return offset


def page_links(url_at, offset: int, size: int, more: bool, max_offset: int) -> dict:
    """``next``, ``next_url`` and ``previous_url`` of a page of ``size`` rows starting at
    ``offset``; ``url_at(offset)`` is the URL of the page starting there (None for the first)."""
    following = offset + size
    has_next = more and following <= max_offset
    return {
        "offset": offset,
        "next": str(following) if has_next else None,
        "next_url": url_at(following) if has_next else None,
        "previous_url": url_at(max(offset - size, 0) or None) if offset else None,
    }
