"""What a reader sees, in a real headless Chromium: search, an article, a person.

Uses Debian's chromium driven by Playwright (no browser download), through conftest's
``page``. `.ci/run` installs chromium and sets BRIEFS_REQUIRE_BROWSER=1 so that CI fails
rather than skips without it.
"""

import pytest

from .conftest import server_for

pytestmark = pytest.mark.browser


@pytest.fixture
def server(seeds_db):
    with server_for(seeds_db) as url:
        yield url


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
