"""The tables as declared in tables.py: what a build creates, what an upgrade fills in, and
what metadata.yml says of them."""

import sqlite3

import sqlite_utils

from datasette_ukraine_briefs.build import build
from datasette_ukraine_briefs.build.schema import UPGRADES
from datasette_ukraine_briefs.tables import SCHEMA_VERSION, TABLES

from .conftest import query


def test_a_build_creates_every_declared_table_as_declared(seeds_db):
    db = sqlite_utils.Database(seeds_db)
    for table in TABLES:
        built = db[table.name]
        assert list(built.columns_dict) == list(table.columns), table.name
        expected_pk = [table.pk] if isinstance(table.pk, str) else list(table.pk)
        assert built.pks == expected_pk, table.name
        indexed = {tuple(index.columns) for index in built.indexes}
        assert set(table.indexes) <= indexed, table.name
        assert {(fk.column, fk.other_table, fk.other_column) for fk in built.foreign_keys} == set(table.foreign_keys)
        if table.search:
            assert built.detect_fts() == f"{table.name}_fts"
            assert list(db[f"{table.name}_fts"].columns_dict) == list(table.search)
    assert query(seeds_db, "pragma user_version")[0]["user_version"] == SCHEMA_VERSION


def test_upgrades_are_ordered_and_reach_the_schema_version():
    steps = [step for step, _ in UPGRADES]
    assert steps == sorted(set(steps))
    assert steps[-1] == SCHEMA_VERSION


DATED = """---
title: Talks resume in Geneva
outlet: Test Wire
published: 2025-03-01
---
Geneva – Negotiators met again on Monday. "We are making progress," said Anna Berg, the
Swedish foreign minister. Ms Berg said the next round would follow within weeks.
"""


def test_an_archive_from_version_1_gets_its_missing_column_index_and_data(seeds_copy, tmp_path):
    (seeds_copy / "dated.md").write_text(DATED, encoding="utf-8")
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    expected = query(db, "select * from article_people order by 1, 2")
    assert any(row["published"] for row in expected)  # something for the upgrade to fill in
    conn = sqlite3.connect(db)
    with conn:  # as version 1 left it: no published column, no index on it, no quotes index
        conn.execute("drop index idx_article_people_person_id_published_mentions")
        conn.execute("drop index idx_quotes_person_id_published")
        conn.execute("alter table article_people drop column published")
        conn.execute("pragma user_version = 1")
    conn.close()
    build(db, [seeds_copy])  # no file changed
    assert query(db, "select * from article_people order by 1, 2") == expected
    names = {row["name"] for row in query(db, "select name from sqlite_master where type = 'index'")}
    assert {"idx_article_people_person_id_published_mentions", "idx_quotes_person_id_published"} <= names
    assert query(db, "pragma user_version")[0]["user_version"] == SCHEMA_VERSION

