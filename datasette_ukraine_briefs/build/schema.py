"""Creating and upgrading the tables ``tables.py`` declares.

``ensure_schema`` fills in what a database lacks (tables, columns, indexes, full-text indexes),
as dogsheep-beta does, so a first build and a rebuild take the same path; then it runs, in
order, each upgrade newer than the database's ``PRAGMA user_version``. Rows are loaded into the
tables with ``insert_rows``, with indexes and full-text triggers deferred on a first build.
"""

from __future__ import annotations

import contextlib
from operator import itemgetter
from typing import Callable, Iterator

import sqlite_utils

from ..tables import SCHEMA_VERSION, SEARCHABLE, TABLES, Table
from ..text.people import extract_people
from ..text.quotes import extract_quotes
from ..text.render import body_spans, render_article

__all__ = ["ensure_schema", "full_text_deferred", "indexes_deferred", "insert_rows"]

SQL_TYPES = {str: "TEXT", int: "INTEGER", float: "FLOAT", bytes: "BLOB"}


def _published_from_articles(db: sqlite_utils.Database) -> None:
    """Version 2: a person's articles are listed from an index of article_people, which
    needs each row's publication date."""
    db.execute("update article_people set published = (select published from articles where id = article_id)")


def _json_for_front_matter(db: sqlite_utils.Database) -> None:
    """Version 3: articles carry their front matter's tags and other keys; rows loaded before
    hold empty JSON, never null, until their files are read again."""
    db.execute("update articles set tags = '[]' where tags is null")
    db.execute("update articles set front_matter = '{}' where front_matter is null")


def _content_hash_from_id(db: sqlite_utils.Database) -> None:
    """Version 4: ids no longer come from an article's text, which ``content_hash`` now holds.
    An article stored before was named by that hash: it keeps its id (and its links) until
    its text changes."""
    db.execute("update articles set content_hash = id where content_hash is null")


def _html_for_articles(db: sqlite_utils.Database) -> None:
    """Version 5: article bodies are rendered at build time (``article_html``); an archive
    built before has its articles rendered once, with the quotation and mention spans it
    stored."""
    missing = db.execute(
        "select rowid, id from articles where rowid not in (select article from article_html)"
    ).fetchall()
    for rowid, article_id in missing:  # one body at a time: an archive may hold gigabytes
        [body] = db.execute("select body from articles where rowid = ?", [rowid]).fetchone()
        quotes = db.query("select start, end, in_headline from quotes where article_id = ?", [article_id])
        mentions = db.query("select start, end, in_headline from mentions where article_id = ?", [article_id])
        db.execute("insert into article_html (article, html) values (?, ?)",
                   [rowid, render_article(body, body_spans(list(quotes), list(mentions)))])


def _stories_placed_again(db: sqlite_utils.Database) -> None:
    """Nothing to write here: the version says the archive's stories predate event stories, so
    that the next build runs even with no file changed. Its stories pass gives the articles
    their terms (``events.fill_missing_terms``) and places them again."""


def _speaker_how_for_quotes(db: sqlite_utils.Database) -> None:
    """Version 6: each quotation records how its speaker was found (``quotes.speaker_how``).
    An archive built before has its articles read again by the extractor, one at a time (as
    long as extracting them took in the build that stored them); a stored quotation takes the
    way only where the extractor finds it again at the same place with the same speaker. The
    others (an archive built by an extractor that decided otherwise) keep null: not recorded."""
    with_quotes = db.execute(
        "select rowid, id from articles where id in (select article_id from quotes where speaker_how is null "
        "and article_speaker is not null)"
    ).fetchall()
    for rowid, article_id in with_quotes:  # one body at a time: an archive may hold gigabytes
        title, body = db.execute("select title, body from articles where rowid = ?", [rowid]).fetchone()
        found = {(int(q.in_headline), q.start, q.end, q.speaker): q.speaker_how
                 for q in extract_quotes(title, body, extract_people(title, body))}
        stored = db.execute(
            "select id, in_headline, start, [end], article_speaker from quotes where article_id = ?", [article_id]
        ).fetchall()
        ways = ((found.get(tuple(place)), quote_id) for quote_id, *place in stored)
        db.conn.executemany("update quotes set speaker_how = ? where id = ?", [way for way in ways if way[0]])


# Each step from the version before it, in order: run on a database whose user_version is
# lower than the step's. Tables, columns and indexes that are only missing need no step.
UPGRADES: tuple[tuple[int, Callable[[sqlite_utils.Database], None]], ...] = (
    (2, _published_from_articles),
    (3, _json_for_front_matter),
    (4, _content_hash_from_id),
    (5, _html_for_articles),
    (6, _speaker_how_for_quotes),
    (7, _stories_placed_again),
)


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create whatever the declared tables lack, then bring the data up to ``SCHEMA_VERSION``."""
    existing = set(db.table_names())
    version = db.execute("pragma user_version").fetchone()[0]
    for table in TABLES:
        if table.name in existing:
            _add_missing_columns(db, table)
        else:
            _create(db, table)
        _add_missing_indexes(db, table)
    if "articles" in existing:  # a new database has nothing to upgrade
        for step, upgrade in UPGRADES:
            if version < step:
                upgrade(db)
    db.execute(f"pragma user_version = {SCHEMA_VERSION:d}")


def _create(db: sqlite_utils.Database, table: Table) -> None:
    if table.without_rowid:  # sqlite-utils cannot create these; the names are the declaration's
        columns = ", ".join(
            f"[{name}] {SQL_TYPES[kind]}{' NOT NULL' if name in table.not_null else ''}"
            for name, kind in table.columns.items()
        )
        key = ", ".join(f"[{name}]" for name in table.pk)
        db.execute(f"create table [{table.name}] ({columns}, primary key ({key})) without rowid")
    else:
        db[table.name].create(
            dict(table.columns), pk=table.pk, foreign_keys=list(table.foreign_keys), not_null=set(table.not_null)
        )
    if table.search:
        db[table.name].enable_fts(table.search, tokenize="porter", create_triggers=True)
        _reindex_only_on_text_change(db, table.name, table.search)


def _add_missing_columns(db: sqlite_utils.Database, table: Table) -> None:
    present = db[table.name].columns_dict
    for name, kind in table.columns.items():
        if name not in present:
            db[table.name].add_column(name, kind)
    if table.search and not db[f"{table.name}_fts"].exists():  # a table made searchable since
        db[table.name].enable_fts(table.search, tokenize="porter", create_triggers=True)
        db[table.name].populate_fts(table.search)
    if table.search:  # an archive from before the triggers were narrowed
        _reindex_only_on_text_change(db, table.name, table.search)


def _add_missing_indexes(db: sqlite_utils.Database, table: Table) -> None:
    present = {tuple(index.columns) for index in db[table.name].indexes}
    for columns in table.indexes:
        if columns not in present:
            db[table.name].create_index(columns, find_unique_name=True)


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
