"""People, quotations and the similarity index at build time.

Each new article is read once by ``text.people``, ``text.quotes`` and ``text.similarity``
(``extract``, pure, run in worker processes); what they find is stored per article
(``store``). People are then merged across the whole corpus from those stored rows,
so a rebuild re-merges without re-reading unchanged articles, and the tables users query
(``people``, ``article_people``, speakers on ``quotes``, the ``articles.people`` facet column)
are refreshed with set-based SQL.
"""

from __future__ import annotations

import json
import re
import sys
from array import array
from dataclasses import dataclass, field
from itertools import groupby

import sqlite_utils

from ..text.merge import merge_people
from ..text.people import Person, extract_people, find_mentions
from ..text.quotes import Quote, extract_quotes
from ..text.render import body_spans, render_article
from ..text.similarity import sample, shingle_hashes
from .events import terms_of
from .schema import insert_rows

SHINGLE_SAMPLE = 8  # keep one word 3-shingle hash in eight: the index stories.py reads

SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘A-Z0-9])|\n\n")
# A quotation's context is its sentence, looked for this far either side of it at most; with no
# sentence end that near, it stops there, at a word: never the whole text up to the quotation.
CONTEXT_CHARS = 600
# The contexts of one text together hold at most this many times the text (or CONTEXT_FLOOR
# characters when the text is short): past that, as in a text packed with short quotations,
# each context is narrowed, so that no file gives a database many times its size.
CONTEXT_BUDGET_TIMES = 3
CONTEXT_FLOOR = 20_000
MIN_CONTEXT_CHARS = 40  # the narrowest a context gets either side of its quotation


@dataclass
class Extracted:
    """What one article yields, as rows ready for the tables (built in worker processes)."""

    people: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    shingles: set[int] = field(default_factory=set)
    fingerprint: bytes = b""
    terms: bytes = b""  # what the article is about, packed (text/events.py): events are found from it
    html: str = ""  # the body rendered, with its quotations and mentions marked (text/render.py)


def extract(article: dict) -> Extracted:
    """Read one article row: its people, quotations, mentions and shingle sample.

    Raises what the extractor raises: the caller reports it against the file, and keeps the
    article with ``extract_shingles`` alone.
    """
    title, body = article["title"], article["body"]
    people = extract_people(title, body)
    quotes = extract_quotes(title, body, people)
    found = _shingles(article)
    found.people = [
        {
            "article_id": article["id"], "name": person.name, "honorific": person.honorific,
            "role": person.role, "aliases": json.dumps(person.aliases, ensure_ascii=False),
            "mentions": person.mentions,
        }
        for person in people
    ]
    contexts = quote_contexts(title or "", body, quotes)
    found.quotes = [quote_row(article, quote, context) for quote, context in zip(quotes, contexts)]
    found.mentions = [
        {"article_id": article["id"], "in_headline": int(in_title), "start": start, "end": end,
         "person_id": None, "article_name": name}
        for start, end, in_title, name in find_mentions(title, body)
    ]
    found.html = render_article(body, body_spans(found.quotes, found.mentions))
    return found


def extract_shingles(article: dict) -> Extracted:
    """An article's similarity index and its body rendered, nothing marked: all that is kept
    of an article whose people and quotations failed."""
    found = _shingles(article)
    found.html = render_article(article["body"], [])
    return found


def _shingles(article: dict) -> Extracted:
    hashes = shingle_hashes(article["body"])
    return Extracted(shingles=sample(hashes, SHINGLE_SAMPLE), fingerprint=fingerprint(hashes),
                     terms=terms_of(article["title"], article["body"]))


def fingerprint(hashes: set[int]) -> bytes:
    """Shingle hashes packed for storage (``article_fingerprints``); ``stories`` unpacks them."""
    return array("I", sorted(hashes)).tobytes()


def unpack_fingerprint(packed: bytes) -> array:
    return array("I", packed)


def store(db: sqlite_utils.Database, articles: list[tuple[int, Extracted]]) -> None:
    """Write what was extracted from a batch of articles, each by its ``articles`` rowid."""
    found = [extracted for _, extracted in articles]
    insert_rows(db, "extracted_people", [row for extracted in found for row in extracted.people], replace=True)
    insert_rows(db, "quotes", [row for extracted in found for row in extracted.quotes], replace=True)
    insert_rows(db, "mentions", [row for extracted in found for row in extracted.mentions], replace=True)
    db.conn.executemany(
        "insert or ignore into article_shingles (article, hash) values (?, ?)",
        ((rowid, h) for rowid, extracted in articles for h in sorted(extracted.shingles)),
    )
    db.conn.executemany(
        "insert or replace into article_fingerprints (article, hashes) values (?, ?)",
        ((rowid, extracted.fingerprint) for rowid, extracted in articles),
    )
    db.conn.executemany(
        "insert or replace into article_terms (article, terms) values (?, ?)",
        ((rowid, extracted.terms) for rowid, extracted in articles),
    )
    db.conn.executemany(
        "insert or replace into article_html (article, html) values (?, ?)",
        ((rowid, extracted.html) for rowid, extracted in articles),
    )


def fill_missing_fingerprints(db: sqlite_utils.Database) -> None:
    """Fingerprint the articles that have none (stored by a version that kept no fingerprints)."""
    missing = db.execute(
        "select rowid, body from articles where rowid not in (select article from article_fingerprints)"
    ).fetchall()
    db.conn.executemany(
        "insert into article_fingerprints (article, hashes) values (?, ?)",
        ((rowid, fingerprint(shingle_hashes(body))) for rowid, body in missing),
    )


def quote_row(article: dict, quote: Quote, context: str) -> dict:
    """A ``quotes`` row; the article's outlet and date are copied on so quotes facet by them."""
    return {
        "id": f"{article['id']}-{'h' if quote.in_headline else 'b'}{quote.start}",
        "article_id": article["id"],
        "person_id": None,
        "speaker": None,
        "speaker_descr": quote.speaker_descr,
        "text": quote.text,
        "words": quote.words,
        "paragraph": quote.paragraph,
        "start": quote.start,
        "end": quote.end,
        "in_headline": int(quote.in_headline),
        "verb": quote.verb,
        "context": context,
        "outlet": article["outlet"],
        "published": article["published"],
        "article_speaker": quote.speaker,
        "speaker_kind": getattr(quote, "speaker_kind", None),
        "speaker_how": quote.speaker_how,
    }


def quote_contexts(title: str, body: str, quotes: list[Quote]) -> list[str]:
    """Each quotation's context (``sentence_around``), in the headline or the body, within the
    budget of its text: at most CONTEXT_BUDGET_TIMES its length in all."""
    contexts = [""] * len(quotes)
    for in_headline, text in ((True, title), (False, body)):
        mine = [n for n, quote in enumerate(quotes) if quote.in_headline == in_headline]
        if not mine:
            continue
        budget = max(CONTEXT_FLOOR, CONTEXT_BUDGET_TIMES * len(text))
        limit = CONTEXT_CHARS
        found = [sentence_around(text, quotes[n].start, quotes[n].end, limit) for n in mine]
        if sum(map(len, found)) > budget:
            spoken = sum(quotes[n].end - quotes[n].start for n in mine)
            limit = max(MIN_CONTEXT_CHARS, (budget - spoken) // (2 * len(mine)))
            found = [sentence_around(text, quotes[n].start, quotes[n].end, limit) for n in mine]
        for n, context in zip(mine, found):
            contexts[n] = context
    return contexts


def sentence_around(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> str:
    """The sentence (or sentences) holding text[start:end], for reading a quotation in place:
    ``limit`` characters either side at most, cut at a word when no sentence ends nearer."""
    begin = window_start = max(0, start - limit)
    for match in SENTENCE_END.finditer(text, window_start, start):
        begin = match.end()
    if begin == window_start > 0:  # no sentence end in the window: start at its first word
        space = text.find(" ", begin, start)
        begin = space + 1 if space >= 0 else begin
    after = SENTENCE_END.search(text, max(start, end - 1), end + limit)
    if after:
        finish = after.end()
    else:
        finish = min(len(text), end + limit)
        space = text.rfind(" ", end, finish) if finish < len(text) else -1
        finish = space if space >= 0 else finish
    return text[begin:finish].strip()


def forget_articles(db: sqlite_utils.Database, ids: list[str] | None = None) -> None:
    """Delete articles and what was extracted from them, each table through its index on the
    article rather than by scanning it: the given ids, or (by default) the articles no file
    holds any more."""
    db.execute("drop table if exists temp.gone")
    if ids is None:
        db.execute(
            "create temp table gone as select rowid as article, id from articles "
            "where id not in (select article_id from article_sources)"
        )
    else:
        db.execute(
            "create temp table gone as select rowid as article, id from articles "
            "where id in (select value from json_each(?))",
            [json.dumps(ids)],
        )
    for table in ("extracted_people", "quotes", "mentions", "article_people"):
        db.execute(f"delete from [{table}] where article_id in (select id from gone)")
    for table in ("article_shingles", "article_fingerprints", "article_terms", "article_html"):
        db.execute(f"delete from [{table}] where article in (select article from gone)")
    db.execute("delete from articles where rowid in (select article from gone)")


def rekey(row: dict, extracted: Extracted, article_id: str) -> None:
    """Give an article row, and what was extracted from it, another id."""
    old, row["id"] = row["id"], article_id
    for found in (*extracted.people, *extracted.mentions, *extracted.quotes):
        found["article_id"] = article_id
    for quote in extracted.quotes:
        quote["id"] = article_id + quote["id"][len(old):]


def merge_corpus(db: sqlite_utils.Database) -> set[str]:
    """Merge every article's people into canonical people and refresh what depends on them;
    return the ids of the articles whose people changed.

    The merge itself is corpus-wide, but its result is written only where it changed: each
    article's name -> person map is kept (``extracted_people.person_id``), and only articles
    whose map changed, or that name a person whose canonical name changed, are rewritten.
    """
    rows = db.execute(
        "select article_id, name, honorific, role, aliases, mentions from extracted_people order by article_id, rowid"
    )
    article_ids, per_article = [], []
    for article_id, group in groupby(rows, key=lambda row: row[0]):
        article_ids.append(article_id)
        # the same names recur in thousands of articles: one string each, not one per article
        per_article.append([Person(sys.intern(name), honorific, role, [sys.intern(a) for a in json.loads(aliases)], mentions)
                            for _, name, honorific, role, aliases, mentions in group])
    canonical, maps = merge_people(per_article)
    del per_article

    db.execute("drop table if exists temp.person_map")
    db.execute("create temp table person_map (article_id text, name text, person_id text, primary key (article_id, name))")
    db.conn.executemany(
        "insert into person_map values (?, ?, ?)",
        ((article_id, name, person_id) for article_id, mapping in zip(article_ids, maps) for name, person_id in mapping.items()),
    )
    del article_ids, maps
    db.execute("drop table if exists temp.old_people")
    db.execute("create temp table old_people as select id, name, article_count from people")
    db.execute("delete from people")
    db["people"].insert_all(
        {"id": p.id, "name": p.name, "honorific": p.honorific, "role": p.role,
         "aliases": json.dumps(p.aliases, ensure_ascii=False), "article_count": 0, "quote_count": 0}
        for p in canonical
    )
    _find_touched_articles(db)
    _refresh_touched_articles(db)
    db.execute(
        """update people set
             article_count = (select count(*) from article_people where person_id = people.id),
             quote_count = (select count(*) from quotes where person_id = people.id)"""
    )
    _refresh_alongside(db)
    return {row[0] for row in db.execute("select article_id from touched")}


def _find_touched_articles(db: sqlite_utils.Database) -> None:
    """Temporary table ``touched``: the articles whose people changed with this merge."""
    db.execute("drop table if exists temp.touched")
    db.execute("create temp table touched (article_id text primary key)")
    db.execute(
        """insert or ignore into touched select e.article_id from extracted_people e
           join person_map m on m.article_id = e.article_id and m.name = e.name
           where e.person_id is not m.person_id"""
    )
    db.execute(
        """update extracted_people set person_id = m.person_id from person_map m
           where m.article_id = extracted_people.article_id and m.name = extracted_people.name
             and extracted_people.person_id is not m.person_id"""
    )
    # A person renamed (or gone) changes the speaker of their quotations and the articles' lists.
    db.execute(
        """insert or ignore into touched select ap.article_id from article_people ap
           where ap.person_id in (select o.id from old_people o left join people p on p.id = o.id
                                  where p.name is not o.name)"""
    )


def _refresh_touched_articles(db: sqlite_utils.Database) -> None:
    """Rewrite the people of the touched articles: their article_people rows, the speakers of
    their quotations, their mentions and their ``people`` list."""
    # The people of the touched articles, before and after: their companions may change.
    db.execute("drop table if exists temp.touched_people")
    db.execute("create temp table touched_people (person_id text primary key)")
    named = "select person_id from article_people where article_id in (select article_id from touched)"
    db.execute(f"insert or ignore into touched_people {named}")
    db.execute("delete from article_people where article_id in (select article_id from touched)")
    db.execute(
        """insert into article_people (article_id, person_id, mentions, published)
           select e.article_id, e.person_id, sum(e.mentions), a.published from touched
           join extracted_people e using (article_id) join articles a on a.id = e.article_id
           group by e.article_id, e.person_id"""
    )
    db.execute(f"insert or ignore into touched_people {named}")
    # A person speaker takes the canonical name; an organisation keeps its own. Only changed
    # rows are written: a write re-indexes the quote.
    db.execute(
        """with resolved as (
             select q.id, m.person_id,
                    coalesce(p.name, case when q.speaker_kind = 'organisation' then q.article_speaker end) as name
             from touched join quotes q using (article_id)
             left join person_map m on m.article_id = q.article_id and m.name = q.article_speaker
             left join people p on p.id = m.person_id)
           update quotes set person_id = resolved.person_id, speaker = resolved.name from resolved
           where resolved.id = quotes.id
             and (quotes.person_id is not resolved.person_id or quotes.speaker is not resolved.name)"""
    )
    db.execute(
        """with resolved as (
             select mentions.rowid as row, m.person_id from touched join mentions using (article_id)
             join person_map m on m.article_id = mentions.article_id and m.name = mentions.article_name)
           update mentions set person_id = resolved.person_id from resolved
           where resolved.row = mentions.rowid and mentions.person_id is not resolved.person_id"""
    )
    db.execute(
        """with listed as (
             select t.article_id as id, (select json_group_array(name) from (
                 select p.name from article_people ap join people p on p.id = ap.person_id
                 where ap.article_id = t.article_id order by ap.mentions desc, p.name)) as people
             from touched t)
           update articles set people = listed.people from listed
           where listed.id = articles.id and articles.people is not listed.people"""
    )


def _refresh_alongside(db: sqlite_utils.Database) -> None:
    """Recount the ten people most often named with each person whose articles changed: with
    someone in a touched article, whose article count changed, or who is gone."""
    db.execute(
        """insert or ignore into touched_people
           select o.id from old_people o left join people p on p.id = o.id
           where p.article_count is not o.article_count"""
    )
    if db.execute("select 1 from people_alongside limit 1").fetchone() is None:  # never counted yet
        db.execute("insert or ignore into touched_people select id from people")
    db.execute("delete from people_alongside where person_id in (select person_id from touched_people)")
    db.execute(
        """insert into people_alongside (person_id, other_id, articles)
           select person_id, other_id, articles from (
             select together.*, row_number() over (
                      partition by together.person_id order by together.articles desc, p.name) as place
             from (select mine.person_id, other.person_id as other_id, count(*) as articles
                   from touched_people t join article_people mine on mine.person_id = t.person_id
                   join article_people other on other.article_id = mine.article_id and other.person_id != mine.person_id
                   group by mine.person_id, other.person_id) together
             join people p on p.id = together.other_id)
           where place <= 10"""
    )
