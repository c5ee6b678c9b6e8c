"""What the tests share: the seeds (a copy to change, a database built once), a Datasette over a
built database, the story variants, and a real browser against a real server.

Markers (registered in pyproject.toml): ``slow`` for tests that install, kill builds or run the
benchmark, ``browser`` for tests that drive Chromium. The default run runs everything; for a
quick loop, ``pytest -m "not slow and not browser"``.
"""

import contextlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import pytest_asyncio
import yaml
from datasette.app import Datasette

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private copy of the seed folder that a test may change."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> Path:
    """The seeds built once, for tests that only read."""
    from datasette_ukraine_briefs.build import build

    path = tmp_path_factory.mktemp("built") / "briefs.db"
    build(path, [SEEDS])
    return path


def datasette_for(*paths, config: dict | None = None, **kwargs) -> Datasette:
    """Datasette over built databases, as ``datasette serve`` would start it. ``config`` holds
    permissions and table settings: Datasette 1.0 reads them from its configuration, 0.65 from
    metadata."""
    if config is None:
        return Datasette([str(path) for path in paths], **kwargs)
    try:
        return Datasette([str(path) for path in paths], config=config, **kwargs)
    except TypeError:  # Datasette 0.65 has no config argument
        return Datasette([str(path) for path in paths], metadata=config, **kwargs)


@pytest_asyncio.fixture
async def ds(seeds_db):
    """The plugin over the seeds, without metadata.yml."""
    datasette = datasette_for(seeds_db)
    await datasette.invoke_startup()
    return datasette


@pytest_asyncio.fixture
async def ds_metadata(seeds_db):
    """The seeds served as the README says: with metadata.yml."""
    datasette = datasette_for(seeds_db, metadata=METADATA)
    await datasette.invoke_startup()
    return datasette


@pytest.fixture
def variants(tmp_path):
    """A seed article, a byte-for-byte copy under another headline, a light rewrite, and an
    unrelated report on the same topic, each dated and from its own outlet."""
    from datasette_ukraine_briefs.build import build

    original = (SEEDS / "004_db0cacbfd5b95141.txt").read_text(encoding="utf-8")
    body = original.split("\n", 2)[2]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-original.md").write_text("---\noutlet: Paper A\npublished: 2026-01-06\n---\n" + original, encoding="utf-8")
    (folder / "b-copy.md").write_text(
        "---\noutlet: Paper B\npublished: 2026-01-07\n---\nBritain and France Agree Ukraine Troop Plan\n" + body, encoding="utf-8")
    swaps = {"the": "this", "to": "so as to", "of": "from", "and": "as well as", "a": "one", "for": "in favour of",
             "agreement": "deal", "security": "safety", "deployment": "posting", "Ukraine": "Kyiv"}
    rewrite = " ".join(swaps.get(word, word) for word in body.split(" ")).replace("\n ", "\n")
    (folder / "c-rewrite.md").write_text(
        "---\noutlet: Paper C\npublished: 2026-01-07\n---\nUK, France Commit Troops to Post-War Ukraine\n" + rewrite, encoding="utf-8")
    (folder / "d-other-speech.md").write_text(
        "---\noutlet: Paper D\npublished: 2026-01-08\n---\nStarmer Sets Out Defence Spending Rise\n\n"
        "Prime Minister Sir Keir Starmer announced on Thursday that defence spending would rise to 3% of GDP "
        "by the end of the decade, in a speech to factory workers in Derby. \"This is the biggest sustained "
        "increase since the Cold War,\" Sir Keir said. He said the money would go to drones, munitions and "
        "air defence, and that the Treasury would set out the details in the spring statement. Ukraine, "
        "France and the coalition of the willing were mentioned only briefly.\n",
        encoding="utf-8",
    )
    db = tmp_path / "v.db"
    build(db, [folder])
    return db


def query(path, sql, params=()) -> list[dict]:
    """Rows of a query on a built database, as dicts."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def free_port() -> int:
    """A loopback port nothing listens on, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def server_for(db):
    """`datasette serve` on a free loopback port, as a reader would reach it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url + "/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def page():
    """A page of Debian's Chromium, driven by Playwright (no browser download). Skipped when
    chromium is missing, except where BRIEFS_REQUIRE_BROWSER is set (CI): there it fails."""
    if not os.path.exists(CHROMIUM) and not os.environ.get("BRIEFS_REQUIRE_BROWSER"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright  # in the test extra

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()
