"""The tables of a briefs database: the public API that JSON users and the plugin rely on.

Created once, with their indexes and FTS5 indexes (porter stemming, kept in sync by the
triggers sqlite-utils writes), so that incremental rebuilds only insert and delete rows.
"""

from __future__ import annotations

import contextlib
from operator import itemgetter
from typing import Iterator

import sqlite_utils

# A database holding these is a briefs database, whatever its name.
BRIEFS_TABLES = ("articles", "people", "quotes", "article_people", "mentions", "stories", "article_pairs", "quote_pairs")
# Raised when a build must change tables or indexes an earlier version made (PRAGMA user_version).
SCHEMA_VERSION = 2
# Each full-text index and the columns it holds.
SEARCHABLE = {"articles": ("title", "body"), "people": ("name", "aliases", "role"), "quotes": ("text", "speaker")}


def ensure_schema(db: sqlite_utils.Database) -> None:
    tables = set(db.table_names())
    if "articles" not in tables:
        db["articles"].create(
            {
                "id": str, "source_file": str, "position": int, "title": str,
                "display_title": str, "subtitle": str, "dateline": str, "outlet": str,
                "url": str, "author": str, "published": str, "body": str, "word_count": int,
                "people": str, "story_id": str, "images": str, "captions": str, "credits": str,
                "noise": str, "first_seen": str,
            },
            pk="id",
        )
        db["articles"].create_index(["published"])
        db["articles"].create_index(["outlet"])
        db["articles"].create_index(["source_file", "position"])
        db["articles"].create_index(["story_id"])
        db["articles"].enable_fts(SEARCHABLE["articles"], tokenize="porter", create_triggers=True)
    if "article_sources" not in tables:
        db["article_sources"].create(
            {"source_file": str, "position": int, "article_id": str},
            pk=("source_file", "position"),
            foreign_keys=[("article_id", "articles", "id")],
        )
        db["article_sources"].create_index(["article_id"])
    if "files" not in tables:
        db["files"].create(
            {"path": str, "sha256": str, "bytes": int, "mtime_ns": int, "status": str,
             "reason": str, "articles": int, "warnings": str},
            pk="path",
        )
    if "people" not in tables:
        db["people"].create(
            {"id": str, "name": str, "honorific": str, "role": str, "aliases": str,
             "article_count": int, "quote_count": int},
            pk="id",
        )
        db["people"].create_index(["quote_count"])
        db["people"].enable_fts(SEARCHABLE["people"], tokenize="porter", create_triggers=True)
    if "article_people" not in tables:
        # Written by hand rather than with .m2m(): the column names are part of the API.
        db["article_people"].create(
            {"article_id": str, "person_id": str, "mentions": int, "published": str},
            pk=("article_id", "person_id"),
            foreign_keys=[("article_id", "articles", "id"), ("person_id", "people", "id")],
        )
        # A person's articles newest first, and their mentions per day, read from the index.
        db["article_people"].create_index(["person_id", "published", "mentions"])
    elif "published" not in db["article_people"].columns_dict:  # built before lists were read from indexes
        db["article_people"].add_column("published", str)
        db.execute("update article_people set published = (select published from articles where id = article_id)")
        db["article_people"].create_index(["person_id", "published", "mentions"])
    if "people_alongside" not in tables:
        # Each person's ten most frequent companions, counted at build time: for the most
        # named people, counting on each request would read thousands of articles.
        db["people_alongside"].create(
            {"person_id": str, "other_id": str, "articles": int},
            pk=("person_id", "other_id"),
            foreign_keys=[("person_id", "people", "id"), ("other_id", "people", "id")],
        )
    if "extracted_people" not in tables:
        # Each article's people before corpus-wide merging, so a rebuild re-merges
        # without re-reading unchanged articles.
        db["extracted_people"].create(
            {"article_id": str, "name": str, "honorific": str, "role": str, "aliases": str,
             "mentions": int, "person_id": str},
            pk=("article_id", "name"),
            foreign_keys=[("article_id", "articles", "id")],
        )
    elif "person_id" not in db["extracted_people"].columns_dict:  # built before the merge was kept
        db["extracted_people"].add_column("person_id", str)
    if "mentions" not in tables:
        # Where each person is named, so pages can link every mention without re-reading.
        db["mentions"].create(
            {"article_id": str, "in_headline": int, "start": int, "end": int, "person_id": str,
             "article_name": str},
            pk=("article_id", "in_headline", "start"),
            foreign_keys=[("article_id", "articles", "id"), ("person_id", "people", "id")],
        )
        db["mentions"].create_index(["person_id"])
    if "quotes" not in tables:
        db["quotes"].create(
            {
                "id": str, "article_id": str, "person_id": str, "speaker": str,
                "speaker_descr": str, "text": str, "words": int, "paragraph": int,
                "start": int, "end": int, "in_headline": int, "verb": str, "context": str,
                "outlet": str, "published": str, "article_speaker": str, "speaker_kind": str,
            },
            pk="id",
            foreign_keys=[("article_id", "articles", "id"), ("person_id", "people", "id")],
        )
        db["quotes"].create_index(["article_id"])
        db["quotes"].create_index(["person_id", "published"])  # a person's quotations newest first
        db["quotes"].create_index(["article_id", "person_id"])
        db["quotes"].enable_fts(SEARCHABLE["quotes"], tokenize="porter", create_triggers=True)
    else:  # built before lists were read from indexes
        db["quotes"].create_index(["person_id", "published"], if_not_exists=True)
    if "article_shingles" not in tables:
        # A sample of each article's word 3-shingle hashes: the index that finds related
        # articles without comparing every pair (see stories.py). ``article`` is a rowid.
        # Keyed by article first, so a build appends to it; looked up by hash.
        db.execute(
            "create table article_shingles (article integer not null, hash integer not null, "
            "primary key (article, hash)) without rowid"
        )
        db.execute("create index article_shingles_hash on article_shingles (hash)")
    if "article_fingerprints" not in tables:
        # Each article's word 3-shingle hashes, packed (see ``extraction.fingerprint``): the
        # exact comparison of candidate pairs, without splitting their texts again.
        db.execute("create table article_fingerprints (article integer primary key, hashes blob not null)")
    if "story_links" not in tables:
        # Every candidate pair the index found, with its score: a rebuild reuses them.
        db.execute(
            "create table story_links (article_a text, article_b text, similarity real, quote_pairs integer, "
            "primary key (article_a, article_b)) without rowid"
        )
    if "stories" not in tables:
        db["stories"].create(
            {"id": str, "title": str, "article_count": int, "outlets": str,
             "first_published": str, "last_published": str},
            pk="id",
        )
    if "article_pairs" not in tables:
        db["article_pairs"].create(
            {"article_a": str, "article_b": str, "story_id": str, "similarity": float,
             "kind": str, "shared_quotes": int},
            pk=("article_a", "article_b"),
            foreign_keys=[("article_a", "articles", "id"), ("article_b", "articles", "id"),
                          ("story_id", "stories", "id")],
        )
        db["article_pairs"].create_index(["article_b"])
        db["article_pairs"].create_index(["story_id"])
    if "quote_pairs" not in tables:
        db["quote_pairs"].create(
            {"quote_a": str, "quote_b": str, "person_id": str, "story_id": str,
             "similarity": float, "kind": str, "removed": str, "added": str, "diff": str},
            pk=("quote_a", "quote_b"),
            foreign_keys=[("quote_a", "quotes", "id"), ("quote_b", "quotes", "id"),
                          ("person_id", "people", "id"), ("story_id", "stories", "id")],
        )
        db["quote_pairs"].create_index(["quote_b"])
        db["quote_pairs"].create_index(["person_id"])
        db["quote_pairs"].create_index(["story_id"])
    for table, columns in SEARCHABLE.items():
        _reindex_only_on_text_change(db, table, columns)
    db.execute(f"pragma user_version = {SCHEMA_VERSION:d}")


def _reindex_only_on_text_change(db: sqlite_utils.Database, table: str, columns) -> None:
    """sqlite-utils' update trigger re-indexes a row whatever column changed; setting an
    article's story or people would re-index its whole text. Narrow it to the indexed columns."""
    trigger = f"{table}_au"
    sql = db.execute("select sql from sqlite_master where type = 'trigger' and name = ?", [trigger]).fetchone()
    if sql is None or " UPDATE OF " in sql[0]:
        return
    listed = ", ".join(f"[{column}]" for column in columns)
    old = ", ".join(f"old.[{column}]" for column in columns)
    new = ", ".join(f"new.[{column}]" for column in columns)
    db.execute(f"drop trigger [{trigger}]")
    db.execute(
        f"""create trigger [{trigger}] after UPDATE OF {listed} on [{table}] begin
              insert into [{table}_fts] ([{table}_fts], rowid, {listed}) values ('delete', old.rowid, {old});
              insert into [{table}_fts] (rowid, {listed}) values (new.rowid, {new});
            end"""
    )


@contextlib.contextmanager
def indexes_deferred(db: sqlite_utils.Database, defer: bool = True) -> Iterator[None]:
    """Load rows with the secondary indexes dropped, and create each index once afterwards:
    for a first build, sorting once is much faster than inserting row by row."""
    saved = _drop_all(db, "index") if defer else []
    try:
        yield
    finally:
        for sql in saved:
            db.execute(sql)


@contextlib.contextmanager
def full_text_deferred(db: sqlite_utils.Database, defer: bool = True) -> Iterator[None]:
    """Write rows with the full-text triggers dropped, then index each table's text in one
    pass ('rebuild'): a first build writes, and then updates, every row."""
    saved = _drop_all(db, "trigger") if defer else []
    try:
        yield
    finally:
        if saved:
            for table in SEARCHABLE:
                db.execute(f"insert into [{table}_fts] ([{table}_fts]) values ('rebuild')")
        for sql in saved:
            db.execute(sql)


def _drop_all(db: sqlite_utils.Database, kind: str) -> list[str]:
    """Drop every index (or trigger) created by statement; return the statements."""
    found = db.execute(
        "select name, sql from sqlite_master where type = ? and sql is not null and name not like 'sqlite_%'", [kind]
    ).fetchall()
    for name, _ in found:
        db.execute(f"drop {kind} [{name}]")
    return [sql for _, sql in found]


def insert_rows(db: sqlite_utils.Database, table: str, rows: list[dict], replace: bool = False) -> None:
    """Insert rows that all have the same keys, the table's columns, with one executemany.

    For the build's bulk tables: sqlite-utils' ``insert_all`` inspects and converts every
    value, which costs more than the insert itself for rows that are already plain values.
    """
    if not rows:
        return
    columns = list(rows[0])
    sql = "insert {}into [{}] ({}) values ({})".format(
        "or replace " if replace else "", table, ", ".join(f"[{column}]" for column in columns),
        ", ".join("?" * len(columns)),
    )
    values = itemgetter(*columns)
    db.conn.executemany(sql, (values(row) for row in rows) if len(columns) > 1 else ((row[columns[0]],) for row in rows))
