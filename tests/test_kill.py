"""A build killed with SIGKILL mid-way leaves the previous database intact and servable."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, SEEDS

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def make_corpus(folder, copies, marker):
    """Many distinct files made from the seeds, so that a build takes a moment."""
    folder.mkdir(exist_ok=True)
    for n in range(copies):
        for seed in SEEDS.iterdir():
            text = seed.read_text(encoding="utf-8").replace("Ukraine", f"Ukraine {marker}{n}")
            (folder / f"{n:04d}-{seed.name}").write_text(text, encoding="utf-8")


def build_cmd(db, folder):
    return [sys.executable, str(ROOT / "scripts" / "build_db.py"), str(db), str(folder)]


def test_sigkill_mid_build_leaves_the_previous_database(tmp_path):
    folder = tmp_path / "in"
    make_corpus(folder, 5, "a")
    db = tmp_path / "briefs.db"
    subprocess.run(build_cmd(db, folder), check=True, capture_output=True)
    before = sqlite3.connect(db).execute("select count(*), group_concat(id) from articles").fetchone()

    make_corpus(folder, 60, "b")  # every file changes: the next build has real work to do
    process = subprocess.Popen(build_cmd(db, folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".briefs.db.building-*")):
        assert process.poll() is None, "the build finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    time.sleep(0.2)  # well into the work
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    assert conn.execute("select count(*), group_concat(id) from articles").fetchone() == before
    conn.close()

    # the next build clears what the killed one left and completes
    result = subprocess.run(build_cmd(db, folder), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.glob(".briefs.db.building-*"))
    assert sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0] == 60 * 9
