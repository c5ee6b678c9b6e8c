"""The search page: articles, quotations, people and stories matching what was typed, each
kind ranked by relevance (FTS5 bm25) and paged; before anything is typed, who is quoted most
and what is new.

``?kind=`` narrows the page to one kind; ``?_next=`` starts each kind shown at that row
(``site/paging.py``). Every value is a bound parameter.

The kinds are searched one after another in one trip to the database thread, sharing
Datasette's SQL time limit as one query would (stories, people, quotations, then articles: the
smaller first, so a costly one cannot starve them). A kind whose search outlives what is left
of the limit is shown as not finished (``timed_out``), with what the others found; a kind
whose rows came but whose count did not is shown without its count.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time

from datasette.utils import escape_fts, sqlite_timelimit

from .html import SNIPPET_CLOSE, SNIPPET_OPEN, snippet_html
from .paging import page_links
from .queries import all_rows, interrupted, read_in_thread
from .urls import BriefsUrls

# Queries that use FTS5 syntax are tried as written; plain words go straight to quoting.
FTS_SYNTAX = re.compile(r'["*^()]|\b(?:AND|OR|NOT|NEAR)\b')


def _ranked(kind: str, columns: str, snippet_column: int, tokens: int) -> str:
    """The matches of one kind from ``:offset``, ``:limit`` of them, best first by bm25 (then
    rowid, so pages never overlap), with a snippet of each. The ranking runs first on the index
    alone, so snippets are made for the rows shown, not every match."""
    return f"""
        select {columns}, snippet({kind}_fts, {snippet_column}, :open, :close, '…', {tokens}) as snippet
        from (select rowid, bm25({kind}_fts) as rank from {kind}_fts where {kind}_fts match :query
              order by rank, rowid limit :limit offset :offset) as best
        join {kind}_fts on {kind}_fts.rowid = best.rowid and {kind}_fts match :query
        join {kind} t on t.rowid = best.rowid
        order by best.rank, best.rowid"""


SEARCHES = {
    "articles": _ranked("articles", "t.id, t.display_title as label, t.outlet, t.published", -1, 24),
    "quotes": _ranked("quotes", "t.id, t.article_id, t.speaker as label, t.person_id, t.speaker_descr", 0, 32),
    "people": _ranked("people", "t.id, t.name as label, t.role, t.quote_count", -1, 16),
    "stories": _ranked("stories", "t.id, t.title as label, t.article_count, t.outlets, t.first_published, "
                       "t.last_published", 1, 16),
}
COUNTS = {kind: f"select count(*) from {kind}_fts where {kind}_fts match :query" for kind in SEARCHES}


async def search_page(db, urls: BriefsUrls, q: str, kinds: tuple[str, ...], size: int, offset: int = 0,
                      max_offset: int = 0, kind: str | None = None, fmt: str | None = None) -> dict:
    """Articles, quotations and people matching ``q``, each kind ranked by bm25, a page of
    ``size`` from ``offset``; only ``kind`` when one is given.

    A query using FTS5 syntax (phrases, OR, prefix*) is tried as written, and on a syntax error
    as plain words, each quoted; plain words are quoted at once (a hyphen is not a column
    filter). Anything typed gives results or none, never an error. ``fmt`` is where the next
    and previous links lead (``json``: the JSON twin).
    """
    q = (q or "").strip()
    shown = (kind,) if kind else kinds
    if q:
        searched = await _search_within_limit(db, q, shown, size, offset)
        used_query = next((query for query, _ in searched.values() if query), None)
        results = {name: searched[name][1] for name in shown}
    else:
        used_query, results = None, {name: _nothing() for name in shown}
    for name, found in results.items():
        for row in found["rows"]:
            row["snippet_html"] = snippet_html(row.pop("snippet") or "")
            if name == "stories":
                row["outlets"] = json.loads(row["outlets"] or "[]")
            row["url"] = _result_url(urls, name, row)
        count = found["count"]
        more = offset + len(found["rows"]) < count if count is not None else len(found["rows"]) == size
        found.update(page_links(lambda at, name=name: urls.search(q, fmt, kind=name, next=at), offset, size, more, max_offset))
    data = {
        "database": db.name,
        "q": q,
        "kind": kind,
        "fts_query": used_query,
        "results": results,
        "timed_out": [name for name, found in results.items() if found["timed_out"]],
        "links": {"page": urls.search(q, kind=kind, next=offset or None),
                  "json": urls.search(q, "json", kind=kind, next=offset or None),
                  "all_kinds": urls.search(q)},
    }
    if kind:  # one kind shown: its paging is the page's, as on Datasette's table pages
        data.update({key: results[kind][key] for key in ("next", "next_url", "previous_url")})
    return data


# The order kinds are searched in: the smaller indexes first.
SEARCH_ORDER = ("stories", "people", "quotes", "articles")


async def _search_within_limit(db, q: str, kinds: tuple[str, ...], size: int, offset: int) -> dict:
    """Each kind's ``_search``, one after another under what is left of the time limit."""
    limit_ms = db.ds.setting("sql_time_limit_ms")

    def in_thread(conn):
        deadline = time.monotonic() + limit_ms / 1000
        found = {}
        for kind in sorted(kinds, key=SEARCH_ORDER.index):
            left_ms = int((deadline - time.monotonic()) * 1000)
            if left_ms <= 0:
                found[kind] = (None, _nothing(timed_out=True))
                continue
            with sqlite_timelimit(conn, left_ms):
                found[kind] = _search(conn, q, kind, size, offset)
        return found

    return await db.execute_fn(in_thread)


def _search(conn, q: str, kind: str, size: int, offset: int) -> tuple[str | None, dict]:
    """The first form of ``q`` that FTS5 accepts, and what it finds of one kind."""
    candidates = [q, escape_fts(q)] if FTS_SYNTAX.search(q) else [escape_fts(q)]
    for candidate in candidates:
        try:
            return candidate, _search_kind(conn, kind, candidate, size, offset)
        except sqlite3.OperationalError as error:
            if interrupted(error):  # the time limit, not a syntax error: nothing was used
                return None, _nothing(timed_out=True)
    return None, _nothing()


def _search_kind(conn, kind: str, query: str, size: int, offset: int) -> dict:
    """A page of one kind and how many match in all: counted apart only when the page is full
    or empty past the first, since otherwise the rows tell (None: the count outlived the
    time limit)."""
    params = {"query": query, "open": SNIPPET_OPEN, "close": SNIPPET_CLOSE, "limit": size, "offset": offset}
    rows = all_rows(conn, SEARCHES[kind], params)
    if len(rows) < size and (rows or not offset):
        return {"count": offset + len(rows), "rows": rows, "timed_out": False}
    try:
        count = conn.execute(COUNTS[kind], {"query": query}).fetchone()[0]
    except sqlite3.OperationalError as error:
        if not interrupted(error):
            raise
        count = None
    return {"count": count, "rows": rows, "timed_out": False}


def _nothing(timed_out: bool = False) -> dict:
    return {"count": None if timed_out else 0, "rows": [], "timed_out": timed_out}


def _result_url(urls: BriefsUrls, kind: str, row: dict) -> str:
    if kind == "articles":
        return urls.article(row["id"])
    if kind == "quotes":
        return urls.article(row["article_id"]) + f"#q-{row['id']}"
    if kind == "stories":
        return urls.story(row["id"])
    return urls.person(row["id"])


def _read_landing(conn, kinds: tuple[str, ...], most_quoted: int, latest: int) -> dict:
    return {
        # Only people with a quotation: the most quoted of an archive with few quotations
        # would otherwise end in people never quoted.
        "most_quoted": all_rows(
            conn,
            "select id, name, role, quote_count, article_count from people where quote_count > 0 "
            "order by quote_count desc, article_count desc, name limit ?",
            [most_quoted],
        ) if "people" in kinds and most_quoted else [],
        "latest_articles": all_rows(
            conn,
            "select id, display_title as title, outlet, published from articles "
            "order by published is null, published desc, source_file, position limit ?",
            [latest],
        ) if "articles" in kinds and latest else [],
    }


async def landing(db, urls: BriefsUrls, kinds: tuple[str, ...], most_quoted: int, latest: int) -> dict:
    """What the search page shows before anything is typed: who is quoted most, what is new."""
    found = await read_in_thread(db, lambda conn: _read_landing(conn, kinds, most_quoted, latest))
    for person in found["most_quoted"]:
        person["url"] = urls.person(person["id"])
    for article in found["latest_articles"]:
        article["url"] = urls.article(article["id"])
    return found
