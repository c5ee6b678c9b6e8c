"""The loader keeps what it is given (issue 17): repeated paragraphs stay text, contexts and
titles are bounded, front matter cannot blow up, big files are skipped, and every skip says
which file and why. Every file here is written by the test itself."""

import os
import resource
import signal
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from datasette_ukraine_briefs.build import BuildError, BuildOptions, build
from datasette_ukraine_briefs.build.cli import main
from datasette_ukraine_briefs.text.articles import split_articles

from .conftest import ROOT, SEEDS

BUILD_DB = ROOT / "scripts" / "build_db.py"
# Bytes a file of the build may grow to: the first write-out of the new files passes it (found by
# trying: the second traceback came at this size, with 400 files to read).
FULL_AT = 40_000

STORY = [
    "Negotiators from both delegations met on Monday in Geneva for the first time in a month, officials said.",
    "The talks are expected to last three days, according to the Swiss foreign ministry, which hosts them.",
    "Both sides brought new proposals on prisoner exchanges and on the safety of the nuclear plant.",
    "A spokesman for the hosts said the mood in the room was serious but constructive on the first day.",
]
HEADLINE = "Ceasefire Talks Resume in Geneva After a Month"


def story(headline=HEADLINE, paragraphs=STORY):
    return "\n\n".join(([headline] if headline else []) + list(paragraphs)) + "\n"


def words(text):
    return len(text.split())


# --- 1. a repeated paragraph is not a caption --------------------------------------------------


def test_one_article_pasted_twice_keeps_its_text():
    for headline in (HEADLINE, None):
        articles = split_articles(story(headline) + "\n\n" + story(headline))
        assert articles, "no article text found"
        for article in articles:
            assert article.body == "\n\n".join(STORY)
            assert article.captions == []
        assert len({article.content_hash for article in articles}) == 1  # stored once


def test_one_article_pasted_twice_is_loaded_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "twice.txt").write_text(story(None) + "\n" + story(None), encoding="utf-8")
    report = build(tmp_path / "briefs.db", [folder])
    assert not report.skipped
    conn = sqlite3.connect(tmp_path / "briefs.db")
    [(body, captions)] = conn.execute("select body, captions from articles").fetchall()
    assert body == "\n\n".join(STORY) and captions == "[]"


def test_two_versions_of_a_story_in_one_file_are_two_articles():
    second = STORY[:2] + ["A new closing paragraph says the delegations will meet again next week in Vienna."]
    text = story() + "\n\n" + story(HEADLINE + " as Hopes Rise", second)
    first, then = split_articles(text)
    assert first.body == "\n\n".join(STORY)
    assert then.title == HEADLINE + " as Hopes Rise"
    assert then.body == "\n\n".join(second)


def test_a_teaser_printed_again_is_read_once():
    text = "\n\n".join([HEADLINE, STORY[0], STORY[1], "", STORY[0], STORY[1], STORY[2], STORY[3]])
    [article] = split_articles(text)
    assert article.body == "\n\n".join(STORY)
    assert article.captions == [] and STORY[0] in article.noise


def test_a_repeated_caption_beside_an_image_is_still_a_caption():
    caption = "Delegates arrive at the Palais des Nations on the first morning of the talks in Geneva"
    text = "\n\n".join([HEADLINE, "![](https://example.org/photo.jpg)", caption, caption, *STORY])
    [article] = split_articles(text)
    assert article.captions == [caption]
    assert article.images[0].caption == caption
    assert article.body == "\n\n".join(STORY)


# --- 2. bounded contexts and titles ------------------------------------------------------------


def quotes_of(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select text, context from quotes").fetchall()
    finally:
        conn.close()


def test_a_quotation_far_from_any_sentence_end_has_a_bounded_context(tmp_path):
    prose = " ".join(f"word{n}" for n in range(3000))  # no sentence end anywhere
    body = f"{prose} and then “we will rebuild every school in the region,” said Anna Koval, the mayor, {prose}."
    (tmp_path / "far.txt").write_text(HEADLINE + "\n\n" + body + "\n", encoding="utf-8")
    build(tmp_path / "briefs.db", [tmp_path / "far.txt"])
    [(text, context)] = quotes_of(tmp_path / "briefs.db")
    assert text in context
    assert len(context) <= len(text) + 2 * 600 + 10  # a window either side, not the text from its start
    assert not context.startswith("word0 ") and context.split()[0].startswith("word")  # cut at a word


def test_a_text_packed_with_short_quotations_gives_bounded_contexts(tmp_path):
    body = " ".join(f"“word{n} here,” said Anna Koval and" for n in range(1500))
    (tmp_path / "packed.txt").write_text(HEADLINE + "\n\n" + body + "\n", encoding="utf-8")
    build(tmp_path / "briefs.db", [tmp_path / "packed.txt"])
    found = quotes_of(tmp_path / "briefs.db")
    assert len(found) == 1500
    total = sum(len(context) for _, context in found)
    assert total <= 3 * len(body) + 100  # all contexts hold a few times the text, not its square
    assert all(text in context for text, context in found)


def test_a_long_front_matter_title_is_cut_and_kept_whole_among_its_keys(tmp_path):
    title = " ".join(["Ceasefire"] * 2000)
    (tmp_path / "long.md").write_text(f"---\ntitle: {title}\n---\n" + story(None), encoding="utf-8")
    report = build(tmp_path / "briefs.db", [tmp_path / "long.md"])
    conn = sqlite3.connect(tmp_path / "briefs.db")
    stored, display, front = conn.execute("select title, display_title, front_matter from articles").fetchone()
    assert len(stored) <= 302 and stored.endswith("…") and len(display) <= 302
    assert title in front
    assert any("title" in warning for _, warning in report.warnings)


def test_a_long_heading_or_line_is_text_not_a_title():
    line = " ".join(["Ceasefire"] * 400)
    for first in (line, "# " + line):
        [article] = split_articles(first + "\n\n" + story(None))
        assert article.title is None
        assert line in article.body
        assert len(article.display_title) <= 302


# --- 3. safe front matter -------------------------------------------------------------------

# Five levels of nine: 9**6 strings (the bomb had a few more levels, and ran out of memory).
ALIAS_BOMB = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
title: [*e,*e,*e,*e,*e,*e,*e,*e,*e]
---
"""


def test_a_front_matter_of_aliases_is_refused_with_a_warning_and_the_article_loads(tmp_path):
    (tmp_path / "bomb.md").write_text(ALIAS_BOMB + story(), encoding="utf-8")
    report = build(tmp_path / "briefs.db", [tmp_path / "bomb.md"])
    assert [(name, "alias" in warning) for name, warning in report.warnings] == [("bomb.md", True)]
    conn = sqlite3.connect(tmp_path / "briefs.db")
    title, body, front = conn.execute("select title, body, front_matter from articles").fetchone()
    assert title == HEADLINE and body == "\n\n".join(STORY) and len(front) < 100


def test_front_matter_past_its_size_limit_is_read_as_text():
    from datasette_ukraine_briefs.text.frontmatter import MAX_FRONT_MATTER_CHARS, read_front_matter

    text = "---\n" + "note: long\n" * (MAX_FRONT_MATTER_CHARS // 10) + "---\n" + story()
    meta, rest, [warning] = read_front_matter(text)
    assert rest == text and meta.extra == {} and "limit" in warning


def test_a_date_or_number_yaml_cannot_make_stays_text(tmp_path):
    (tmp_path / "odd.md").write_text(
        "---\ntitle: Odd Dates\ndate: 2025-02-30\ncount: " + "9" * 5000 + "\n---\n" + story(None), encoding="utf-8")
    build(tmp_path / "briefs.db", [tmp_path / "odd.md"])
    conn = sqlite3.connect(tmp_path / "briefs.db")
    title, published, front = conn.execute("select title, published, front_matter from articles").fetchone()
    assert title == "Odd Dates" and published is None and "9" * 5000 in front


def test_front_matter_nested_too_deeply_is_refused():
    from datasette_ukraine_briefs.text.frontmatter import read_front_matter

    meta, rest, [warning] = read_front_matter("---\nx: " + "[" * 5000 + "\n---\nBody.")
    assert rest == "Body." and "deeply" in warning


# --- 4. a file size limit -------------------------------------------------------------------


def two_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "small.txt").write_text(story(), encoding="utf-8")
    longer = [f"{paragraph} This is paragraph {n} of the longer story." for n, paragraph in enumerate(STORY * 40)]
    (folder / "big.txt").write_text(story("A Much Longer Story About the Talks", longer), encoding="utf-8")
    return folder


def test_a_file_over_the_size_limit_is_skipped_naming_it_and_the_limit(tmp_path):
    folder = two_files(tmp_path)
    report = build(tmp_path / "briefs.db", [folder], BuildOptions(max_file_size=4096))
    [(name, reason)] = report.skipped
    assert name == "in/big.txt" and "4,096 bytes" in reason and "limit" in reason
    assert report.articles_total == 1
    assert "skipped in/big.txt:" in report.summary()


def test_a_file_skipped_for_its_size_loads_once_the_limit_is_raised(tmp_path):
    folder = two_files(tmp_path)
    build(tmp_path / "briefs.db", [folder], max_file_size=4096)  # the options by name, too
    report = build(tmp_path / "briefs.db", [folder])
    assert report.skipped == [] and report.articles_total == 2


def test_the_command_line_takes_a_size_limit(tmp_path):
    folder = two_files(tmp_path)
    result = CliRunner().invoke(main, [str(tmp_path / "briefs.db"), str(folder), "--max-file-size", "4K"])
    assert result.exit_code == 0, result.output
    assert "skipped in/big.txt:" in result.output and "4,096 bytes" in result.output
    wrong = CliRunner().invoke(main, [str(tmp_path / "other.db"), str(folder), "--max-file-size", "lots"])
    assert wrong.exit_code == 2 and "not a size" in wrong.output


# --- 5. every skip names the file and the reason ----------------------------------------------


def test_a_build_where_every_file_is_skipped_says_which_and_why(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "blank.txt").write_text("   \n", encoding="utf-8")
    (folder / "big.txt").write_text(story(), encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        build(tmp_path / "briefs.db", [folder], max_file_size=100)
    message = str(raised.value)
    assert "skipped in/blank.txt: empty file" in message
    assert "skipped in/big.txt: " in message and "limit of 100 bytes" in message


@pytest.mark.slow
def test_a_full_disk_while_files_are_read_is_one_message(tmp_path):
    """Disk full (a file size limit in the child) while worker processes still read files: the
    error, and no traceback of the workers' shutdown after it."""
    db = tmp_path / "briefs.db"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # no bytecode cut short by the limit
    subprocess.run([sys.executable, str(BUILD_DB), str(db), str(SEEDS)], check=True, capture_output=True, env=env)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(80):  # enough files to be read in parallel, and written before all are read
        for seed in SEEDS.iterdir():
            text = seed.read_text(encoding="utf-8").replace("Ukraine", f"Ukraine {n}")
            (folder / f"{n:03d}-{seed.name}").write_text(text, encoding="utf-8")

    def limit_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (FULL_AT, FULL_AT))

    # two workers whatever this machine has: the build reads in parallel from two cores up
    two_cores = f"import os, runpy, sys; os.cpu_count = lambda: 2; sys.argv = sys.argv[1:]; runpy.run_path({str(BUILD_DB)!r}, run_name='__main__')"
    result = subprocess.run([sys.executable, "-c", two_cores, str(BUILD_DB), str(db), str(folder)], capture_output=True,
                            text=True, preexec_fn=limit_files, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: could not write") and "(is the disk full?)" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_failed_write_stops_the_worker_processes_before_the_error_is_told(tmp_path, monkeypatch):
    """The worker processes reading files are stopped by the build itself when a write fails,
    not left to the interpreter's exit, which tells a second traceback after the error."""
    import multiprocessing

    from datasette_ukraine_briefs.build import loader

    monkeypatch.setattr(loader.os, "cpu_count", lambda: 2)  # workers, whatever this machine has
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(loader.PARALLEL_FROM + loader.BATCH_FILES * 4):
        (folder / f"{n:03d}.txt").write_text(story(f"{HEADLINE} Number {n}"), encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(loader, "WRITE_EVERY", 10)  # write while files are still being read
    monkeypatch.setattr(loader, "insert_rows", disk_full)
    with pytest.raises(sqlite3.OperationalError) as raised:
        build(tmp_path / "briefs.db", [folder])
    assert multiprocessing.active_children() == [], "workers left running"
    assert "disk is full" in str(raised.value)  # the error, and the build's frames, kept until here
