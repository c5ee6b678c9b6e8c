"""The daily routine: ids that survive corrections, nothing lost by a slip (a folder left out,
two files of one name), dry runs, the inputs a database remembers, file modes, progress."""

import io
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys

import pytest
import sqlite_utils

from datasette_ukraine_briefs.build import BuildError, build
from datasette_ukraine_briefs.build.progress import Progress, TerminalProgress
from datasette_ukraine_briefs.tables import SCHEMA_VERSION

from .conftest import ROOT, datasette_for, query

SEED = "004_db0cacbfd5b95141.txt"


def cli(*args, cwd):
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "build_db.py"), *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def article_of(db, name):
    [row] = query(db, "select * from articles where source_file = ?", [name])
    return row


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- stable ids ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_corrected_word_keeps_the_id_the_page_and_the_feed_entry(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    before = article_of(db, f"seeds/{SEED}")
    ds = datasette_for(db)
    await ds.invoke_startup()
    entries = re.findall(r"<id>([^<]*)</id>", (await ds.client.get("/briefs/newest_articles.atom")).text)
    [entry] = [entry for entry in entries if entry.endswith(before["id"])]

    edit(seeds_copy / SEED, "landmark move", "historic move")
    report = build(db, [seeds_copy])
    after = article_of(db, f"seeds/{SEED}")
    assert (report.articles_changed, report.articles_added, report.articles_removed) == (1, 0, 0)
    assert after["id"] == before["id"] and after["first_seen"] == before["first_seen"]
    assert "historic move" in after["body"]
    ds = datasette_for(db)
    await ds.invoke_startup()
    page = await ds.client.get(f"/-/briefs/briefs/article/{after['id']}")
    assert page.status_code == 200 and "historic move" in page.text
    assert entry in re.findall(r"<id>([^<]*)</id>", (await ds.client.get("/briefs/newest_articles.atom")).text)


def test_an_article_keeps_its_id_when_another_is_put_before_it(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    name = "seeds/003_a1fb376bff78f1cb.txt"
    ids = [row["id"] for row in query(db, "select id from articles where source_file = ? order by position", [name])]
    path = seeds_copy / name.split("/")[1]
    path.write_text('Ceasefire Talks Open In Geneva\n\nGeneva – Envoys met on Monday after weeks of delay, officials '
                    'said. "We are ready," said Anna Berg, the mediator.\n\n' + path.read_text(encoding="utf-8"),
                    encoding="utf-8")
    report = build(db, [seeds_copy])
    assert (report.articles_added, report.articles_changed, report.articles_removed) == (1, 0, 0)
    now = [row["id"] for row in query(db, "select id from articles where source_file = ? order by position", [name])]
    assert now[1:] == ids  # both moved down a place, with their ids


@pytest.mark.asyncio
async def test_the_page_of_an_old_id_leads_to_the_article_now(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    old = article_of(db, f"seeds/{SEED}")["id"]
    edit(seeds_copy / SEED, "UK and France Sign Pact", "UK and France Sign Accord")
    build(db, [seeds_copy])
    new = article_of(db, f"seeds/{SEED}")["id"]
    ds = datasette_for(db)
    await ds.invoke_startup()
    for suffix in ("", ".json"):
        response = await ds.client.get(f"/-/briefs/briefs/article/{old}{suffix}")
        assert response.status_code == 302
        assert response.headers["location"] == f"/-/briefs/briefs/article/{new}{suffix}"
    assert (await ds.client.get("/-/briefs/briefs/article/0000000000000000")).status_code == 404


def test_an_id_that_changes_leaves_a_redirect(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    old = article_of(db, f"seeds/{SEED}")
    edit(seeds_copy / SEED, "UK and France Sign Pact", "UK and France Sign Accord")  # the headline
    report = build(db, [seeds_copy])
    new = article_of(db, f"seeds/{SEED}")
    assert new["id"] != old["id"] and report.redirects == 1
    assert new["first_seen"] == old["first_seen"]
    assert query(db, "select old_id, new_id from article_redirects") == [{"old_id": old["id"], "new_id": new["id"]}]
    edit(seeds_copy / SEED, "UK and France Sign Accord", "UK and France Sign Treaty")
    build(db, [seeds_copy])
    newest = article_of(db, f"seeds/{SEED}")["id"]
    redirects = {row["old_id"]: row["new_id"] for row in query(db, "select * from article_redirects")}
    assert redirects == {old["id"]: newest, new["id"]: newest}  # no chains to follow
    edit(seeds_copy / SEED, "UK and France Sign Treaty", "UK and France Sign Pact")  # back as it was
    build(db, [seeds_copy])
    assert article_of(db, f"seeds/{SEED}")["id"] == old["id"]
    assert old["id"] not in {row["old_id"] for row in query(db, "select * from article_redirects")}


def test_a_web_address_names_the_article_wherever_its_file_is(tmp_path):
    text = ("---\ntitle: Talks Resume\nurl: https://example.com/talks/\n---\n"
            "Negotiators met for six hours on Tuesday and agreed to meet again in April, officials said.\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "talks.md").write_text(text, encoding="utf-8")
    build(tmp_path / "one.db", [tmp_path / "a"])
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "saved-again.md").write_text(text.replace("/talks/", "/talks#top"), encoding="utf-8")
    build(tmp_path / "two.db", [tmp_path / "b"])
    assert query(tmp_path / "one.db", "select id from articles") == query(tmp_path / "two.db", "select id from articles")


def test_two_different_articles_at_one_address_are_both_kept(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, words in (("first.md", "six hours on Tuesday"), ("second.md", "two days in March")):
        (folder / name).write_text("---\ntitle: Talks Resume\nurl: https://example.com/talks\n---\n"
                                   f"Negotiators met for {words} and agreed to meet again, officials said.\n")
    report = build(tmp_path / "b.db", [folder])
    assert report.articles_total == 2
    assert len({row["id"] for row in query(tmp_path / "b.db", "select id from articles")}) == 2


def test_an_edited_article_that_another_file_also_holds_stays_as_each_file_says(seeds_copy, tmp_path):
    (seeds_copy / "copies").mkdir()
    shutil.copyfile(seeds_copy / SEED, seeds_copy / "copies" / SEED)
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    assert query(db, "select count(*) n from articles")[0]["n"] == 9  # stored once
    edit(seeds_copy / SEED, "landmark move", "historic move")
    build(db, [seeds_copy])
    bodies = {row["source_file"]: row["body"] for row in query(
        db, "select s.source_file, a.body from article_sources s join articles a on a.id = s.article_id "
            "where s.source_file like '%' || ?", [SEED])}
    assert "historic move" in bodies[f"seeds/{SEED}"]
    assert "landmark move" in bodies[f"seeds/copies/{SEED}"]


def test_a_database_from_before_stable_ids_keeps_its_ids_and_names_files_by_folder(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    ids = query(db, "select id from articles order by id")
    conn = sqlite3.connect(db)
    with conn:  # as version 3 left it: files named without their folder, no content hashes
        for table, column in (("files", "path"), ("article_sources", "source_file"), ("articles", "source_file")):
            conn.execute(f"update {table} set {column} = substr({column}, 7)")
        conn.execute("update articles set content_hash = null")
        conn.execute("drop table build_inputs")
        conn.execute("pragma user_version = 3")
    conn.close()
    report = build(db, [seeds_copy])
    assert report.files_missing == [] and report.articles_total == 9
    assert query(db, "select id from articles order by id") == ids
    assert {row["path"].split("/")[0] for row in query(db, "select path from files")} == {"seeds"}
    assert query(db, "pragma user_version")[0]["user_version"] == SCHEMA_VERSION


# --- nothing lost by a slip ----------------------------------------------------------------


def test_equal_file_names_in_two_folders_are_two_files(tmp_path):
    for folder, words in (("dup1", "six hours on Tuesday"), ("dup2", "two days in March")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(f"Talks Resume In Geneva\n\nNegotiators met for {words}, officials said.\n")
    report = build(tmp_path / "b.db", [tmp_path / "dup1", tmp_path / "dup2"])
    assert (report.files_read, report.articles_total) == (2, 2)
    assert [row["path"] for row in query(tmp_path / "b.db", "select path from files order by 1")] == ["dup1/a.txt", "dup2/a.txt"]


def test_two_folders_of_one_name_are_refused_before_anything_is_written(tmp_path):
    for parent in ("x", "y"):
        (tmp_path / parent / "in").mkdir(parents=True)
        (tmp_path / parent / "in" / "a.txt").write_text("Talks Resume\n\nNegotiators met on Tuesday, officials said.\n")
    with pytest.raises(BuildError, match="would both be stored as in/a.txt"):
        build(tmp_path / "b.db", [tmp_path / "x" / "in", tmp_path / "y" / "in"])
    assert not (tmp_path / "b.db").exists()


def test_a_folder_left_out_keeps_its_articles_and_says_so(seeds_copy, tmp_path):
    more = tmp_path / "more"
    more.mkdir()
    (more / "extra.txt").write_text("Talks Resume In Geneva\n\nNegotiators met on Tuesday, officials said.\n")
    db = tmp_path / "briefs.db"
    assert cli(db, seeds_copy, more, cwd=tmp_path).returncode == 0
    result = cli(db, seeds_copy, cwd=tmp_path)
    assert result.returncode == 0
    assert "missing more/extra.txt" in result.stdout and "--prune" in result.stdout
    assert query(db, "select count(*) n from articles")[0]["n"] == 10
    pruned = cli(db, seeds_copy, "--prune", cwd=tmp_path)
    assert pruned.returncode == 0 and query(db, "select count(*) n from articles")[0]["n"] == 9


def test_a_dry_run_says_what_would_change_and_writes_nothing(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    edit(seeds_copy / SEED, "landmark move", "historic move")
    (seeds_copy / "new.txt").write_text("Talks Resume In Geneva\n\nNegotiators met on Tuesday, officials said.\n")
    (seeds_copy / "000_5bd0019754035440.txt").unlink()
    files = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}
    result = cli(db, seeds_copy, "--dry-run", "--prune", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"would change seeds/{SEED}: 0 articles added, 1 changed, 0 removed" in result.stdout
    assert "would add seeds/new.txt: 1 article" in result.stdout
    assert "would remove seeds/000_5bd0019754035440.txt and its 1 article" in result.stdout
    assert "was not written" in result.stdout
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()} == files


def test_a_bare_build_rebuilds_from_the_folders_it_was_given(seeds_copy, tmp_path):
    more = tmp_path / "more"
    more.mkdir()
    (more / "extra.txt").write_text("Talks Resume In Geneva\n\nNegotiators met on Tuesday, officials said.\n")
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy, more])
    (more / "later.txt").write_text("Talks Stall In Geneva\n\nNegotiators left on Friday, officials said.\n")
    report = build(db)
    assert report.articles_total == 11 and report.files_missing == []
    result = cli(db, cwd=tmp_path)  # the command line too: not the project's seeds
    assert result.returncode == 0 and "up to date" in result.stdout


def test_a_rebuild_keeps_the_files_mode_and_refuses_a_read_only_one(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    os.chmod(db, 0o640)
    edit(seeds_copy / SEED, "landmark move", "historic move")
    build(db, [seeds_copy])
    assert stat.S_IMODE(db.stat().st_mode) == 0o640
    os.chmod(db, 0o444)
    edit(seeds_copy / SEED, "historic move", "major move")
    inode = db.stat().st_ino
    with pytest.raises(BuildError, match="read-only"):
        build(db, [seeds_copy])
    assert db.stat().st_ino == inode and stat.S_IMODE(db.stat().st_mode) == 0o444
    assert "historic move" in article_of(db, f"seeds/{SEED}")["body"]


# --- progress --------------------------------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_progress_shows_a_bar_from_the_start_and_an_estimate_only_with_a_rate():
    clock, out = Clock(), io.StringIO()
    progress = TerminalProgress(out, clock)
    progress.phase("Reading files", 100)
    assert "0/100" in out.getvalue()
    clock.now = 5.0  # starting the workers
    progress.advance()
    clock.now = 5.5
    progress.advance()
    assert "left" not in out.getvalue()  # half a second of work is no rate
    for _ in range(8):
        clock.now += 0.5
        progress.advance()
    assert "10/100" in out.getvalue() and "about 45 s left" in out.getvalue()  # 9 in 4.5 s, 90 to go
    progress.phase("Merging people")
    assert "Reading files: 10/100 done in" in out.getvalue() and out.getvalue().endswith("Merging people…")
    progress.finish()
    assert "Merging people: done in" in out.getvalue()


def test_a_build_reports_each_phase(seeds_copy, tmp_path):
    class Record(Progress):
        def __init__(self):
            self.phases, self.done = [], 0

        def phase(self, name, total=None):
            self.phases.append((name, total))

        def advance(self, done=1):
            self.done += done

    first, later = Record(), Record()
    build(tmp_path / "b.db", [seeds_copy], progress=first)
    assert first.phases == [("Reading files", 5), ("Indexing", None), ("Merging people", None),
                            ("Finding stories", None), ("Full-text indexes", None)]
    assert first.done == 5
    edit(seeds_copy / SEED, "landmark move", "historic move")
    build(tmp_path / "b.db", [seeds_copy], progress=later)
    assert later.phases == [("Reading files", 1), ("Merging people", None), ("Finding stories", None)]
    assert sqlite_utils.Database(tmp_path / "b.db")["articles"].count == 9


def test_after_a_rebuild_the_file_alone_holds_it_for_publishing(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    edit(seeds_copy / SEED, "landmark move", "historic move")
    build(db, [seeds_copy])
    alone = tmp_path / "published" / "briefs.db"
    alone.parent.mkdir()
    shutil.copyfile(db, alone)  # what datasette publish copies: not the -wal beside it
    assert "historic move" in article_of(alone, f"seeds/{SEED}")["body"]
