"""The data behind each page, read from a briefs database with bound parameters only.

Each page reads all its rows in one trip to Datasette's database thread (``read_in_thread``), then
shapes them (links, HTML) on the event loop. Each function returns plain dicts and lists:
the JSON twin of a page is exactly what its template is given. Everything heavy (people,
quotes, mentions, counts) was computed at build time; here it is only read.

A page's secondary sections read only the tables in ``visible`` (those the visitor may view,
``site/pages.py`` says which a page requires): a table left out leaves its section empty.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from urllib.parse import urlencode

from datasette.database import QueryInterrupted
from datasette.utils import sqlite_timelimit

from ..tables import TABLES
from ..text.quote_record import SPEAKER_HOW
from ..text.render import body_spans, fill, first_part, opening, render_article, shown_part
from .charts import dot_timeline
from .html import article_fill, render_diff
from .matching import people_matching
from .paging import page_links
from .urls import BriefsUrls


async def read_in_thread(db, read):
    """``read(conn)`` on Datasette's database thread, under its SQL time limit.

    One trip for all of a page's queries: each ``db.execute`` is a trip of its own, and on
    small pages those trips cost more than the SQL.
    """
    limit_ms = db.ds.setting("sql_time_limit_ms")

    def in_thread(conn):
        with sqlite_timelimit(conn, limit_ms):
            return read(conn)

    return await db.execute_fn(in_thread)


def interrupted(error: Exception) -> bool:
    """Whether a query was stopped by Datasette's SQL time limit."""
    return isinstance(error, QueryInterrupted) or (
        isinstance(error, sqlite3.OperationalError) and error.args == ("interrupted",)
    )


def all_rows(conn, sql: str, params=()) -> list[dict]:
    cursor = conn.execute(sql, params)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row)) for row in cursor]


def _first(conn, sql: str, params=()) -> dict | None:
    rows = all_rows(conn, sql, params)
    return rows[0] if rows else None


# Every table of a briefs database: what a page may read when nothing is hidden.
EVERY_TABLE = frozenset(table.name for table in TABLES)


def _has_table(conn, name: str) -> bool:
    return conn.execute("select 1 from sqlite_master where type = 'table' and name = ?", [name]).fetchone() is not None


def _column_or_null(conn, table: str, alias: str, column: str) -> str:
    """``alias.column``, or null under its name for an archive built before the table had it."""
    columns = {row[1] for row in conn.execute(f"pragma table_info([{table}])")}
    return f"{alias}.{column}" if column in columns else f"null as {column}"


def _speaker_how(conn) -> str:
    """The quotes' speaker_how column (schema 6)."""
    return _column_or_null(conn, "quotes", "q", "speaker_how")


def speaker_check(speaker_how: str | None) -> str | None:
    """What a page says beside a quotation whose speaker was inferred (SPEAKER_HOW's check
    values), else None: the speaker is stated beside it, or there is none."""
    found = SPEAKER_HOW.get(speaker_how)
    return f"{found.label}: check" if found and found.check else None


def _read_article(conn, article_id: str, visible: frozenset[str] = EVERY_TABLE) -> dict | None:
    article = _first(conn, "select rowid as _rowid, * from articles where id = ?", [article_id])
    if article is None:
        return None
    found = {
        "article": article,
        "quotes": all_rows(
            conn,
            f"""select q.id, q.text, q.words, q.paragraph, q.start, q.end, q.in_headline, q.verb,
                      q.speaker, q.person_id, q.speaker_descr, {_speaker_how(conn)}
               from quotes q where q.article_id = ? order by q.in_headline desc, q.start""",
            [article_id],
        ),
        "mentions": all_rows(
            conn,
            "select start, end, person_id from mentions where article_id = ? and in_headline = 0 and person_id is not null",
            [article_id],
        ) if "mentions" in visible else [],
        "people": all_rows(
            conn,
            """select p.id, p.name, p.role, ap.mentions,
                      (select count(*) from quotes q where q.article_id = ap.article_id and q.person_id = p.id) as quotes
               from article_people ap join people p on p.id = ap.person_id
               where ap.article_id = ? order by quotes desc, ap.mentions desc, p.name""",
            [article_id],
        ) if "article_people" in visible else [],
        "coverage": all_rows(conn, COVERAGE, {"id": article_id, "story": article["story_id"]})
        if article["story_id"] and {"stories", "article_pairs"} <= visible else None,
        "elsewhere": all_rows(conn, QUOTES_ELSEWHERE, {"id": article_id}) if "quote_pairs" in visible else [],
    }
    rowid = article.pop("_rowid")
    stored = "article_html" in visible and _has_table(conn, "article_html")
    row = conn.execute("select html from article_html where article = ?", [rowid]).fetchone() if stored else None
    if row:
        found["html"], found["shown_chars"] = row[0], len(shown_part(article["body"]))
    else:
        part = first_part(article["body"], RENDER_HERE_LIMIT)
        found["html"], found["shown_chars"] = render_article(part, body_spans(found["quotes"], found["mentions"])), len(part)
    return found


# Rendered on a request, for an archive built before bodies were rendered at build time (or a
# visitor who may not read them): the article's first part only, so the database thread is
# held a fraction of a second at most.
RENDER_HERE_LIMIT = 50_000


async def article_moved_to(db, old_id: str) -> str | None:
    """The id an article has now that had ``old_id`` before (``article_redirects``), or None."""
    if "article_redirects" not in await db.table_names():  # an archive built before redirects
        return None
    row = (await db.execute("select new_id from article_redirects where old_id = ?", [old_id])).first()
    return row[0] if row else None


async def article_page(db, urls: BriefsUrls, article_id: str, visible: frozenset[str] = EVERY_TABLE) -> dict | None:
    found = await read_in_thread(db, lambda conn: _read_article(conn, article_id, visible))
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
        quote["speaker_check"] = speaker_check(quote["speaker_how"])
    for person in people:
        person["url"] = urls.person(person["id"])

    how = article_fill(quotes, found["mentions"], urls.person)
    article["body_html"] = await asyncio.to_thread(fill, found["html"], how)
    # the page shows the first ARTICLE_RENDER_LIMIT characters; the row has the rest
    article["shown_chars"] = found["shown_chars"]
    article["body_chars"] = len(article["body"])
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
    if not story_id or others is None:
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


# Quotations and mentions of a person per publication date, each read from an index alone.
# Each series is (the table it reads, its query).
PERSON_TIMELINE = {
    "Quotations": ("quotes", """select published, count(*) from quotes
                                where person_id = ? and published is not null group by published"""),
    "Mentions": ("article_people", """select published, sum(mentions) from article_people
                                      where person_id = ? and published is not null group by published"""),
}


def _read_person(conn, person_id: str, limit: int, visible: frozenset[str] = EVERY_TABLE) -> dict | None:
    person = _first(conn, "select * from people where id = ?", [person_id])
    if person is None:
        return None
    # Newest first, undated last (NULLs sort last in DESC order): the order of the
    # (person_id, published) indexes, so only the rows shown are read.
    return {
        "person": person,
        "quotes": all_rows(
            conn,
            f"""select q.id, q.text, q.context, q.verb, q.in_headline, q.article_id, {_speaker_how(conn)},
                      a.display_title as article_title, a.outlet, a.published, a.source_file
               from quotes q join articles a on a.id = q.article_id
               where q.person_id = ?
               order by q.published desc, a.source_file, a.position, q.in_headline desc, q.start
               limit ?""",
            [person_id, limit],
        ),
        "articles": all_rows(
            conn,
            """select a.id, a.display_title as title, a.outlet, a.published, a.source_file, ap.mentions
               from article_people ap join articles a on a.id = ap.article_id
               where ap.person_id = ?
               order by ap.published desc, a.source_file, a.position
               limit ?""",
            [person_id, limit],
        ) if "article_people" in visible else [],
        "alongside": all_rows(
            conn,
            """select p.id, p.name, pa.articles from people_alongside pa join people p on p.id = pa.other_id
               where pa.person_id = ? order by pa.articles desc, p.name""",
            [person_id],
        ) if "people_alongside" in visible else [],
        "timeline": {
            label: [tuple(row) for row in conn.execute(sql, [person_id])]
            for label, (table, sql) in PERSON_TIMELINE.items() if table in visible
        },
    }


async def person_page(db, urls: BriefsUrls, person_id: str, limit: int,
                      visible: frozenset[str] = EVERY_TABLE) -> dict | None:
    """A person with their newest ``limit`` quotations and articles (the rest through the tables)."""
    found = await read_in_thread(db, lambda conn: _read_person(conn, person_id, limit, visible))
    if found is None:
        return None
    person, quotes, articles, alongside = found["person"], found["quotes"], found["articles"], found["alongside"]
    person["aliases"] = json.loads(person["aliases"] or "[]")
    for quote in quotes:
        quote["article_url"] = urls.article(quote["article_id"]) + f"#q-{quote['id']}"
        quote["speaker_check"] = speaker_check(quote["speaker_how"])
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


def _read_story(conn, story_id: str, visible: frozenset[str] = EVERY_TABLE) -> dict | None:
    story = _first(conn, "select * from stories where id = ?", [story_id])
    if story is None:
        return None
    return {
        "story": story,
        "articles": all_rows(
            conn,
            STORY_ARTICLES if "article_html" in visible and _has_table(conn, "article_html") else STORY_ARTICLES_BEFORE_HTML,
            {"story": story_id, "limit": OPENING_LIMIT},
        ),
        "pairs": all_rows(
            conn,
            "select article_a, article_b, similarity, kind, shared_quotes from article_pairs where story_id = ?",
            [story_id],
        ) if "article_pairs" in visible else [],
        # QUOTE_PAIRS names the speakers from people
        "quote_pairs": _read_quote_pairs(conn, limit=500, story=story_id)
        if {"quote_pairs", "people"} <= visible else [],
    }


async def story_page(db, urls: BriefsUrls, story_id: str, visible: frozenset[str] = EVERY_TABLE) -> dict | None:
    found = await read_in_thread(db, lambda conn: _read_story(conn, story_id, visible))
    if found is None:
        return None
    story, articles = found["story"], found["articles"]
    story["outlets"] = json.loads(story["outlets"] or "[]")
    for article in articles:
        article["url"] = urls.article(article["id"])
    await asyncio.to_thread(_openings, articles)
    series: dict[str, list] = {}
    for article in articles:
        series.setdefault(article["outlet"] or "outlet unknown", []).append((article["published"], 1))
    quote_pairs = [_quote_pair(urls, row) for row in found["quote_pairs"]]
    return {
        "database": db.name,
        "story": story,
        "articles": articles,
        "pairs": found["pairs"],
        "quote_pairs": quote_pairs,
        "statements": statements(quote_pairs, [article["id"] for article in articles]),
        "timeline_svg": dot_timeline(series, "Which outlets ran this story when"),
        "links": {"page": urls.story(story_id), "json": urls.story(story_id, "json"),
                  "row": urls.row("stories", story_id), "row_json": urls.row("stories", story_id, "json"),
                  "search": urls.search()},
    }


# A story page shows each article's first paragraphs: at most this many, and this many
# characters of their HTML (an article of one enormous paragraph shows its start).
OPENING_PARAGRAPHS = 3
OPENING_LIMIT = 4_000
STORY_ARTICLES = """
    select a.id, a.display_title as title, a.outlet, a.published, a.dateline, a.source_file, a.position,
           a.word_count, substr(h.html, 1, :limit) as html, null as opening
    from articles a left join article_html h on h.article = a.rowid
    where a.story_id = :story order by a.published is null, a.published, a.source_file, a.position"""
# An archive built before bodies were rendered at build time: the opening is rendered here.
STORY_ARTICLES_BEFORE_HTML = """
    select id, display_title as title, outlet, published, dateline, source_file, position, word_count,
           null as html, substr(body, 1, :limit) as opening
    from articles where story_id = :story order by published is null, published, source_file, position"""


def _openings(articles: list[dict]) -> None:
    """Each article's ``opening_html``: from its stored HTML, else from the start of its text."""
    for article in articles:
        stored, source = article.pop("html"), article.pop("opening")
        if stored is None:
            stored = render_article("\n\n".join((source or "").split("\n\n")[:OPENING_PARAGRAPHS]), [])
        article["opening_html"] = opening(stored, OPENING_PARAGRAPHS, OPENING_LIMIT)


QUOTE_PAIRS = """
    select qp.quote_a, qp.quote_b, qp.kind, qp.similarity, {confidence}, qp.diff, qp.removed, qp.added, qp.story_id,
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
      and (:speakers is null or qp.person_id in (select value from json_each(:speakers)))
      and (:outlet is null or aa.outlet = :outlet or ab.outlet = :outlet)
    order by qp.kind = 'same', p.name, qp.similarity, qp.quote_a, qp.quote_b
    limit :limit offset :offset"""


def _read_quote_pairs(conn, limit: int, story=None, kind=None, speakers=None, outlet=None, offset=0) -> list[dict]:
    """Pairs of quotations; ``speakers`` a list of person ids (None: anyone)."""
    params = {"story": story, "kind": kind, "speakers": None if speakers is None else json.dumps(speakers),
              "outlet": outlet, "limit": limit, "offset": offset}
    confidence = _column_or_null(conn, "quote_pairs", "qp", "confidence")  # schema 7
    return all_rows(conn, QUOTE_PAIRS.format(confidence=confidence), params)


# How sure a statement's versions are to be one statement, least sure first: a statement is as
# sure as its least sure link.
CONFIDENCE_ORDER = ("possible", "likely", "certain")


def statements(pairs: list[dict], article_order: list[str]) -> list[dict]:
    """The story's quotation pairs joined into statements: each statement by one speaker, with
    every outlet's version side by side, in the order the articles ran (first report first)."""
    parent: dict[str, str] = {}

    def root(quote: str) -> str:
        while parent.setdefault(quote, quote) != quote:
            quote = parent[quote] = parent[parent[quote]]
        return quote

    versions: dict[str, dict] = {}
    for pair in pairs:
        for side in ("a", "b"):
            versions[pair[f"quote_{side}"]] = {
                "quote_id": pair[f"quote_{side}"], "text": pair[f"text_{side}"], "url": pair[f"url_{side}"],
                "title": pair[f"title_{side}"], "outlet": pair[f"outlet_{side}"],
                "published": pair[f"published_{side}"], "article_id": pair[f"article_{side}"],
            }
        parent[root(pair["quote_a"])] = root(pair["quote_b"])
    place = {article_id: index for index, article_id in enumerate(article_order)}
    grouped: dict[str, dict] = {}
    for pair in pairs:
        statement = grouped.setdefault(root(pair["quote_a"]), {
            "speaker": pair["speaker"], "person_url": pair["person_url"], "confidence": None, "quotes": set()})
        statement["quotes"].update((pair["quote_a"], pair["quote_b"]))
        if pair["confidence"] in CONFIDENCE_ORDER and (
                statement["confidence"] is None
                or CONFIDENCE_ORDER.index(pair["confidence"]) < CONFIDENCE_ORDER.index(statement["confidence"])):
            statement["confidence"] = pair["confidence"]
    found = []
    for statement in grouped.values():
        quotes = sorted(statement.pop("quotes"), key=lambda q: (place.get(versions[q]["article_id"], len(place)), q))
        statement["versions"] = [versions[quote] for quote in quotes]
        outlets = {version["outlet"] for version in statement["versions"]}
        statement["outlets"] = None if None in outlets else len(outlets)  # unknown when one has none
        found.append(statement)
    return sorted(found, key=lambda s: (-len(s["versions"]), s["speaker"] or "", s["versions"][0]["quote_id"]))


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


MATCHING_PEOPLE = f"select id, name from people where id in ({people_matching(':person')}) order by quote_count desc, name"


def _read_altered(conn, speaker: str | None, outlet: str | None, size: int, offset: int) -> dict:
    matched = all_rows(conn, MATCHING_PEOPLE, {"person": speaker}) if speaker else None
    speakers = None if matched is None else [person["id"] for person in matched]
    return {
        "matched": matched,
        # One more than the page holds: whether there is a next page.
        "pairs": _read_quote_pairs(conn, limit=size + 1, kind="altered", speakers=speakers, outlet=outlet, offset=offset),
        "speakers": all_rows(
            conn,
            """select p.id, p.name, count(*) as pairs from quote_pairs qp join people p on p.id = qp.person_id
               where qp.kind = 'altered' group by p.id order by pairs desc, p.name""",
        ),
        "outlets": all_rows(
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


async def altered_page(db, urls: BriefsUrls, speaker: str | None, outlet: str | None, size: int, offset: int,
                       max_offset: int, fmt: str | None = None) -> dict:
    """Every quotation printed in other words, archive-wide, a page of ``size`` from ``offset``,
    optionally for one speaker (an id, a name or part of one: everyone it matches) or outlet.
    ``fmt`` is where the next and previous links lead (``json``: the JSON twin)."""
    found = await read_in_thread(db, lambda conn: _read_altered(conn, speaker, outlet, size, offset))
    pairs, speakers, outlets = found["pairs"], found["speakers"], found["outlets"]
    for item in speakers:
        item["url"] = urls.altered(speaker=item["id"], outlet=outlet)
    for item in outlets:
        item["url"] = urls.altered(speaker=speaker, outlet=item["outlet"])
    for person in found["matched"] or []:
        person["url"] = urls.person(person["id"])
    paging = page_links(lambda at: urls.altered(speaker=speaker, outlet=outlet, fmt=fmt, next=at), offset, size,
                        len(pairs) > size, max_offset)
    return {
        "database": db.name,
        "speaker": speaker,
        "speakers_matched": found["matched"],
        "outlet": outlet,
        "pairs": [_quote_pair(urls, row) for row in pairs[:size]],
        "truncated": len(pairs) > size,
        **paging,
        "speakers": speakers,
        "outlets": outlets,
        "links": {"page": urls.altered(speaker=speaker, outlet=outlet, next=offset or None),
                  "json": urls.altered(speaker=speaker, outlet=outlet, fmt="json", next=offset or None),
                  "all": urls.altered(), "search": urls.search()},
    }


_WEB_URL = re.compile(r"^https?://", re.I)


def _is_web_url(url) -> bool:
    return isinstance(url, str) and bool(_WEB_URL.match(url))
