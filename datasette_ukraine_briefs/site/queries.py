"""The data behind each page, read from a briefs database with bound parameters only.

Each page reads all its rows in one trip to Datasette's database thread (``_read``), then
shapes them (links, HTML) on the event loop. Each function returns plain dicts and lists:
the JSON twin of a page is exactly what its template is given. Everything heavy (people,
quotes, mentions, counts) was computed at build time; here it is only read.
"""

from __future__ import annotations

import json
import re
import sqlite3
from urllib.parse import urlencode

from datasette.utils import escape_fts, sqlite_timelimit

from .charts import dot_timeline
from .html import (
    SNIPPET_CLOSE,
    SNIPPET_OPEN,
    mention_highlights,
    quote_highlight,
    render_diff,
    render_highlighted,
    snippet_html,
)
from .urls import BriefsUrls

# Queries that use FTS5 syntax are tried as written; plain words go straight to quoting.
FTS_SYNTAX = re.compile(r'["*^()]|\b(?:AND|OR|NOT|NEAR)\b')
SEARCH_LIMIT = 20


async def _read(db, read):
    """``read(conn)`` on Datasette's database thread, under its SQL time limit.

    One trip for all of a page's queries: each ``db.execute`` is a trip of its own, and on
    small pages those trips cost more than the SQL.
    """
    limit_ms = db.ds.setting("sql_time_limit_ms")

    def in_thread(conn):
        with sqlite_timelimit(conn, limit_ms):
            return read(conn)

    return await db.execute_fn(in_thread)


def _all(conn, sql: str, params=()) -> list[dict]:
    cursor = conn.execute(sql, params)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row)) for row in cursor]


def _first(conn, sql: str, params=()) -> dict | None:
    rows = _all(conn, sql, params)
    return rows[0] if rows else None


def _read_article(conn, article_id: str) -> dict | None:
    article = _first(conn, "select * from articles where id = ?", [article_id])
    if article is None:
        return None
    return {
        "article": article,
        "quotes": _all(
            conn,
            """select q.id, q.text, q.words, q.paragraph, q.start, q.end, q.in_headline, q.verb,
                      q.speaker, q.person_id, q.speaker_descr
               from quotes q where q.article_id = ? order by q.in_headline desc, q.start""",
            [article_id],
        ),
        "mentions": _all(
            conn,
            "select start, end, person_id from mentions where article_id = ? and in_headline = 0 and person_id is not null",
            [article_id],
        ),
        "people": _all(
            conn,
            """select p.id, p.name, p.role, ap.mentions,
                      (select count(*) from quotes q where q.article_id = ap.article_id and q.person_id = p.id) as quotes
               from article_people ap join people p on p.id = ap.person_id
               where ap.article_id = ? order by quotes desc, ap.mentions desc, p.name""",
            [article_id],
        ),
        "coverage": _all(conn, COVERAGE, {"id": article_id, "story": article["story_id"]}) if article["story_id"] else None,
        "elsewhere": _all(conn, QUOTES_ELSEWHERE, {"id": article_id}),
    }


async def article_page(db, urls: BriefsUrls, article_id: str) -> dict | None:
    found = await _read(db, lambda conn: _read_article(conn, article_id))
    if found is None:
        return None
    article = found["article"]
    for column in ("images", "captions", "credits", "noise", "people"):
        article[column] = json.loads(article.get(column) or "[]")
    article["images"] = [image for image in article["images"] if _is_web_url(image.get("url"))]
    article["link"] = article["url"] if _is_web_url(article.get("url")) else None  # http(s) only

    quotes, people = found["quotes"], found["people"]
    elsewhere = _quotes_elsewhere(urls, found["elsewhere"])
    for quote in quotes:
        quote["person_url"] = urls.person(quote["person_id"]) if quote["person_id"] else None
        quote["elsewhere"] = elsewhere.get(quote["id"], [])
    for person in people:
        person["url"] = urls.person(person["id"])

    highlights = [quote_highlight(q) for q in quotes if not q["in_headline"]]
    highlights += mention_highlights(found["mentions"], urls.person)
    article["body_html"] = render_highlighted(article["body"], highlights)
    return {
        "database": db.name,
        "article": article,
        "quotes": quotes,
        "people": people,
        "coverage": _coverage(urls, article["story_id"], found["coverage"]),
        "links": {
            "page": urls.article(article_id),
            "json": urls.article(article_id, "json"),
            "row": urls.row("articles", article_id),
            "row_json": urls.row("articles", article_id, "json"),
            "search": urls.search(),
        },
    }


def _coverage(urls: BriefsUrls, story_id: str | None, others: list[dict] | None) -> dict | None:
    """The other articles of this article's story, with how much each shares with it."""
    if not story_id:
        return None
    for other in others:
        other["url"] = urls.article(other["id"])
    return {"story_id": story_id, "url": urls.story(story_id), "articles": others}


def _quotes_elsewhere(urls: BriefsUrls, rows: list[dict]) -> dict[str, list]:
    """For each quotation of the article, where else the same statement appears."""
    found: dict[str, list] = {}
    for item in rows:
        item["url"] = urls.story(item["story_id"]) + f"#{quote_pair_anchor(item['quote_id'], item['other_id'])}"
        found.setdefault(item.pop("quote_id"), []).append(item)
    return found


# The other articles of an article's story, with how much each shares with it.
COVERAGE = """
    select a.id, a.display_title as title, a.outlet, a.published, a.source_file, p.similarity, p.kind
    from articles a left join article_pairs p
      on (p.article_a = :id and p.article_b = a.id) or (p.article_b = :id and p.article_a = a.id)
    where a.story_id = :story and a.id != :id
    order by a.published is null, a.published, a.source_file, a.position"""

# Each side of a pair through its own index (an OR across both columns would scan them all).
QUOTES_ELSEWHERE = """
    select mine.id as quote_id, other.id as other_id, other.text, other.article_id, a.display_title,
           a.outlet, qp.similarity, qp.kind, qp.story_id
    from quotes mine join quote_pairs qp on qp.quote_a = mine.id
    join quotes other on other.id = qp.quote_b join articles a on a.id = other.article_id
    where mine.article_id = :id
    union all
    select mine.id, other.id, other.text, other.article_id, a.display_title, a.outlet, qp.similarity, qp.kind,
           qp.story_id
    from quotes mine join quote_pairs qp on qp.quote_b = mine.id
    join quotes other on other.id = qp.quote_a join articles a on a.id = other.article_id
    where mine.article_id = :id"""


def quote_pair_anchor(a: str, b: str) -> str:
    first, second = sorted((a, b))
    return f"qp-{first}-{second}"


PERSON_LIST_LIMIT = 100  # newest quotations and articles shown; the rest through the API

# Quotations and mentions of a person per publication date, each read from an index alone.
PERSON_TIMELINE = {
    "Quotations": """select published, count(*) from quotes
                     where person_id = ? and published is not null group by published""",
    "Mentions": """select published, sum(mentions) from article_people
                   where person_id = ? and published is not null group by published""",
}


def _read_person(conn, person_id: str) -> dict | None:
    person = _first(conn, "select * from people where id = ?", [person_id])
    if person is None:
        return None
    # Newest first, undated last (NULLs sort last in DESC order): the order of the
    # (person_id, published) indexes, so only the rows shown are read.
    return {
        "person": person,
        "quotes": _all(
            conn,
            """select q.id, q.text, q.context, q.verb, q.in_headline, q.article_id,
                      a.display_title as article_title, a.outlet, a.published, a.source_file
               from quotes q join articles a on a.id = q.article_id
               where q.person_id = ?
               order by q.published desc, a.source_file, a.position, q.in_headline desc, q.start
               limit ?""",
            [person_id, PERSON_LIST_LIMIT],
        ),
        "articles": _all(
            conn,
            """select a.id, a.display_title as title, a.outlet, a.published, a.source_file, ap.mentions
               from article_people ap join articles a on a.id = ap.article_id
               where ap.person_id = ?
               order by ap.published desc, a.source_file, a.position
               limit ?""",
            [person_id, PERSON_LIST_LIMIT],
        ),
        "alongside": _all(
            conn,
            """select p.id, p.name, pa.articles from people_alongside pa join people p on p.id = pa.other_id
               where pa.person_id = ? order by pa.articles desc, p.name""",
            [person_id],
        ),
        "timeline": {
            label: [tuple(row) for row in conn.execute(sql, [person_id])] for label, sql in PERSON_TIMELINE.items()
        },
    }


async def person_page(db, urls: BriefsUrls, person_id: str) -> dict | None:
    found = await _read(db, lambda conn: _read_person(conn, person_id))
    if found is None:
        return None
    person, quotes, articles, alongside = found["person"], found["quotes"], found["articles"], found["alongside"]
    person["aliases"] = json.loads(person["aliases"] or "[]")
    for quote in quotes:
        quote["article_url"] = urls.article(quote["article_id"]) + f"#q-{quote['id']}"
    for article in articles:
        article["url"] = urls.article(article["id"])
    for other in alongside:
        other["url"] = urls.person(other["id"])
    return {
        "database": db.name,
        "person": person,
        "timeline_svg": dot_timeline(found["timeline"], f"{person['name']}: quotations and mentions over time"),
        "quotes": quotes,
        "articles": articles,
        "alongside": alongside,
        "links": {
            "page": urls.person(person_id),
            "json": urls.person(person_id, "json"),
            "all_quotes": urls.datasette.urls.table(db.name, "quotes") + "?" + urlencode({"person_id": person_id}),
            "all_articles": urls.datasette.urls.table(db.name, "article_people") + "?" + urlencode({"person_id": person_id}),
            "row": urls.row("people", person_id),
            "row_json": urls.row("people", person_id, "json"),
            "search": urls.search(),
        },
    }


def _read_story(conn, story_id: str) -> dict | None:
    story = _first(conn, "select * from stories where id = ?", [story_id])
    if story is None:
        return None
    return {
        "story": story,
        "articles": _all(
            conn,
            """select id, display_title as title, outlet, published, dateline, source_file, position, word_count, body
               from articles where story_id = ? order by published is null, published, source_file, position""",
            [story_id],
        ),
        "pairs": _all(
            conn,
            "select article_a, article_b, similarity, kind, shared_quotes from article_pairs where story_id = ?",
            [story_id],
        ),
        "quote_pairs": _read_quote_pairs(conn, limit=500, story=story_id),
    }


async def story_page(db, urls: BriefsUrls, story_id: str) -> dict | None:
    found = await _read(db, lambda conn: _read_story(conn, story_id))
    if found is None:
        return None
    story, articles = found["story"], found["articles"]
    story["outlets"] = json.loads(story["outlets"] or "[]")
    for article in articles:
        article["url"] = urls.article(article["id"])
        article["opening_html"] = render_highlighted(_opening(article.pop("body")), [])
    series: dict[str, list] = {}
    for article in articles:
        series.setdefault(article["outlet"] or "outlet unknown", []).append((article["published"], 1))
    return {
        "database": db.name,
        "story": story,
        "articles": articles,
        "pairs": found["pairs"],
        "quote_pairs": [_quote_pair(urls, row) for row in found["quote_pairs"]],
        "timeline_svg": dot_timeline(series, "Which outlets ran this story when"),
        "links": {"page": urls.story(story_id), "json": urls.story(story_id, "json"),
                  "row": urls.row("stories", story_id), "row_json": urls.row("stories", story_id, "json"),
                  "search": urls.search()},
    }


def _opening(body: str, paragraphs: int = 3) -> str:
    return "\n\n".join(body.split("\n\n")[:paragraphs])


QUOTE_PAIRS = """
    select qp.quote_a, qp.quote_b, qp.kind, qp.similarity, qp.diff, qp.removed, qp.added, qp.story_id,
           qp.person_id, p.name as speaker,
           qa.text as text_a, qb.text as text_b, aa.id as article_a, ab.id as article_b,
           aa.display_title as title_a, ab.display_title as title_b,
           aa.outlet as outlet_a, ab.outlet as outlet_b, aa.published as published_a,
           ab.published as published_b, aa.source_file as source_a, ab.source_file as source_b
    from quote_pairs qp
    join quotes qa on qa.id = qp.quote_a join quotes qb on qb.id = qp.quote_b
    join articles aa on aa.id = qa.article_id join articles ab on ab.id = qb.article_id
    left join people p on p.id = qp.person_id
    where (:story is null or qp.story_id = :story)
      and (:kind is null or qp.kind = :kind)
      and (:speaker is null or qp.person_id = :speaker)
      and (:outlet is null or aa.outlet = :outlet or ab.outlet = :outlet)
    order by qp.kind = 'same', p.name, qp.similarity
    limit :limit"""


def _read_quote_pairs(conn, limit: int, story=None, kind=None, speaker=None, outlet=None) -> list[dict]:
    params = {"story": story, "kind": kind, "speaker": speaker, "outlet": outlet, "limit": limit}
    return _all(conn, QUOTE_PAIRS, params)


def _quote_pair(urls: BriefsUrls, row: dict) -> dict:
    """Two versions of one statement, with both sides' articles and the words changed."""
    ops = json.loads(row.pop("diff"))
    row["removed"], row["added"] = json.loads(row["removed"]), json.loads(row["added"])
    row["diff_a_html"], row["diff_b_html"] = render_diff(ops, "a"), render_diff(ops, "b")
    row["anchor"] = quote_pair_anchor(row["quote_a"], row["quote_b"])
    row["url_a"] = urls.article(row["article_a"]) + f"#q-{row['quote_a']}"
    row["url_b"] = urls.article(row["article_b"]) + f"#q-{row['quote_b']}"
    row["story_url"] = urls.story(row["story_id"]) if row["story_id"] else None
    row["person_url"] = urls.person(row["person_id"]) if row["person_id"] else None
    return row


ALTERED_LIMIT = 200


def _read_altered(conn, speaker: str | None, outlet: str | None) -> dict:
    return {
        "pairs": _read_quote_pairs(conn, limit=ALTERED_LIMIT, kind="altered", speaker=speaker, outlet=outlet),
        "speakers": _all(
            conn,
            """select p.id, p.name, count(*) as pairs from quote_pairs qp join people p on p.id = qp.person_id
               where qp.kind = 'altered' group by p.id order by pairs desc, p.name""",
        ),
        "outlets": _all(
            conn,
            """select outlet, count(*) as pairs from (
                 select aa.outlet from quote_pairs qp join quotes q on q.id = qp.quote_a join articles aa on aa.id = q.article_id
                 where qp.kind = 'altered'
                 union all
                 select ab.outlet from quote_pairs qp join quotes q on q.id = qp.quote_b join articles ab on ab.id = q.article_id
                 where qp.kind = 'altered')
               where outlet is not null group by outlet order by pairs desc, outlet""",
        ),
    }


async def altered_page(db, urls: BriefsUrls, speaker: str | None, outlet: str | None) -> dict:
    """Every quotation printed in other words, archive-wide, optionally for one speaker or outlet."""
    found = await _read(db, lambda conn: _read_altered(conn, speaker, outlet))
    pairs, speakers, outlets = found["pairs"], found["speakers"], found["outlets"]
    for item in speakers:
        item["url"] = urls.altered(speaker=item["id"], outlet=outlet)
    for item in outlets:
        item["url"] = urls.altered(speaker=speaker, outlet=item["outlet"])
    return {
        "database": db.name,
        "speaker": speaker,
        "outlet": outlet,
        "pairs": [_quote_pair(urls, row) for row in pairs],
        "truncated": len(pairs) == ALTERED_LIMIT,
        "speakers": speakers,
        "outlets": outlets,
        "links": {"page": urls.altered(speaker=speaker, outlet=outlet),
                  "json": urls.altered(speaker=speaker, outlet=outlet, fmt="json"),
                  "all": urls.altered(), "search": urls.search()},
    }


def _ranked(kind: str, columns: str, snippet_column: int, tokens: int) -> str:
    """The best ``:limit`` matches of one kind by bm25, with a snippet of each. The ranking
    runs first on the index alone, so snippets are made for the rows shown, not every match."""
    return f"""
        select {columns}, snippet({kind}_fts, {snippet_column}, :open, :close, '…', {tokens}) as snippet
        from (select rowid, bm25({kind}_fts) as rank from {kind}_fts where {kind}_fts match :query
              order by rank limit :limit) as best
        join {kind}_fts on {kind}_fts.rowid = best.rowid and {kind}_fts match :query
        join {kind} t on t.rowid = best.rowid
        order by best.rank"""


SEARCHES = {
    "articles": _ranked("articles", "t.id, t.display_title as label, t.outlet, t.published", -1, 24),
    "quotes": _ranked("quotes", "t.id, t.article_id, t.speaker as label, t.person_id, t.speaker_descr", 0, 32),
    "people": _ranked("people", "t.id, t.name as label, t.role, t.quote_count", -1, 16),
}
COUNTS = {kind: f"select count(*) from {kind}_fts where {kind}_fts match :query" for kind in SEARCHES}


async def search_page(db, urls: BriefsUrls, q: str, kinds: tuple[str, ...]) -> dict:
    """Articles, quotations and people matching ``q``, each kind ranked by bm25.

    A query using FTS5 syntax (phrases, OR, prefix*) is tried as written, and on a syntax error
    as plain words, each quoted; plain words are quoted at once (a hyphen is not a column
    filter). Anything typed gives results or none, never an error.
    """
    q = (q or "").strip()
    used_query, results = await _read(db, lambda conn: _search(conn, q, kinds)) if q else (None, _nothing(kinds))
    for kind, found in results.items():
        for row in found["rows"]:
            row["snippet_html"] = snippet_html(row.pop("snippet") or "")
            row["url"] = _result_url(urls, kind, row)
    return {
        "database": db.name,
        "q": q,
        "fts_query": used_query,
        "results": results,
        "links": {"page": urls.search(q), "json": urls.search(q, "json")},
    }


def _search(conn, q: str, kinds: tuple[str, ...]) -> tuple[str | None, dict]:
    """The first form of ``q`` that FTS5 accepts, and what it finds of each kind."""
    candidates = [q, escape_fts(q)] if FTS_SYNTAX.search(q) else [escape_fts(q)]
    for candidate in candidates:
        try:
            return candidate, {kind: _search_kind(conn, kind, candidate) for kind in kinds}
        except sqlite3.OperationalError as error:
            if error.args == ("interrupted",):  # the time limit, not a syntax error
                raise
    return None, _nothing(kinds)


def _search_kind(conn, kind: str, query: str) -> dict:
    """The best rows of one kind and how many match in all: counted apart only when the rows
    fill the page, since fewer are all there are."""
    params = {"query": query, "open": SNIPPET_OPEN, "close": SNIPPET_CLOSE, "limit": SEARCH_LIMIT}
    rows = _all(conn, SEARCHES[kind], params)
    count = len(rows) if len(rows) < SEARCH_LIMIT else conn.execute(COUNTS[kind], {"query": query}).fetchone()[0]
    return {"count": count, "rows": rows}


def _nothing(kinds: tuple[str, ...]) -> dict:
    return {kind: {"count": 0, "rows": []} for kind in kinds}


def _result_url(urls: BriefsUrls, kind: str, row: dict) -> str:
    if kind == "articles":
        return urls.article(row["id"])
    if kind == "quotes":
        return urls.article(row["article_id"]) + f"#q-{row['id']}"
    return urls.person(row["id"])


def _read_landing(conn, kinds: tuple[str, ...]) -> dict:
    return {
        "most_quoted": _all(
            conn,
            "select id, name, role, quote_count, article_count from people "
            "order by quote_count desc, article_count desc, name limit 15",
        ) if "people" in kinds else [],
        "latest_articles": _all(
            conn,
            "select id, display_title as title, outlet, published from articles "
            "order by published is null, published desc, source_file, position limit 15",
        ) if "articles" in kinds else [],
    }


async def landing(db, urls: BriefsUrls, kinds: tuple[str, ...]) -> dict:
    """What the search page shows before anything is typed: who is quoted most, what is new."""
    found = await _read(db, lambda conn: _read_landing(conn, kinds))
    for person in found["most_quoted"]:
        person["url"] = urls.person(person["id"])
    for article in found["latest_articles"]:
        article["url"] = urls.article(article["id"])
    return found


_WEB_URL = re.compile(r"^https?://", re.I)


def _is_web_url(url) -> bool:
    return isinstance(url, str) and bool(_WEB_URL.match(url))
