"""What a reader sees, in a real headless Chromium: search, an article, a person.

Uses Debian's chromium driven by Playwright (no browser download). `.ci/run` installs
chromium and sets BRIEFS_REQUIRE_BROWSER=1 so that CI fails rather than skips without it.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]

if not os.path.exists(CHROMIUM) and not os.environ.get("BRIEFS_REQUIRE_BROWSER"):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402  (in the test extra)

from .conftest import free_port  # noqa: E402


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
def server(seeds_db):
    with server_for(seeds_db) as url:
        yield url


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_search_article_person_journey(server, page, tmp_path):
    page.goto(server + "/-/briefs/briefs/search")
    page.fill("#briefs-q", "number available")
    page.press("#briefs-q", "Enter")
    page.wait_for_selector("#quotes li")
    page.screenshot(path=tmp_path / "search.png", full_page=True)
    assert "number available" in page.inner_text("#quotes")

    page.click("#quotes li a")
    quote = page.locator("mark.briefs-quote", has_text="number available").first
    quote.wait_for()
    assert quote.is_visible()
    page.screenshot(path=tmp_path / "article.png", full_page=True)
    speaker = page.locator("mark.briefs-quote:has-text('number available') + sup.briefs-speaker a").first
    assert speaker.inner_text() == "Lord Dannatt"

    speaker.click()
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Lord Dannatt"
    assert "We just haven't got that number available" in page.inner_text(".briefs-quotes")
    page.screenshot(path=tmp_path / "person.png", full_page=True)
    assert all((tmp_path / name).stat().st_size > 10_000 for name in ("search.png", "article.png", "person.png"))
