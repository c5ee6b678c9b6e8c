"""The loader end to end: tables, re-runs, changes, duplicates, failures and bad input."""

import os
import sqlite3
import sys
from pathlib import Path

import pytest
import sqlite_utils

from datasette_ukraine_briefs.build import BuildError, build, storage
from datasette_ukraine_briefs.build.files import collect_sources
from datasette_ukraine_briefs.build.progress import Progress
from datasette_ukraine_briefs.tables import SCHEMA_VERSION

from .conftest import query

EXPECTED_TITLES = {
    ("seeds/000_5bd0019754035440.txt", 1): None,
    ("seeds/001_ef8b4a5962583c26.txt", 1): "Starmer: Ukraine Peace Deal Needs ‘US Backstop’ to Deter Russia",
    ("seeds/001_ef8b4a5962583c26.txt", 2): "Starmer Urges Stronger European Defense, Calls for ‘US Backstop’ in Ukraine Peace Deal",
    ("seeds/001_ef8b4a5962583c26.txt", 3): "Starmer Suggests UK Troops for Ukraine Border Force, Experts Warn of Massive Military Commitment",
    ("seeds/001_ef8b4a5962583c26.txt", 4): None,
    ("seeds/002_06cfdf14edef262b.txt", 1): None,
    ("seeds/003_a1fb376bff78f1cb.txt", 1): "Military Chiefs Gather in UK to Discuss Ukraine Protections",
    ("seeds/003_a1fb376bff78f1cb.txt", 2): "‘This Is Not the Time to Go It Alone,’ NATO’s Rutte Tells US and Europe",
    ("seeds/004_db0cacbfd5b95141.txt", 1): "UK and France Sign Pact to Deploy Troops to Ukraine Post-Peace Deal",
}



def snapshot(path, first_seen=True):
    articles = query(path, "select * from articles order by id")
    if not first_seen:  # when the build first saw each article: the one column that differs between builds
        for article in articles:
            article.pop("first_seen")
    return articles, query(path, "select * from article_sources order by 1, 2")


def test_seeds_build_nine_articles(seeds_db):
    articles = query(seeds_db, "select * from articles order by source_file, position")
    assert {(a["source_file"], a["position"]): a["title"] for a in articles} == EXPECTED_TITLES
    for article in articles:
        assert article["display_title"]
        assert article["word_count"] > 100
        assert "TT\n" not in article["body"] and "JULIAN SIMMONDS" not in article["body"]
    datelines = [a["dateline"] for a in articles if a["source_file"].startswith("seeds/001")]
    assert datelines == ["London", "Paris", "London", "Paris"]


def test_full_text_index_uses_porter_and_finds_stems(seeds_db):
    sql = query(seeds_db, "select sql from sqlite_master where name = 'articles_fts'")[0]["sql"]
    assert "porter" in sql
    hits = query(
        seeds_db,
        "select articles.source_file from articles_fts join articles on articles.rowid = articles_fts.rowid "
        "where articles_fts match ? order by 1",
        ["backstops"],
    )
    assert [h["source_file"] for h in hits] == ["seeds/001_ef8b4a5962583c26.txt"] * 2


def test_rerun_changes_nothing(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    before, mtime = snapshot(db), db.stat().st_mtime_ns
    report = build(db, [seeds_copy])
    assert not report.changed and report.articles_total == 9
    assert snapshot(db) == before
    assert db.stat().st_mtime_ns == mtime  # not even rewritten


def test_a_database_from_an_earlier_version_is_brought_up_to_date(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    expected = query(db, "select * from people_alongside order by 1, 2")
    conn = sqlite3.connect(db)
    with conn:  # as an earlier version left it: no companions counted, no schema version
        conn.execute("drop table people_alongside")
        conn.execute("pragma user_version = 0")
    conn.close()
    build(db, [seeds_copy])  # no file changed, yet the tables are brought up to date
    assert query(db, "select * from people_alongside order by 1, 2") == expected
    assert query(db, "pragma user_version")[0]["user_version"] == SCHEMA_VERSION


def test_changed_file_replaces_only_its_own_articles(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    before = {a["id"]: a for a in query(db, "select * from articles")}
    path = seeds_copy / "004_db0cacbfd5b95141.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("landmark move", "historic move"), encoding="utf-8")
    report = build(db, [seeds_copy])
    assert (report.articles_added, report.articles_changed, report.articles_removed, report.files_unchanged) == (0, 1, 0, 4)
    after = {a["id"]: a for a in query(db, "select * from articles")}
    assert after.keys() == before.keys()  # the corrected article keeps its id
    changed = [a for a in after.values() if a != before[a["id"]]]
    assert [a["source_file"] for a in changed] == ["seeds/004_db0cacbfd5b95141.txt"]
    assert "historic move" in changed[0]["body"]
    assert changed[0]["first_seen"] == before[changed[0]["id"]]["first_seen"]
    fts = query(db, "select rowid from articles_fts where articles_fts match 'landmark'")
    assert fts == []  # the index followed the change


def full_text_state(path):
    """Each full-text index checked against its table, and what it finds for a few words."""
    found = {}
    for table, word in (("articles", "backstop"), ("quotes", "troops"), ("people", "starmer")):
        query(path, f"insert into {table}_fts ({table}_fts) values ('integrity-check')")  # raises if out of step
        found[table] = query(
            path,
            f"select t.id from {table}_fts join {table} t on t.rowid = {table}_fts.rowid "
            f"where {table}_fts match ? order by t.id",
            [word],
        )
    return found


def test_full_text_indexes_match_their_tables_after_first_and_later_builds(seeds_copy, tmp_path):
    first, later = tmp_path / "first.db", tmp_path / "later.db"
    build(first, [seeds_copy])  # the first build indexes once, after loading
    indexes = query(first, "select name from sqlite_master where type in ('index', 'trigger') order by 1")
    assert {"articles_ai", "articles_au", "quotes_au", "people_ad", "idx_quotes_person_id_published"} <= {i["name"] for i in indexes}
    moved = tmp_path / "moved"
    moved.mkdir()
    (seeds_copy / "004_db0cacbfd5b95141.txt").rename(moved / "004_db0cacbfd5b95141.txt")
    build(later, [seeds_copy])
    (moved / "004_db0cacbfd5b95141.txt").rename(seeds_copy / "004_db0cacbfd5b95141.txt")
    build(later, [seeds_copy])  # a later build keeps the indexes up to date row by row
    assert query(later, "select name from sqlite_master where type in ('index', 'trigger') order by 1") == indexes
    assert full_text_state(later)["people"] and full_text_state(later) == full_text_state(first)


def test_setting_an_articles_story_does_not_reindex_its_text(seeds_db):
    sql = query(seeds_db, "select sql from sqlite_master where name = 'articles_au'")[0]["sql"]
    assert "UPDATE OF [title], [body]" in sql


def test_a_file_no_longer_given_keeps_its_articles_until_pruned(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    before = snapshot(db)
    (seeds_copy / "001_ef8b4a5962583c26.txt").unlink()
    report = build(db, [seeds_copy])
    assert report.files_missing == ["seeds/001_ef8b4a5962583c26.txt"] and report.files_removed == 0
    assert "missing seeds/001_ef8b4a5962583c26.txt" in report.summary() and "--prune" in report.summary()
    assert snapshot(db) == before


def test_pruning_removes_the_articles_of_files_no_longer_given(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    (seeds_copy / "001_ef8b4a5962583c26.txt").unlink()
    report = build(db, [seeds_copy], prune=True)
    assert (report.files_removed, report.articles_removed, report.articles_total) == (1, 4, 5)
    assert query(db, "select count(*) n from article_sources where source_file like 'seeds/001%'")[0]["n"] == 0
    assert query(db, "select count(*) n from articles_fts where articles_fts match 'backstop'")[0]["n"] == 0
    for table in ("quotes", "mentions", "extracted_people"):  # what was extracted from them goes too
        assert query(db, f"select count(*) n from {table} where article_id not in (select id from articles)")[0]["n"] == 0
    for table in ("article_shingles", "article_fingerprints"):
        assert query(db, f"select count(*) n from {table} where article not in (select rowid from articles)")[0]["n"] == 0
    assert query(db, "select count(*) n from article_fingerprints")[0]["n"] == 5


def test_an_article_in_two_files_is_stored_once_with_both_sources(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    original = seeds_copy / "002_06cfdf14edef262b.txt"
    (seeds_copy / "copies").mkdir()
    (seeds_copy / "copies" / "same-story.txt").write_bytes(original.read_bytes())
    report = build(db, [seeds_copy])
    assert report.articles_total == 9
    [article] = query(db, "select * from articles where body like 'U.K. Prime Minister Keir Starmer%'")
    assert article["source_file"] == "seeds/002_06cfdf14edef262b.txt"
    sources = query(db, "select source_file from article_sources where article_id = ? order by 1", [article["id"]])
    assert [s["source_file"] for s in sources] == ["seeds/002_06cfdf14edef262b.txt", "seeds/copies/same-story.txt"]
    # removing the first source keeps the article, now credited to the copy
    original.unlink()
    build(db, [seeds_copy], prune=True)
    [article] = query(db, "select * from articles where id = ?", [article["id"]])
    assert article["source_file"] == "seeds/copies/same-story.txt"


def test_ids_are_stable_across_fresh_builds(seeds_db, tmp_path):
    fresh = tmp_path / "again.db"
    build(fresh, [Path(__file__).parent.parent / "seeds"])
    assert snapshot(fresh, first_seen=False) == snapshot(seeds_db, first_seen=False)


def test_front_matter_wins_over_guesses(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ntitle: The Real Headline\noutlet: Example News\nurl: https://example.com/a\n"
        "published: 2025-02-17\nauthor: Jane Doe\n---\n"
        "A Guessed Headline Here\n\nKyiv – The talks began on Monday, officials said.\n",
        encoding="utf-8",
    )
    build(tmp_path / "b.db", [folder])
    [article] = query(tmp_path / "b.db", "select * from articles")
    assert (article["title"], article["outlet"], article["url"], article["published"], article["author"]) == (
        "The Real Headline", "Example News", "https://example.com/a", "2025-02-17", "Jane Doe",
    )
    assert article["dateline"] == "Kyiv"
    assert article["body"] == "The talks began on Monday, officials said."


def test_interrupted_build_leaves_the_previous_database(seeds_copy, tmp_path, monkeypatch):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    before = snapshot(db)
    (seeds_copy / "new.txt").write_text("New Story Headline Here\n\nParis – Something happened today, they said.\n")
    (seeds_copy / "000_5bd0019754035440.txt").unlink()
    for changed in sorted(seeds_copy.glob("00[234]*")):
        changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")

    class Interrupt(Progress):
        done = 0

        def advance(self, done=1):
            self.done += done
            if self.done == 3:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build(db, [seeds_copy], progress=Interrupt())
    assert snapshot(db) == before
    assert sqlite_utils.Database(db)["articles"].count == 9
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".briefs.db.building")) == []


def test_stale_temporary_file_from_a_killed_build_is_cleared(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    (tmp_path / ".briefs.db.building-99999").write_bytes(b"half a database")
    build(db, [seeds_copy])
    assert not (tmp_path / ".briefs.db.building-99999").exists()


def test_bad_files_are_skipped_and_the_rest_loads(seeds_copy, tmp_path):
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (seeds_copy / "bom.txt").write_bytes(b"\xef\xbb\xbfBom Story Headline Here\r\n\r\nThe body of the story, it said.\r\n")
    (seeds_copy / "latin1.txt").write_bytes(b"Latin Story Headline Here\n\nIt cost \xa35bn, officials said on Monday.\n")
    report = build(tmp_path / "briefs.db", [seeds_copy])
    assert dict(report.skipped) == {"seeds/empty.txt": "empty file", "seeds/image.md": "binary file (not text)"}
    warned = {(name, warning.split(":")[0]) for name, warning in report.warnings}
    assert ("seeds/bom.txt", "removed a UTF-8 byte-order mark") in warned
    assert ("seeds/bom.txt", "converted Windows line endings") in warned
    assert ("seeds/latin1.txt", "not valid UTF-8") in warned
    assert report.articles_total == 11
    [latin] = query(tmp_path / "briefs.db", "select body from articles where title = 'Latin Story Headline Here'")
    assert latin["body"] == "It cost £5bn, officials said on Monday."
    files = {f["path"]: f for f in query(tmp_path / "briefs.db", "select * from files")}
    assert files["seeds/empty.txt"]["status"] == "skipped" and files["seeds/latin1.txt"]["status"] == "loaded"
    # an unchanged skipped file is still reported on the next run
    (seeds_copy / "another.txt").write_text("Another Story Headline\n\nText of the other story goes here.\n")
    assert dict(build(tmp_path / "briefs.db", [seeds_copy]).skipped)["seeds/empty.txt"] == "empty file"


def test_an_unreadable_file_is_skipped_with_its_reason(seeds_copy, tmp_path, monkeypatch):
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "003_a1fb376bff78f1cb.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = build(tmp_path / "briefs.db", [seeds_copy])
    assert report.skipped == [("seeds/003_a1fb376bff78f1cb.txt", "cannot read: Permission denied")]
    assert report.articles_total == 7


def test_nothing_loadable_is_an_error_and_keeps_the_old_database(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("   \n")
    with pytest.raises(BuildError, match="nothing could be loaded"):
        build(db, [empty], prune=True)
    assert sqlite_utils.Database(db)["articles"].count == 9


def test_missing_input_is_an_error_naming_it(tmp_path):
    with pytest.raises(BuildError, match="no such file or folder: .*nowhere"):
        build(tmp_path / "x.db", [tmp_path / "nowhere"])


def test_a_second_build_of_the_same_target_is_refused(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    with storage.build_lock(db):
        with pytest.raises(BuildError, match="another build of .* is running"):
            build(db, [seeds_copy])


def test_sources_are_named_relative_to_the_folder_given(tmp_path):
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "a" / "deep" / "x.md").write_text("x")
    (tmp_path / "a" / ".hidden.txt").write_text("x")
    (tmp_path / "a" / "notes.pdf").write_text("x")
    (tmp_path / "single.txt").write_text("x")
    names = [s.name for s in collect_sources([tmp_path / "a", tmp_path / "single.txt"])]
    assert names == ["a/deep/x.md", "single.txt"]


def test_an_extractor_failure_is_a_warning_naming_the_file_and_the_article_still_loads(tmp_path, monkeypatch):
    from datasette_ukraine_briefs.build import files

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fine.md").write_text('Talks Resume\n\n"We are close," said Anna Berg, the minister.\n', encoding="utf-8")
    (folder / "odd.md").write_text('Talks Stall\n\n"We are far apart," said Jan Holm. BOOM\n', encoding="utf-8")
    real = files.extract

    def failing(row):
        if "BOOM" in row["body"]:
            raise ValueError("extractor bug")
        return real(row)

    monkeypatch.setattr(files, "extract", failing)
    report = build(tmp_path / "briefs.db", [folder])
    assert report.warnings == [("in/odd.md", "article 1: people and quotations not extracted (ValueError: extractor bug)")]
    db = tmp_path / "briefs.db"
    assert {row["source_file"] for row in query(db, "select source_file from articles")} == {"in/fine.md", "in/odd.md"}
    assert [row["speaker"] for row in query(db, "select speaker from quotes")] == ["Anna Berg"]
    [odd] = query(db, "select warnings from files where path = 'in/odd.md'")
    assert "extractor bug" in odd["warnings"]


STORY = "Talks Resume In Geneva\n\nNegotiators met for six hours on Tuesday, officials said.\n"


def test_a_link_out_of_the_folder_is_skipped_with_its_reason(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fine.txt").write_text(STORY)
    secret = tmp_path / "secret.txt"
    secret.write_text("Private Notes Here\n\nThe password is on the fridge, officials said.\n")
    (folder / "notes.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / "fine.txt")  # a link within the folder is read
    report = build(tmp_path / "b.db", [folder])
    assert dict(report.skipped) == {"in/notes.txt": "a link to a file outside the folder given: not read"}
    assert query(tmp_path / "b.db", "select count(*) n from articles where body like '%password%'")[0]["n"] == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_skipped_not_waited_for(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fine.txt").write_text(STORY)
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(tmp_path / "given.txt")
    report = build(tmp_path / "b.db", [folder, tmp_path / "given.txt"])
    assert dict(report.skipped) == {
        "in/pipe.txt": "not a regular file (a FIFO, a device or a socket): not read",
        "given.txt": "not a regular file (a FIFO, a device or a socket): not read",
    }
    assert report.articles_total == 1


@pytest.mark.skipif(sys.platform != "linux", reason="file names as bytes: Linux")
def test_a_file_name_that_is_not_utf8_is_loaded_under_a_safe_name(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fine.txt").write_text(STORY)
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "w") as handle:
        handle.write(STORY.replace("Geneva", "Vienna"))
    report = build(tmp_path / "b.db", [folder])
    assert report.articles_total == 2
    assert ("in/caf\\xe9.txt", "the file name is not valid UTF-8: stored as in/caf\\xe9.txt") in report.warnings
    assert build(tmp_path / "b.db", [folder]).files_unchanged == 2  # and found again by that name


def test_one_stray_byte_costs_one_line_not_the_files_quotation_marks(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = STORY + "\u201cWe are close,\u201d said Anna Berg, the mediator.\n" + "It cost \u00a35bn, she said.\n"
    (folder / "a.txt").write_bytes(text.encode("utf-8").replace("\u00a3".encode("utf-8"), b"\xa3"))
    report = build(tmp_path / "b.db", [folder])
    assert report.warnings == [("in/a.txt", "not valid UTF-8: decoded as cp1252 on line 5")]
    [article] = query(tmp_path / "b.db", "select body from articles")
    assert "\u201cWe are close,\u201d" in article["body"] and "\u00a35bn" in article["body"]
    assert [q["speaker"] for q in query(tmp_path / "b.db", "select speaker from quotes")] == ["Anna Berg"]
