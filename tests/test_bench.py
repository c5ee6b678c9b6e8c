"""The benchmark's smoke run: ``scripts/bench.py`` at a small N, start to finish.

The full run (N = 100,000) is a manual one; this proves the script still measures every
figure and writes each goal with its verdict. It asserts nothing about the timings.
"""

import subprocess
import sys

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

GOALS = (
    "Build: full build ÷ baseline",
    "Build: extraction words/s",
    "Build: peak memory",
    "Re-run: 1% of files changed",
    "Re-run: nothing changed",
    "Stories: build_stories alone",
    "Search: search.json p50 ÷ raw sqlite3",
    "Search: ?_search= with plugin ÷ without",
    "Pages: article page p50 ÷ row page",
    "Pages: person page p50 ÷ row page",
)


def test_smoke_run_measures_every_goal(tmp_path):
    out = tmp_path / "BENCHMARKS.md"
    command = [
        sys.executable, str(ROOT / "scripts" / "bench.py"), "--n", "150", "--repeats", "1", "--rounds", "3",
        "--load-seconds", "1", "--extract-words", "20000", "--workdir", str(tmp_path / "work"), "--out", str(out),
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert finished.returncode == 0, finished.stderr[-3000:]
    rows = {line.split(" | ")[0].lstrip("| "): line for line in out.read_text(encoding="utf-8").splitlines()}
    for goal in GOALS:
        row = next((line for label, line in rows.items() if label.startswith(goal)), None)
        assert row is not None, f"no row for {goal}"
        assert row.rstrip(" |").endswith(("PASS", "FAIL")), row
    text = out.read_text(encoding="utf-8")
    for section in ("## Build", "## Search", "## Pages", "## Load"):
        assert section in text
