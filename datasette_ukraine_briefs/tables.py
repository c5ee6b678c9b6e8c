"""The tables of a briefs database, declared once as data.

This is the public shape JSON users and the plugin rely on: every table with its columns (in
order, with the Python types sqlite-utils takes), primary key, foreign keys, indexes, full-text
columns and whether Datasette should hide it. The loader creates what is missing from it
(``build/schema.py``); the site reads it to know a briefs database when it sees one. It imports
nothing from the package, so both rooms can stand on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

# Raised when a build must change tables or indexes an earlier version made (PRAGMA user_version);
# each step from one version to the next is an entry of ``build.schema.UPGRADES``.
SCHEMA_VERSION = 7  # 5: article_html, rendered by the build (filled in for older archives); 6: quotes.speaker_how;
# 7: article_terms and event stories (an older archive's stories are placed again)


@dataclass(frozen=True)
class Table:
    """One table as sqlite-utils creates it, with what the loader and the site need to know."""

    name: str
    columns: Mapping[str, type]
    pk: str | tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    # Each a tuple of columns; created when no index on exactly those columns exists.
    indexes: tuple[tuple[str, ...], ...] = ()
    # Columns of the table's FTS5 index (porter stemming, kept in sync by triggers).
    search: tuple[str, ...] = ()
    not_null: frozenset[str] = field(default_factory=frozenset)
    # Stored in primary-key order without a rowid: for the build's bulk key tables.
    without_rowid: bool = False
    # Only rebuilds and the plugin's pages read it: kept off Datasette's database page.
    hidden: bool = False
    # The table whose rows this one holds in another form: whoever may not view that one may
    # not view this one either (the site copies the owner's ``allow`` across).
    part_of: str | None = None


TABLES: tuple[Table, ...] = (
    Table(
        "articles",
        {
            "id": str, "source_file": str, "position": int, "title": str, "display_title": str,
            "subtitle": str, "dateline": str, "outlet": str, "url": str, "author": str,
            "published": str, "body": str, "word_count": int, "people": str, "story_id": str,
            "images": str, "captions": str, "credits": str, "noise": str, "first_seen": str,
            "tags": str, "front_matter": str, "content_hash": str,
        },
        pk="id",
        # content_hash: the same article found in another file is stored once.
        indexes=(("published",), ("outlet",), ("source_file", "position"), ("story_id",), ("content_hash",)),
        search=("title", "body"),
    ),
    Table(
        "article_sources",
        {"source_file": str, "position": int, "article_id": str},
        pk=("source_file", "position"),
        foreign_keys=(("article_id", "articles", "id"),),
        indexes=(("article_id",),),
        hidden=True,
    ),
    # An article whose id changed (its headline was corrected, or an older version of the
    # loader named it by its text) keeps its old links: the old id leads to the new one.
    Table(
        "article_redirects",
        {"old_id": str, "new_id": str, "since": str},
        pk="old_id",
        indexes=(("new_id",),),
        hidden=True,
    ),
    # The files and folders builds were given, relative to the database's folder when inside
    # it: a build given none rebuilds from these.
    Table("build_inputs", {"path": str, "last_given": str}, pk="path", hidden=True),
    Table(
        "files",
        {"path": str, "sha256": str, "bytes": int, "mtime_ns": int, "status": str, "reason": str,
         "articles": int, "warnings": str},
        pk="path",
    ),
    Table(
        "people",
        {"id": str, "name": str, "honorific": str, "role": str, "aliases": str,
         "article_count": int, "quote_count": int},
        pk="id",
        indexes=(("quote_count",),),
        search=("name", "aliases", "role"),
    ),
    # Written by hand rather than with .m2m(): the column names are part of the API.
    Table(
        "article_people",
        {"article_id": str, "person_id": str, "mentions": int, "published": str},
        pk=("article_id", "person_id"),
        foreign_keys=(("article_id", "articles", "id"), ("person_id", "people", "id")),
        # A person's articles newest first, and their mentions per day, read from the index.
        indexes=(("person_id", "published", "mentions"),),
    ),
    # Each person's ten most frequent companions, counted at build time: for the most named
    # people, counting on each request would read thousands of articles.
    Table(
        "people_alongside",
        {"person_id": str, "other_id": str, "articles": int},
        pk=("person_id", "other_id"),
        foreign_keys=(("person_id", "people", "id"), ("other_id", "people", "id")),
    ),
    # Each article's people before corpus-wide merging, so a rebuild re-merges without
    # re-reading unchanged articles.
    Table(
        "extracted_people",
        {"article_id": str, "name": str, "honorific": str, "role": str, "aliases": str,
         "mentions": int, "person_id": str},
        pk=("article_id", "name"),
        foreign_keys=(("article_id", "articles", "id"),),
        hidden=True,
    ),
    # Where each person is named, so pages can link every mention without re-reading.
    Table(
        "mentions",
        {"article_id": str, "in_headline": int, "start": int, "end": int, "person_id": str,
         "article_name": str},
        pk=("article_id", "in_headline", "start"),
        foreign_keys=(("article_id", "articles", "id"), ("person_id", "people", "id")),
        indexes=(("person_id",),),
        hidden=True,
    ),
    Table(
        "quotes",
        {
            "id": str, "article_id": str, "person_id": str, "speaker": str, "speaker_descr": str,
            "text": str, "words": int, "paragraph": int, "start": int, "end": int,
            "in_headline": int, "verb": str, "context": str, "outlet": str, "published": str,
            "article_speaker": str, "speaker_kind": str, "speaker_how": str,
        },
        pk="id",
        foreign_keys=(("article_id", "articles", "id"), ("person_id", "people", "id")),
        # ("person_id", "published"): a person's quotations newest first.
        indexes=(("article_id",), ("person_id", "published"), ("article_id", "person_id")),
        search=("text", "speaker"),
    ),
    # A sample of each article's word 3-shingle hashes: the index that finds related articles
    # without comparing every pair (see build/stories.py). ``article`` is a rowid. Keyed by
    # article first, so a build appends to it; looked up by hash.
    Table(
        "article_shingles",
        {"article": int, "hash": int},
        pk=("article", "hash"),
        indexes=(("hash",),),
        not_null=frozenset({"article", "hash"}),
        without_rowid=True,
        hidden=True,
    ),
    # Each article's word 3-shingle hashes, packed (see ``build.extraction.fingerprint``): the
    # exact comparison of candidate pairs, without splitting their texts again.
    Table(
        "article_fingerprints",
        {"article": int, "hashes": bytes},
        pk="article",
        not_null=frozenset({"hashes"}),
        hidden=True,
    ),
    # What each article is about: its content words and pairs of words with their counts, packed
    # (``text.events.pack_terms``): independent reports of one event are found from them.
    Table(
        "article_terms",
        {"article": int, "terms": bytes},
        pk="article",
        not_null=frozenset({"terms"}),
        hidden=True,
    ),
    # Each article's body as sanitized HTML with its quotations and mentions marked, rendered at
    # build time so a page only reads it (``text/render.py``). ``article`` is a rowid.
    Table(
        "article_html",
        {"article": int, "html": str},
        pk="article",
        not_null=frozenset({"html"}),
        hidden=True,
        part_of="articles",
    ),
    # Every candidate pair the index found, with its score: a rebuild reuses them.
    Table(
        "story_links",
        {"article_a": str, "article_b": str, "similarity": float, "quote_pairs": int},
        pk=("article_a", "article_b"),
        without_rowid=True,
        hidden=True,
    ),
    Table(
        "stories",
        {"id": str, "title": str, "article_count": int, "outlets": str, "first_published": str,
         "last_published": str, "headlines": str},
        pk="id",
        # ``headlines``: every article's headline, first report first, so a story is found by
        # the words any outlet used for it.
        search=("title", "headlines"),
    ),
    Table(
        "article_pairs",
        {"article_a": str, "article_b": str, "story_id": str, "similarity": float, "kind": str,
         "shared_quotes": int},
        pk=("article_a", "article_b"),
        foreign_keys=(("article_a", "articles", "id"), ("article_b", "articles", "id"),
                      ("story_id", "stories", "id")),
        indexes=(("article_b",), ("story_id",)),
    ),
    Table(
        "quote_pairs",
        # ``confidence``: how sure the pair is one statement (``build.stories``): certain (the
        # same words), likely (as alike as two translations of one remark), possible.
        {"quote_a": str, "quote_b": str, "person_id": str, "story_id": str, "similarity": float,
         "kind": str, "removed": str, "added": str, "diff": str, "confidence": str},
        pk=("quote_a", "quote_b"),
        foreign_keys=(("quote_a", "quotes", "id"), ("quote_b", "quotes", "id"),
                      ("person_id", "people", "id"), ("story_id", "stories", "id")),
        indexes=(("quote_b",), ("person_id",), ("story_id",)),
    ),
)

# Each full-text index and the columns it holds.
SEARCHABLE: dict[str, tuple[str, ...]] = {table.name: table.search for table in TABLES if table.search}
# A database holding these is a briefs database, whatever its name.
BRIEFS_TABLES = ("articles", "people", "quotes", "article_people", "mentions", "stories", "article_pairs", "quote_pairs")
HIDDEN_TABLES = frozenset(table.name for table in TABLES if table.hidden)
# Each table that holds another's rows in another form, and that table.
PART_OF: dict[str, str] = {table.name: table.part_of for table in TABLES if table.part_of}
