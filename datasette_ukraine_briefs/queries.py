"""The data behind each page, read from a briefs database with bound parameters only.

Each function returns plain dicts and lists: the JSON twin of a page is exactly what its
template is given. Everything heavy (people, quotes, mentions, counts) was computed at build
time; here it is only read.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
from urllib.parse import urlencode

from datasette.utils import escape_fts

from .charts import dot_timeline
from .html import Highlight, render_diff, render_highlighted
from .urls import BriefsUrls

SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"
# Queries that use FTS5 syntax are tried as written; plain words go straight to quoting.
FTS_SYNTAX = re.compile(r'["*^()]|\b(?:AND|OR|NOT|NEAR)\b')
SEARCH_LIMIT = 20


async def article_page(db, urls: BriefsUrls, article_id: str) -> dict | None:
    rows = await db.execute("select * from articles where id = ?", [article_id])
    row = rows.first()
    if row is None:
        return None
    article = dict(row)
    for column in ("images", "captions", "credits", "noise", "people"):
        article[column] = json.loads(article.get(column) or "[]")
    article["images"] = [image for image in article["images"] if _is_web_url(image.get("url"))]

    quotes = [dict(q) for q in await db.execute(
        """select q.id, q.text, q.words, q.paragraph, q.start, q.end, q.in_headline, q.verb,
                  q.speaker, q.person_id, q.speaker_descr
           from quotes q where q.article_id = ? order by q.in_headline desc, q.start""",
        [article_id],
    )]
    mentions = [dict(m) for m in await db.execute(
        "select start, end, person_id from mentions where article_id = ? and in_headline = 0 and person_id is not null",
        [article_id],
    )]
    people = [dict(p) for p in await db.execute(
        """select p.id, p.name, p.role, ap.mentions,
                  (select count(*) from quotes q where q.article_id = ap.article_id and q.person_id = p.id) as quotes
           from article_people ap join people p on p.id = ap.person_id
           where ap.article_id = ? order by quotes desc, ap.mentions desc, p.name""",
        [article_id],
    )]
    for quote in quotes:
        quote["person_url"] = urls.person(quote["person_id"]) if quote["person_id"] else None
    for person in people:
        person["url"] = urls.person(person["id"])
    coverage = await _coverage(db, urls, article)
    elsewhere = await _quotes_elsewhere(db, urls, article_id)
    for quote in quotes:
        quote["elsewhere"] = elsewhere.get(quote["id"], [])

    highlights = [_quote_highlight(q) for q in quotes if not q["in_headline"]]
    highlights += [
        Highlight(m["start"], m["end"], f'<a class="briefs-person" href="{html.escape(urls.person(m["person_id"]))}">', "</a>")
        for m in mentions
    ]
    article["body_html"] = render_highlighted(article["body"], highlights)
    return {
        "database": db.name,
        "article": article,
        "quotes": quotes,
        "people": people,
        "coverage": coverage,
        "links": {
            "page": urls.article(article_id),
            "json": urls.article(article_id, "json"),
            "row": urls.row("articles", article_id),
            "row_json": urls.row("articles", article_id, "json"),
            "search": urls.search(),
        },
    }


async def _coverage(db, urls: BriefsUrls, article: dict) -> dict | None:
    """The other articles of this article's story, with how much each shares with it."""
    if not article.get("story_id"):
        return None
    others = [dict(row) for row in await db.execute(
        """select a.id, a.display_title as title, a.outlet, a.published, a.source_file, p.similarity, p.kind
           from articles a left join article_pairs p
             on (p.article_a = :id and p.article_b = a.id) or (p.article_b = :id and p.article_a = a.id)
           where a.story_id = :story and a.id != :id
           order by a.published is null, a.published, a.source_file, a.position""",
        {"id": article["id"], "story": article["story_id"]},
    )]
    for other in others:
        other["url"] = urls.article(other["id"])
    return {"story_id": article["story_id"], "url": urls.story(article["story_id"]), "articles": others}


async def _quotes_elsewhere(db, urls: BriefsUrls, article_id: str) -> dict[str, list]:
    """For each quotation of the article, where else the same statement appears."""
    found: dict[str, list] = {}
    rows = await db.execute(QUOTES_ELSEWHERE, {"id": article_id})
    for row in rows:
        item = dict(row)
        item["url"] = urls.story(item["story_id"]) + f"#{quote_pair_anchor(item['quote_id'], item['other_id'])}"
        found.setdefault(item.pop("quote_id"), []).append(item)
    return found


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


def _quote_highlight(quote: dict) -> Highlight:
    """A quotation's markup: the quoted words marked, its speaker (or source) after them."""
    altered = any(other["kind"] == "altered" for other in quote.get("elsewhere", []))
    css = "briefs-quote briefs-altered" if altered else "briefs-quote"
    title = ' title="Appears elsewhere in other words"' if altered else ""
    open_html = f'<mark class="{css}" id="q-{html.escape(quote["id"])}"{title}>'
    if quote["person_url"]:
        label = (f'<sup class="briefs-speaker"><a href="{html.escape(quote["person_url"])}">'
                 f'{html.escape(quote["speaker"])}</a></sup>')
    elif quote["speaker_descr"]:
        label = f'<sup class="briefs-speaker briefs-unnamed">{html.escape(quote["speaker_descr"])}</sup>'
    else:
        label = ""
    return Highlight(quote["start"], quote["end"], open_html, "</mark>" + label)


PERSON_LIST_LIMIT = 100  # newest quotations and articles shown; the rest through the API


async def person_page(db, urls: BriefsUrls, person_id: str) -> dict | None:
    row = (await db.execute("select * from people where id = ?", [person_id])).first()
    if row is None:
        return None
    person = dict(row)
    person["aliases"] = json.loads(person["aliases"] or "[]")
    quotes = [dict(q) for q in await db.execute(
        """select q.id, q.text, q.context, q.verb, q.in_headline, q.article_id,
                  a.display_title as article_title, a.outlet, a.published, a.source_file
           from quotes q join articles a on a.id = q.article_id
           where q.person_id = ?
           order by a.published is null, a.published desc, a.source_file, a.position, q.in_headline desc, q.start
           limit ?""",
        [person_id, PERSON_LIST_LIMIT],
    )]
    articles = [dict(a) for a in await db.execute(
        """select a.id, a.display_title as title, a.outlet, a.published, a.source_file, ap.mentions
           from article_people ap join articles a on a.id = ap.article_id
           where ap.person_id = ?
           order by a.published is null, a.published desc, a.source_file, a.position
           limit ?""",
        [person_id, PERSON_LIST_LIMIT],
    )]
    alongside = [dict(p) for p in await db.execute(
        """select p.id, p.name, count(*) as articles
           from article_people mine join article_people other
             on other.article_id = mine.article_id and other.person_id != mine.person_id
           join people p on p.id = other.person_id
           where mine.person_id = ?
           group by p.id order by articles desc, p.name limit 10""",
        [person_id],
    )]
    for quote in quotes:
        quote["article_url"] = urls.article(quote["article_id"]) + f"#q-{quote['id']}"
    for article in articles:
        article["url"] = urls.article(article["id"])
    for other in alongside:
        other["url"] = urls.person(other["id"])
    return {
        "database": db.name,
        "person": person,
        "timeline_svg": await _person_timeline(db, person_id, person["name"]),
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


async def _person_timeline(db, person_id: str, name: str) -> str | None:
    """Quotations and mentions of a person per publication date, as an SVG (None undated)."""
    series = {}
    for label, sql in (
        ("Quotations", """select a.published, count(*) from quotes q join articles a on a.id = q.article_id
                          where q.person_id = ? and a.published is not null group by a.published"""),
        ("Mentions", """select a.published, sum(ap.mentions) from article_people ap join articles a on a.id = ap.article_id
                        where ap.person_id = ? and a.published is not null group by a.published"""),
    ):
        series[label] = [(row[0], row[1]) for row in await db.execute(sql, [person_id])]
    return dot_timeline(series, f"{name}: quotations and mentions over time")


async def story_page(db, urls: BriefsUrls, story_id: str) -> dict | None:
    row = (await db.execute("select * from stories where id = ?", [story_id])).first()
    if row is None:
        return None
    story = dict(row)
    story["outlets"] = json.loads(story["outlets"] or "[]")
    articles = [dict(a) for a in await db.execute(
        """select id, display_title as title, outlet, published, dateline, source_file, position, word_count, body
           from articles where story_id = ? order by published is null, published, source_file, position""",
        [story_id],
    )]
    for article in articles:
        article["url"] = urls.article(article["id"])
        article["opening_html"] = render_highlighted(_opening(article.pop("body")), [])
    pairs = [dict(p) for p in await db.execute(
        "select article_a, article_b, similarity, kind, shared_quotes from article_pairs where story_id = ?", [story_id]
    )]
    altered = await _quote_pairs(db, urls, limit=500, story=story_id)
    series: dict[str, list] = {}
    for article in articles:
        series.setdefault(article["outlet"] or "outlet unknown", []).append((article["published"], 1))
    return {
        "database": db.name,
        "story": story,
        "articles": articles,
        "pairs": pairs,
        "quote_pairs": altered,
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


async def _quote_pairs(db, urls: BriefsUrls, limit: int, story=None, kind=None, speaker=None, outlet=None) -> list[dict]:
    """Pairs of versions of one statement, with both sides' articles and the words changed."""
    params = {"story": story, "kind": kind, "speaker": speaker, "outlet": outlet, "limit": limit}
    rows = [dict(r) for r in await db.execute(QUOTE_PAIRS, params)]
    for row in rows:
        ops = json.loads(row.pop("diff"))
        row["removed"], row["added"] = json.loads(row["removed"]), json.loads(row["added"])
        row["diff_a_html"], row["diff_b_html"] = render_diff(ops, "a"), render_diff(ops, "b")
        row["anchor"] = quote_pair_anchor(row["quote_a"], row["quote_b"])
        row["url_a"] = urls.article(row["article_a"]) + f"#q-{row['quote_a']}"
        row["url_b"] = urls.article(row["article_b"]) + f"#q-{row['quote_b']}"
        row["story_url"] = urls.story(row["story_id"]) if row["story_id"] else None
        row["person_url"] = urls.person(row["person_id"]) if row["person_id"] else None
    return rows


ALTERED_LIMIT = 200


async def altered_page(db, urls: BriefsUrls, speaker: str | None, outlet: str | None) -> dict:
    """Every quotation printed in other words, archive-wide, optionally for one speaker or outlet."""
    pairs = await _quote_pairs(db, urls, limit=ALTERED_LIMIT, kind="altered", speaker=speaker, outlet=outlet)
    speakers = [dict(r) for r in await db.execute(
        """select p.id, p.name, count(*) as pairs from quote_pairs qp join people p on p.id = qp.person_id
           where qp.kind = 'altered' group by p.id order by pairs desc, p.name"""
    )]
    outlets = [dict(r) for r in await db.execute(
        """select outlet, count(*) as pairs from (
             select aa.outlet from quote_pairs qp join quotes q on q.id = qp.quote_a join articles aa on aa.id = q.article_id
             where qp.kind = 'altered'
             union all
             select ab.outlet from quote_pairs qp join quotes q on q.id = qp.quote_b join articles ab on ab.id = q.article_id
             where qp.kind = 'altered')
           where outlet is not null group by outlet order by pairs desc, outlet"""
    )]
    for item in speakers:
        item["url"] = urls.altered(speaker=item["id"], outlet=outlet)
    for item in outlets:
        item["url"] = urls.altered(speaker=speaker, outlet=item["outlet"])
    return {
        "database": db.name,
        "speaker": speaker,
        "outlet": outlet,
        "pairs": pairs,
        "truncated": len(pairs) == ALTERED_LIMIT,
        "speakers": speakers,
        "outlets": outlets,
        "links": {"page": urls.altered(speaker=speaker, outlet=outlet),
                  "json": urls.altered(speaker=speaker, outlet=outlet, fmt="json"),
                  "all": urls.altered(), "search": urls.search()},
    }


SEARCHES = {
    "articles": """
        select a.id, a.display_title as label, a.outlet, a.published,
               snippet(articles_fts, -1, :open, :close, '…', 24) as snippet
        from articles_fts join articles a on a.rowid = articles_fts.rowid
        where articles_fts match :query order by bm25(articles_fts) limit :limit""",
    "quotes": """
        select q.id, q.article_id, q.speaker as label, q.person_id, q.speaker_descr,
               snippet(quotes_fts, 0, :open, :close, '…', 32) as snippet
        from quotes_fts join quotes q on q.rowid = quotes_fts.rowid
        where quotes_fts match :query order by bm25(quotes_fts) limit :limit""",
    "people": """
        select p.id, p.name as label, p.role, p.quote_count,
               snippet(people_fts, -1, :open, :close, '…', 16) as snippet
        from people_fts join people p on p.rowid = people_fts.rowid
        where people_fts match :query order by bm25(people_fts) limit :limit""",
}
COUNTS = {kind: f"select count(*) from {kind}_fts where {kind}_fts match :query" for kind in SEARCHES}


async def search_page(db, urls: BriefsUrls, q: str, kinds: tuple[str, ...]) -> dict:
    """Articles, quotations and people matching ``q``, each kind ranked by bm25.

    A query using FTS5 syntax (phrases, OR, prefix*) is tried as written, and on a syntax error
    as plain words, each quoted; plain words are quoted at once (a hyphen is not a column
    filter). Anything typed gives results or none, never an error.
    """
    q = (q or "").strip()
    results = {kind: {"count": 0, "rows": []} for kind in kinds}
    used_query = None
    if q:
        candidates = [q, escape_fts(q)] if FTS_SYNTAX.search(q) else [escape_fts(q)]
        for candidate in candidates:
            try:
                results = {kind: await _search_kind(db, kind, candidate) for kind in kinds}
                used_query = candidate
                break
            except sqlite3.OperationalError:
                continue
    for kind, found in results.items():
        for row in found["rows"]:
            row["snippet_html"] = _snippet_html(row.pop("snippet") or "")
            row["url"] = _result_url(urls, kind, row)
    return {
        "database": db.name,
        "q": q,
        "fts_query": used_query,
        "results": results,
        "links": {"page": urls.search(q), "json": urls.search(q, "json")},
    }


async def _search_kind(db, kind: str, query: str) -> dict:
    params = {"query": query, "open": SNIPPET_OPEN, "close": SNIPPET_CLOSE, "limit": SEARCH_LIMIT}
    rows = [dict(r) for r in await db.execute(SEARCHES[kind], params)]
    count = (await db.execute(COUNTS[kind], {"query": query})).first()[0]
    return {"count": count, "rows": rows}


def _snippet_html(snippet: str) -> str:
    """Escape the snippet first, then mark the matches, so the text can never inject markup."""
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(SNIPPET_OPEN, "<mark>").replace(SNIPPET_CLOSE, "</mark>")


def _result_url(urls: BriefsUrls, kind: str, row: dict) -> str:
    if kind == "articles":
        return urls.article(row["id"])
    if kind == "quotes":
        return urls.article(row["article_id"]) + f"#q-{row['id']}"
    return urls.person(row["id"])


async def landing(db, urls: BriefsUrls, kinds: tuple[str, ...]) -> dict:
    """What the search page shows before anything is typed: who is quoted most, what is new."""
    people = [dict(p) for p in await db.execute(
        "select id, name, role, quote_count, article_count from people order by quote_count desc, article_count desc, name limit 15"
    )] if "people" in kinds else []
    articles = [dict(a) for a in await db.execute(
        "select id, display_title as title, outlet, published from articles order by published is null, published desc, source_file, position limit 15"
    )] if "articles" in kinds else []
    for person in people:
        person["url"] = urls.person(person["id"])
    for article in articles:
        article["url"] = urls.article(article["id"])
    return {"most_quoted": people, "latest_articles": articles}


_WEB_URL = re.compile(r"^https?://", re.I)


def _is_web_url(url) -> bool:
    return isinstance(url, str) and bool(_WEB_URL.match(url))
