"""Faults in the build: killed builds, two builds at once, a full disk, unwritable targets.

The build runs as a subprocess, as a user runs it; the previous database must stay intact
and openable, with nothing left behind to confuse the next run.
"""

import os
import resource
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
        return conn.execute("select count(*), group_concat(id) from articles").fetchone()
    finally:
        conn.close()


def wait_for_temporary(folder, process):
    deadline = time.monotonic() + 60
    while not list(folder.glob(".briefs.db.building-*")):
        assert process.poll() is None, "the build finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.002)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A database of 5 × 9 articles, and a folder whose next build has 60 × 9 to do."""
    folder = tmp_path_factory.mktemp("faults")
    make_corpus(folder / "in", 5, "a")
    subprocess.run(build_cmd(folder / "briefs.db", folder / "in"), check=True, capture_output=True)
    make_corpus(folder / "in", 60, "b")
    return folder


@pytest.mark.parametrize("after", [0.0, 0.05, 0.2, 0.5], ids=["copying", "early", "mid", "late"])
def test_sigkill_at_any_point_leaves_the_previous_database(built, after):
    db = built / "briefs.db"
    before = articles(db)
    process = subprocess.Popen(build_cmd(db, built / "in"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_temporary(built, process)
    time.sleep(after)
    if process.poll() is not None:
        pytest.skip("this machine built everything before the kill")  # only on a very fast machine
    workers = children(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert articles(db) == before
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


def test_the_build_after_a_kill_completes_and_clears_up(built):
    db = built / "briefs.db"
    process = subprocess.Popen(build_cmd(db, built / "in"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_temporary(built, process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert list(built.glob(".briefs.db.building-*"))  # what the kill left
    result = subprocess.run(build_cmd(db, built / "in"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not list(built.glob(".briefs.db.building-*"))
    assert articles(db)[0] == 60 * 9


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
