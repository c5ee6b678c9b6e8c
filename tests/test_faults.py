"""Faults in the build: killed builds, two builds at once, a full disk, unwritable targets.

The build runs as a subprocess, as a user runs it; the previous database must stay intact
and openable, with nothing left behind to confuse the next run.
"""

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")]


def make_corpus(folder, copies, marker):
    """Many distinct files made from the seeds, so that a build takes a moment."""
    folder.mkdir(exist_ok=True)
    for n in range(copies):
        for seed in SEEDS.iterdir():
            text = seed.read_text(encoding="utf-8").replace("Ukraine", f"Ukraine {marker}{n}")
            (folder / f"{n:04d}-{seed.name}").write_text(text, encoding="utf-8")


def build_cmd(db, folder):
    return [sys.executable, str(ROOT / "scripts" / "build_db.py"), str(db), str(folder)]


def articles(db):
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        return conn.execute("select count(*), group_concat(id) from (select id from articles order by id)").fetchone()
    finally:
        conn.close()


def wait_for_temporary(folder, process):
    """A first build writes a temporary file: wait until it exists."""
    deadline = time.monotonic() + 60
    while not list(folder.glob(".briefs.db.building-*")):
        assert process.poll() is None, "the build finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.002)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A database of 5 × 9 articles, a folder whose next build has 60 × 9 to do, and how long
    that build takes here (timed on a copy)."""
    folder = tmp_path_factory.mktemp("faults")
    make_corpus(folder / "in", 5, "a")
    subprocess.run(build_cmd(folder / "briefs.db", folder / "in"), check=True, capture_output=True)
    make_corpus(folder / "in", 60, "b")
    trial = tmp_path_factory.mktemp("trial") / "briefs.db"
    shutil.copyfile(folder / "briefs.db", trial)
    shutil.copyfile(folder / "briefs.db", folder / "previous.db")  # to start again from
    started = time.monotonic()
    subprocess.run(build_cmd(trial, folder / "in"), check=True, capture_output=True)
    return folder, time.monotonic() - started, articles(trial)


# When to kill, as a share of the rebuild's time: starting, reading files in the workers,
# merging people, finding stories and committing.
KILL_AT = [0.05, 0.3, 0.6, 0.8, 0.95]


@pytest.mark.parametrize("share", KILL_AT, ids=[f"{share:.0%}" for share in KILL_AT])
def test_sigkill_at_any_point_leaves_the_previous_database(built, share):
    folder, duration, complete = built
    db = folder / "briefs.db"
    for attempt in range(6):  # a build faster than the one timed: from the previous one, killed sooner
        for journal in (folder / "briefs.db-wal", folder / "briefs.db-shm"):
            journal.unlink(missing_ok=True)  # a killed build's, of another file now
        shutil.copyfile(folder / "previous.db", db)
        before = articles(db)
        process = subprocess.Popen(build_cmd(db, folder / "in"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(share * duration / 2 ** attempt)
        if process.poll() is None:
            break
    assert process.poll() is None, "every build finished before its kill"
    workers = children(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # the build had committed, or it had not: never anything in between
    assert articles(db) in (before, complete)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if alive(pid)], "a worker outlived its build"


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux's /proc; none found elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Running, not merely waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def test_the_build_after_a_kill_completes(built):
    folder, duration, _ = built
    db = folder / "briefs.db"
    process = subprocess.Popen(build_cmd(db, folder / "in"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(duration / 2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    result = subprocess.run(build_cmd(db, folder / "in"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert articles(db)[0] == 60 * 9


def test_a_killed_first_build_leaves_no_database_and_the_next_clears_up(tmp_path):
    make_corpus(tmp_path / "in", 30, "e")
    db = tmp_path / "briefs.db"
    process = subprocess.Popen(build_cmd(db, tmp_path / "in"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_temporary(tmp_path, process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not db.exists()  # never half a database under the real name
    assert list(tmp_path.glob(".briefs.db.building-*"))  # what the kill left
    result = subprocess.run(build_cmd(db, tmp_path / "in"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.glob(".briefs.db.building-*"))
    assert articles(db)[0] == 30 * 9


def test_two_builds_at_once_one_waits_its_turn(tmp_path):
    make_corpus(tmp_path / "in", 40, "c")
    db = tmp_path / "briefs.db"
    first = subprocess.Popen(build_cmd(db, tmp_path / "in"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_temporary(tmp_path, first)
    second = subprocess.run(build_cmd(db, tmp_path / "in"), capture_output=True, text=True)
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert second.returncode == 1
    assert "another build of" in second.stderr and "Traceback" not in second.stderr
    assert articles(db)[0] == 40 * 9


def ignore_sigxfsz_and_limit_files(limit):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def test_a_full_disk_is_one_clear_message_and_keeps_the_old_database(tmp_path):
    db = tmp_path / "briefs.db"
    subprocess.run(build_cmd(db, SEEDS), check=True, capture_output=True)
    before = articles(db)
    make_corpus(tmp_path / "in", 3, "d")
    # Files may grow to the size of the old database, not beyond: the new build runs out of room.
    result = subprocess.run(build_cmd(db, tmp_path / "in"), capture_output=True, text=True,
                            preexec_fn=ignore_sigxfsz_and_limit_files(db.stat().st_size))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: could not write") and "Traceback" not in result.stderr
    assert "disk" in result.stderr
    assert articles(db) == before
    assert not list(tmp_path.glob(".briefs.db.building-*"))


@pytest.mark.parametrize("target", ["/sys/briefs.db", "/proc/briefs.db"], ids=["read-only", "no-such-place"])
def test_an_unwritable_target_is_one_clear_message(target, tmp_path):
    if not os.path.isdir(os.path.dirname(target)):
        pytest.skip("no such system folder here")
    result = subprocess.run(build_cmd(target, SEEDS), capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
