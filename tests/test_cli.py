"""The command line: scripts/build_db.py run as a user runs it."""

import subprocess
import sys

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "build_db.py"


def run(*args, cwd):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], cwd=cwd, capture_output=True, text=True)


def test_builds_and_summarises(seeds_copy, tmp_path):
    result = run("out.db", seeds_copy, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "5 files read" in result.stdout and "9 articles (9 added, 0 changed, 0 removed)" in result.stdout
    assert result.stderr == ""  # quiet when stderr is not a terminal: no progress bar
    again = run("out.db", seeds_copy, cwd=tmp_path)
    assert again.returncode == 0
    assert "out.db is up to date: 5 files unchanged, 9 articles" in again.stdout


def test_no_arguments_builds_briefs_db_from_the_seeds(tmp_path):
    result = run(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "briefs.db").exists()
    assert "9 articles" in result.stdout


def test_warnings_name_the_file_and_strict_fails_on_them(seeds_copy, tmp_path):
    (seeds_copy / "old.txt").write_bytes(b"Old Story Headline Here\r\n\r\nIt cost \xa35bn, he said.\r\n")
    (seeds_copy / "blank.txt").write_bytes(b"")
    result = run("out.db", seeds_copy, cwd=tmp_path)
    assert result.returncode == 0
    assert "warning: seeds/old.txt: not valid UTF-8: decoded as cp1252" in result.stderr
    assert "skipped seeds/blank.txt: empty file" in result.stdout
    (seeds_copy / "old.txt").write_bytes(b"Old Story Headline Here\r\n\r\nIt cost \xa36bn, he said.\r\n")
    strict = run("out.db", seeds_copy, "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert "Traceback" not in strict.stderr


def test_missing_folder_is_a_clear_error(tmp_path):
    result = run("out.db", tmp_path / "nope", cwd=tmp_path)
    assert result.returncode == 2
    assert "nope" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_nothing_loadable_exits_non_zero(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    result = run("out.db", tmp_path / "in", cwd=tmp_path)
    assert result.returncode == 1
    assert "nothing could be loaded" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.db").exists()


def test_read_only_target_folder_is_a_clear_error(seeds_copy, tmp_path):
    result = run(tmp_path / "no-such-dir" / "out.db", seeds_copy, cwd=tmp_path)
    assert result.returncode == 1
    assert "no such folder for the database" in result.stderr
    assert "Traceback" not in result.stderr
