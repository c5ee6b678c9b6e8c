"""Stories across outlets: which articles report the same event, who copied whom, and which
quotations were changed on the way.

Copies and rewrites first. No pair of articles is compared unless the index says they may be
related: each article's sampled word-shingle hashes are stored at build time
(``article_shingles``, see ``extraction``), and articles sharing a hash that few others have
become candidates. Candidates are scored exactly (``text.similarity``) and are versions of one
report when they share enough, with more signals below that: shared people, quotations by the
same speaker, what both are about, dates when both are known. Then independent reports of one
event, which share no sentence: ``events`` joins the versions by what they are about. Within a
story, quotations by one speaker are matched across its articles (``quote_pairs``).
"""

from __future__ import annotations

import functools
import itertools
import json
import sys
from array import array
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

import sqlite_utils

from ..text.events import shared_cosine
from ..text.similarity import quote_changes, quote_similarity, tokens
from .events import days_apart, fill_missing_terms, group_events, settled_units, term_vectors
from .extraction import unpack_fingerprint

SAME_STORY = 0.12  # share of 3-shingles: a spun copy keeps 0.18-0.30, a same-topic report ~0.05
SAME_STORY_WITH_PEOPLE = 0.30  # below this, an edge also needs a shared person or quotation
# Below SAME_STORY_WITH_PEOPLE, shared sentences make two articles one story only if they are also
# about the same things (the cosine of the terms they share with the corpus, ``text.events``): unrelated reports told with
# stock sentences and recurring names share a few shingles but not what they are about (on the
# generated corpus, such pairs reach 0.11; copies and rewrites of one report 0.28 and more).
SAME_SUBJECT = 0.20
RELATED = 0.06  # loosely related: worth comparing quotations
QUOTE_MATCH = 0.33  # quote_similarity of the same statement in other words
QUOTE_MATCH_SHORT = 0.6  # for fragments of one or two words ("entirely premature")
# Between independent reports (sharing few sentences), a speaker's different remarks on one event
# share topic words and score 0.33-0.45; two translations of one remark score 0.5 and more. So
# the bar is higher there, and fragments of one or two words ("the first time") are not matched.
INDEPENDENT_MATCH = 0.5
COPY, REWRITE = 0.85, 0.40
DAYS_APART = 7
MAX_PAIRS_STORY = 25  # beyond this many articles, a story lists only the related pairs the index found
# ... and its quotations are compared between articles quoting the same person, each article
# with the latest this many before it that quote that person: an event told by hundreds of
# articles still has each statement linked across outlets, at a bounded cost.
SPEAKER_PARTNERS = 25
# How sure a quotation pair is to be one statement: the same words, or a score at least this
# (two translations of one remark score 0.5-0.6; a spun copy more); below it, possibly.
LIKELY_SAME = 0.6
RARE_CAP = 40  # a sampled shingle in more articles than this says nothing about any pair
ESTIMATE_FLOOR = 0.04  # candidates whose sampled overlap says less are not compared exactly


@dataclass(slots=True)
class Candidate:
    a: int  # article rowids, a < b
    b: int
    similarity: float = 0.0
    quote_pairs: int = 0


# --- pure pieces ---------------------------------------------------------------------------


def clusters(items, edges) -> list[list]:
    """Connected components (union-find) of ``items`` joined by ``edges``."""
    parent = {item: item for item in items}

    def root(item):
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict = {}
    for item in items:
        groups.setdefault(root(item), []).append(item)
    return list(groups.values())


def pair_kind(similarity: float) -> str:
    if similarity >= COPY:
        return "copy"
    if similarity >= REWRITE:
        return "rewrite"
    return "same story"


def match_quotes(quotes_a: list[dict], quotes_b: list[dict], independent: bool = False) -> list[tuple[dict, dict, float]]:
    """Quotations of two articles that are the same statement by the same speaker, best
    first, each quotation used at most once. One or two words must match more closely; in
    ``independent`` reports (not copies of each other), ``INDEPENDENT_MATCH``."""
    by_speaker: dict[str, list[dict]] = {}
    for qb in quotes_b:
        by_speaker.setdefault(qb["person_id"], []).append(qb)
    scored = []
    for qa in quotes_a:
        for qb in by_speaker.get(qa["person_id"], ()):
            short = min(qa["words"], qb["words"]) < 3
            if short and independent:
                continue
            bar = QUOTE_MATCH_SHORT if short else INDEPENDENT_MATCH if independent else QUOTE_MATCH
            score = _quote_similarity(qa["text"], qb["text"], at_least=bar)
            if score >= bar:
                scored.append((score, qa, qb))
    used, matches = set(), []
    for score, qa, qb in sorted(scored, key=lambda s: -s[0]):
        if qa["id"] not in used and qb["id"] not in used:
            used.update((qa["id"], qb["id"]))
            matches.append((qa, qb, score))
    return matches


# Copies repeat the same quotations: score each pair of texts once.
_quote_similarity = functools.lru_cache(maxsize=65536)(quote_similarity)


def is_edge(candidate: Candidate, shared_people: int, days_apart: int | None, alike: float) -> bool:
    """Whether two articles are versions of one report: ``alike`` is the cosine of their terms."""
    if days_apart is not None and days_apart > DAYS_APART and candidate.similarity < REWRITE:
        return False
    if candidate.similarity >= SAME_STORY_WITH_PEOPLE:
        return True
    if alike < SAME_SUBJECT:
        return False
    if candidate.similarity >= SAME_STORY:
        return shared_people > 0 or candidate.quote_pairs > 0
    return candidate.similarity >= RELATED and candidate.quote_pairs >= 2


# --- over the database ---------------------------------------------------------------------


def build_stories(db: sqlite_utils.Database, people_changed: Collection[str] = ()) -> None:
    """Bring stories, article pairs and quotation pairs up to date with the stored articles.

    Incremental: a candidate pair scored by an earlier build (``story_links``) keeps its score,
    and a story whose articles are the same as before keeps its pairs, so a rebuild after a
    few changed files only scores and pairs what is new. Articles whose people changed in
    the merge (``people_changed``, ids) count as new: their quotations may match differently.
    """
    corpus = _Corpus(db, {*people_changed, *fill_missing_terms(db)})
    articles = corpus.articles
    candidates = _scored_candidates(db, corpus)
    about = term_vectors(db)
    copies = [
        (c.a, c.b) for c in candidates
        if c.similarity >= RELATED and is_edge(
            c, corpus.shared_people(c.a, c.b), days_apart(articles[c.a]["published"], articles[c.b]["published"]),
            alike=shared_cosine(about.get(c.a, {}), about.get(c.b, {}))
            if c.similarity < SAME_STORY_WITH_PEOPLE else 1.0,  # only read below it
        )
    ]
    units = clusters(list(articles), [*copies, *settled_units(articles)])
    groups = [
        sorted(group, key=lambda rowid: articles[rowid]["order"]) for group in group_events(articles, units, about)
    ]
    del about

    before: dict[str, set[str]] = {}
    for article in articles.values():
        before.setdefault(article["story"], set()).add(article["id"])
    story_of, kept, changed = {}, set(), []
    for group in groups:
        story_id = "story-" + articles[group[0]]["id"]
        for rowid in group:
            story_of[articles[rowid]["id"]] = story_id
        if before.get(story_id) == {articles[rowid]["id"] for rowid in group} and not any(
            articles[rowid]["new"] for rowid in group
        ):
            kept.add(story_id)  # the same articles as last time: its rows stand
        else:
            changed.append((story_id, group))
    _forget_stories_except(db, kept)
    # Pairs less similar than RELATED are rarely in one story: measured again if they are.
    known = {(c.a, c.b): c.similarity for c in candidates if c.similarity >= RELATED}
    _write_stories(db, corpus, changed, known)
    del known
    links = ((*sorted((articles[c.a]["id"], articles[c.b]["id"])), c.similarity, c.quote_pairs) for c in candidates)
    _write_links(db, links, story_of, kept)


def _scored_candidates(db, corpus: _Corpus) -> list[Candidate]:
    """Every candidate pair with its similarity and matched quotations.

    Articles new since the last build (they have no story yet) are paired through the index
    and scored now; pairs of older articles are the ones the last build scored, as it left them.
    """
    new = [rowid for rowid, article in corpus.articles.items() if article["new"]]
    if len(new) > len(corpus.articles) // 2:  # mostly new: pair everything, a block at a time
        db.execute("delete from story_links")
        pairs = _candidate_pairs(db)
    else:
        pairs = _candidate_pairs_of(db, new)
    candidates = [
        Candidate(min(a, b), max(a, b), similarity, shared)
        for a, b, similarity, shared in db.execute(
            """select a.rowid, b.rowid, l.similarity, l.quote_pairs from story_links l
               join articles a on a.id = l.article_a join articles b on b.id = l.article_b"""
        )
        if not (corpus.articles[a]["new"] or corpus.articles[b]["new"])
    ]
    for a, b in pairs:
        candidate = Candidate(a, b, corpus.similarity(a, b))
        if candidate.similarity >= RELATED:
            candidate.quote_pairs = len(corpus.matches(*corpus.in_order(a, b)))
        candidates.append(candidate)
    return candidates


def _write_stories(db, corpus: _Corpus, changed: list, known: dict, batch: int = 2000) -> None:
    """The rows of each changed story, its article pairs and quotation pairs, written a few
    thousand at a time so that memory does not grow with the corpus."""
    articles = corpus.articles
    rows: dict[str, list] = {"stories": [], "article_pairs": [], "quote_pairs": []}
    for story_id, group in changed:
        rows["stories"].append({"id": story_id, "article_count": len(group)})
        pairs = itertools.combinations(group, 2)  # a is the earlier of each pair
        if len(group) > MAX_PAIRS_STORY:
            pairs = [(a, b) for a, b in pairs if (min(a, b), max(a, b)) in known]
            for a, b in _sharing_a_speaker(corpus, group, exclude=set(pairs)):  # not in known: independent
                rows["quote_pairs"] += [
                    _quote_pair_row(qa, qb, score, story_id) for qa, qb, score in corpus.matches(a, b, independent=True)
                ]
        for a, b in pairs:
            key = (min(a, b), max(a, b))
            similarity = known[key] if key in known else corpus.similarity(*key)
            matches = corpus.matches(a, b, independent=similarity < RELATED)
            rows["article_pairs"].append({
                "article_a": articles[a]["id"], "article_b": articles[b]["id"], "story_id": story_id,
                "similarity": round(similarity, 4), "kind": pair_kind(similarity), "shared_quotes": len(matches),
            })
            rows["quote_pairs"] += [_quote_pair_row(qa, qb, score, story_id) for qa, qb, score in matches]
        if len(rows["article_pairs"]) + len(rows["quote_pairs"]) >= batch:
            _insert(db, rows)
    _insert(db, rows)


def _sharing_a_speaker(corpus: _Corpus, group: list[int], exclude: set) -> Iterator[tuple[int, int]]:
    """Pairs (earlier, later) of the story's articles quoting one person: each article with the
    latest ``SPEAKER_PARTNERS`` before it that quote that person, but the pairs in ``exclude``."""
    earlier: dict[str, list[int]] = {}
    position = {rowid: index for index, rowid in enumerate(group)}
    for rowid in group:
        partners = set()
        for speaker in {quote["person_id"] for quote in corpus.quotes(rowid)}:
            before = earlier.setdefault(speaker, [])
            partners.update(before[-SPEAKER_PARTNERS:])
            before.append(rowid)
        for other in sorted(partners, key=position.__getitem__):
            if (other, rowid) not in exclude:
                yield other, rowid


def _insert(db, rows: dict[str, list]) -> None:
    for table, table_rows in rows.items():
        db[table].insert_all(table_rows)
        table_rows.clear()


class _Corpus:
    """The articles stories are made of, keyed by rowid: read once, with their people and
    quotations; fingerprints are read when needed, and each pair's quotations matched once."""

    def __init__(self, db: sqlite_utils.Database, people_changed: Collection[str] = ()):
        self.db = db
        people_changed = set(people_changed)
        self.articles = {
            row[0]: {"id": row[1], "published": row[2], "story": row[5],
                     "order": (row[2] is None, row[2] or "", row[3], row[4]),
                     "new": row[5] is None or row[1] in people_changed}  # to pair and score now
            for row in db.execute("select rowid, id, published, source_file, position, story_id from articles")
        }
        self._people = _people_by_article(db)
        self._matches: dict[tuple[int, int, bool], list[tuple[int, int, float]]] = {}
        self._fingerprint = functools.lru_cache(maxsize=8192)(self._read_fingerprint)
        self._quotes = functools.lru_cache(maxsize=4096)(self._read_quotes)
        self.quotes = self._quotes  # an article's quotations with a known speaker
        self._current: tuple[int, frozenset[int]] = (-1, frozenset())

    def shared_people(self, a: int, b: int) -> int:
        return len(set(self._people.get(a, ())).intersection(self._people.get(b, ())))

    def in_order(self, a: int, b: int) -> tuple[int, int]:
        """The earlier article first, as in a story."""
        return (a, b) if self.articles[a]["order"] <= self.articles[b]["order"] else (b, a)

    def similarity(self, a: int, b: int) -> float:
        """Shingle containment of two articles. Candidates come ordered by ``a``: its
        shingles are made a set once for all its pairs."""
        if self._current[0] != a:
            self._current = (a, frozenset(self._fingerprint(a)))
        shingles_a, shingles_b = self._current[1], self._fingerprint(b)
        if not shingles_a or not shingles_b:
            return 0.0
        return len(shingles_a.intersection(shingles_b)) / min(len(shingles_a), len(shingles_b))

    def matches(self, a: int, b: int, independent: bool = False) -> list[tuple[dict, dict, float]]:
        """``match_quotes`` of the two articles, ``a`` the earlier. Remembered as positions
        in each article's quotations, which are read again when needed, not kept."""
        quotes_a, quotes_b = self._quotes(a), self._quotes(b)
        key = (a, b, independent)
        if key not in self._matches:
            where_a = {quote["id"]: i for i, quote in enumerate(quotes_a)}
            where_b = {quote["id"]: i for i, quote in enumerate(quotes_b)}
            self._matches[key] = [
                (where_a[qa["id"]], where_b[qb["id"]], score)
                for qa, qb, score in match_quotes(quotes_a, quotes_b, independent)
            ]
        return [(quotes_a[i], quotes_b[j], score) for i, j, score in self._matches[key]]

    def _read_quotes(self, rowid: int) -> list[dict]:
        """An article's quotations with a known speaker, the ones matched across articles."""
        return [dict(zip(("id", "person_id", "text", "words"), row)) for row in self.db.execute(
            "select id, person_id, text, words from quotes where article_id = ? and person_id is not null order by rowid",
            [self.articles[rowid]["id"]],
        )]

    def _read_fingerprint(self, rowid: int) -> array:
        row = self.db.execute("select hashes from article_fingerprints where article = ?", [rowid]).fetchone()
        return unpack_fingerprint(row[0]) if row else array("I")


# Pairs of articles sharing sampled shingles that few articles have, enough of them for the
# sample to suggest a real overlap (shared / the smaller sample).
_SHARED_ENOUGH = """count(*) >= :floor * min((select n from shingle_sizes where article = a.article),
                                           (select n from shingle_sizes where article = b.article))"""


def _candidate_pairs(db, block: int = 2000) -> Iterator[tuple[int, int]]:
    """Every candidate pair (a < b), counted in SQL a block of articles at a time, so memory
    stays flat however many pairs share something."""
    _index_rarity(db)
    last = db.execute("select coalesce(max(article), 0) from shingle_sizes").fetchone()[0]
    for start in range(0, last + 1, block):
        yield from db.execute(
            f"""select a.article, b.article from article_shingles a
                join rare_shingles using (hash)
                join article_shingles b on b.hash = a.hash and b.article > a.article
                where a.article >= :start and a.article < :end
                group by a.article, b.article having {_SHARED_ENOUGH}
                order by a.article, b.article""",
            {"start": start, "end": start + block, "floor": ESTIMATE_FLOOR},
        ).fetchall()


def _candidate_pairs_of(db, new: list[int]) -> list[tuple[int, int]]:
    """The candidate pairs (a < b) with at least one of the ``new`` articles."""
    db.execute("drop table if exists temp.new_articles")
    db.execute("create temp table new_articles (article integer primary key)")
    db.conn.executemany("insert into new_articles values (?)", [(rowid,) for rowid in new])
    _index_rarity(db, only_new=True)
    pairs = db.execute(
        f"""select a.article, b.article from new_articles
            join article_shingles a using (article)
            join rare_shingles using (hash)
            join article_shingles b on b.hash = a.hash and b.article != a.article
            where b.article not in (select article from new_articles) or b.article > a.article
            group by a.article, b.article having {_SHARED_ENOUGH}""",
        {"floor": ESTIMATE_FLOOR},
    )
    return sorted((min(a, b), max(a, b)) for a, b in pairs)


def _index_rarity(db, only_new: bool = False) -> None:
    """Temporary tables: which hashes (of the new articles only, if asked) are rare, 2 to
    RARE_CAP articles having them, and each article's sample size."""
    db.execute("drop table if exists temp.rare_shingles")
    db.execute("create temp table rare_shingles (hash integer primary key)")
    if only_new:
        db.execute(
            """insert into rare_shingles select hash from article_shingles
               where hash in (select hash from article_shingles join new_articles using (article))
               group by hash having count(*) between 2 and ?""",
            [RARE_CAP],
        )
    else:
        db.execute(
            "insert into rare_shingles select hash from article_shingles group by hash having count(*) between 2 and ?",
            [RARE_CAP],
        )
    db.execute("drop table if exists temp.shingle_sizes")
    db.execute("create temp table shingle_sizes (article integer primary key, n integer)")
    db.execute("insert into shingle_sizes select article, count(*) from article_shingles group by article")


def _people_by_article(db) -> dict[int, tuple[str, ...]]:
    """Each article's people, as compact tuples of shared (interned) ids: one per article."""
    rows = db.execute(
        "select a.rowid, ap.person_id from article_people ap join articles a on a.id = ap.article_id order by 1"
    )
    return {
        rowid: tuple(sys.intern(person_id) for _, person_id in group)
        for rowid, group in itertools.groupby(rows, key=lambda row: row[0])
    }


def _quote_pair_row(qa: dict, qb: dict, score: float, story_id: str) -> dict:
    diff = quote_changes(qa["text"], qb["text"])
    same = tokens(qa["text"]) == tokens(qb["text"])
    return {
        "quote_a": qa["id"], "quote_b": qb["id"], "person_id": qa["person_id"], "story_id": story_id,
        "similarity": score, "kind": "same" if same else "altered",
        "confidence": "certain" if same else "likely" if score >= LIKELY_SAME else "possible",
        "removed": json.dumps(diff["removed"], ensure_ascii=False),
        "added": json.dumps(diff["added"], ensure_ascii=False),
        "diff": json.dumps(diff["ops"], ensure_ascii=False),
    }


def _forget_stories_except(db, kept: set[str]) -> None:
    """Delete every story, with its pairs, but those in ``kept``, which stand as they are."""
    db.execute("create temp table if not exists kept_stories (id text primary key)")
    db.execute("delete from kept_stories")
    db.conn.executemany("insert into kept_stories values (?)", [(story,) for story in kept])
    for table, column in (("quote_pairs", "story_id"), ("article_pairs", "story_id"), ("stories", "id")):
        db.execute(f"delete from [{table}] where [{column}] not in (select id from kept_stories)")


def _write_links(db, links: Iterable[tuple], story_of: dict[str, str], kept: set[str]) -> None:
    """Remember the scored pairs for the next build; give each article its story and each
    new story its title, dates and outlets."""
    db.execute("delete from story_links")
    db.conn.executemany("insert into story_links values (?, ?, ?, ?)", links)
    db.execute("create temp table if not exists story_map (article_id text primary key, story_id text)")
    db.execute("delete from story_map")
    db.conn.executemany("insert into story_map values (?, ?)", list(story_of.items()))
    # Only changed rows are written.
    db.execute(
        """update articles set story_id = m.story_id from story_map m
           where m.article_id = articles.id and articles.story_id is not m.story_id"""
    )
    db.execute(
        """update stories set
             title = (select a.display_title from articles a where a.story_id = stories.id
                      order by a.title is null, a.published is null, a.published, a.source_file, a.position limit 1),
             first_published = (select min(published) from articles a where a.story_id = stories.id),
             last_published = (select max(published) from articles a where a.story_id = stories.id),
             outlets = (select json_group_array(outlet) from (
                          select distinct outlet from articles a
                          where a.story_id = stories.id and outlet is not null order by outlet)),
             headlines = (select group_concat(display_title, char(10)) from (
                            select a.display_title from articles a where a.story_id = stories.id
                            order by a.published is null, a.published, a.source_file, a.position))
           where id not in (select id from kept_stories)"""
    )
