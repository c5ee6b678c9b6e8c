"""A site served while its archive is rebuilt: it answers throughout, from the previous build
until the new one commits and from the new one at once after, never an error or half a build."""

import json
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .conftest import server_for
from .test_faults import build_cmd, make_corpus

pytestmark = pytest.mark.slow

NEW_STORY = """Zebra Accord Signed In Vienna

Vienna – Delegations signed a grain corridor accord on Tuesday after nine hours of talks,
officials said. "It is a first step," said Anna Berg, the Swedish mediator.
"""


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def count_url(base: str) -> str:
    """The SQL endpoint of either Datasette line (1.0 moved it under /-/query)."""
    sql = urllib.parse.urlencode({"sql": "select count(*) as n from articles", "_shape": "array"})
    status, _ = get(f"{base}/briefs/-/query.json?{sql}")
    return f"{base}/briefs/-/query.json?{sql}" if status == 200 else f"{base}/briefs.json?{sql}"


def test_a_served_site_sees_each_rebuild_whole_and_at_once(tmp_path):
    folder = tmp_path / "in"
    make_corpus(folder, 10, "a")
    db = tmp_path / "briefs.db"
    subprocess.run(build_cmd(db, folder), check=True, capture_output=True)
    subprocess.run(build_cmd(db, folder), check=True, capture_output=True)  # an archive rebuilt before
    make_corpus(folder, 40, "b")
    (folder / "zebra.txt").write_text(NEW_STORY, encoding="utf-8")
    with server_for(db) as base:
        url = count_url(base)
        status, rows = get(url)
        assert status == 200
        before = rows[0]["n"]
        rebuild = subprocess.Popen(build_cmd(db, folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seen = []
        while rebuild.poll() is None:
            seen.append(get(url))
            time.sleep(0.01)
        assert rebuild.returncode == 0, rebuild.stderr.read()
        status, rows = get(url)
        after = rows[0]["n"]
        assert after == 40 * 9 + 1 > before
        assert len(seen) > 5  # the site was asked throughout the build
        assert {status for status, _ in seen} == {200}
        assert {rows[0]["n"] for _, rows in seen} <= {before, after}  # never half a build
        status, found = get(f"{base}/-/briefs/briefs/search.json?q=zebra")
        assert status == 200 and "Zebra Accord Signed In Vienna" in json.dumps(found)
