"""Search that never fails (issue 17, item 3): a plugin page whose reading outlives Datasette's
SQL time limit answers 200 with what finished and a note (search), or 400 saying so (the
other pages), never 500, whatever ``sql_time_limit_ms`` is."""

import sqlite3

import pytest

from datasette_ukraine_briefs.site import search

from .conftest import datasette_for

EXPENSIVE = ["the " * 100, "a* OR b* OR c* OR d* OR e*", '"the minister" OR s* OR t*']


def pages(db):
    conn = sqlite3.connect(db)
    article = conn.execute("select id from articles limit 1").fetchone()[0]
    person = conn.execute("select id from people order by quote_count desc limit 1").fetchone()[0]
    story = conn.execute("select id from stories order by article_count desc limit 1").fetchone()[0]
    base = "/-/briefs/briefs"
    return [
        *(f"{base}/search?q={q}" for q in EXPENSIVE), f"{base}/search?q=harbour&kind=quotes", f"{base}/search",
        f"{base}/article/{article}", f"{base}/person/{person}", f"{base}/story/{story}",
        f"{base}/altered", f"{base}/altered?speaker=a", f"{base}/search.json?q=a*",
    ]


@pytest.mark.asyncio
@pytest.mark.parametrize("limit_ms", [1, 3, 20, 1000])
async def test_no_page_fails_under_any_time_limit(seeds_db, limit_ms):
    ds = datasette_for(seeds_db)
    # Datasette 1.0's own start-up reads its catalog under the limit, and fails under a limit
    # this low: the limit is lowered once it has started, as for requests alone
    await ds.invoke_startup()
    await ds.client.get("/")
    ds._settings["sql_time_limit_ms"] = limit_ms
    for path in pages(seeds_db):
        response = await ds.client.get(path)
        assert response.status_code in (200, 400), (path, response.status_code)
        if response.status_code == 400:
            assert "time limit" in response.text, path


@pytest.fixture
def quotes_too_slow(monkeypatch):
    """Searching quotations outlives the time limit, as on a large archive."""
    real = search._search_kind

    def slow(conn, kind, query, size, offset):
        if kind == "quotes":
            raise sqlite3.OperationalError("interrupted")
        return real(conn, kind, query, size, offset)

    monkeypatch.setattr(search, "_search_kind", slow)


@pytest.mark.asyncio
async def test_a_search_that_outlives_the_limit_shows_what_finished(ds, quotes_too_slow):
    data = (await ds.client.get("/-/briefs/briefs/search.json?q=Ukraine")).json()
    assert data["timed_out"] == ["quotes"]
    assert data["results"]["quotes"] == {**data["results"]["quotes"], "count": None, "rows": [], "timed_out": True}
    assert data["results"]["articles"]["count"] > 0 and not data["results"]["articles"]["timed_out"]
    page = await ds.client.get("/-/briefs/briefs/search?q=Ukraine")
    assert page.status_code == 200
    assert "Searching quotes took longer than this site's time limit" in page.text
    assert "Not finished within the time limit." in page.text


@pytest.mark.asyncio
async def test_a_count_that_outlives_the_limit_leaves_the_rows(seeds_db, monkeypatch):
    ds = datasette_for(seeds_db, config={"plugins": {"datasette-ukraine-briefs": {"search_page_size": 1}}})
    monkeypatch.setattr(search, "COUNTS", {kind: "select count(*) from (select 1) where raise_interrupted()" for kind in search.COUNTS})
    real = search._search_kind

    def with_interrupting_count(conn, kind, query, size, offset):
        conn.create_function("raise_interrupted", 0, lambda: conn.interrupt() or 1)  # as the time limit does
        return real(conn, kind, query, size, offset)

    monkeypatch.setattr(search, "_search_kind", with_interrupting_count)
    data = (await ds.client.get("/-/briefs/briefs/search.json?q=the&kind=articles")).json()
    found = data["results"]["articles"]
    assert len(found["rows"]) == 1 and found["count"] is None and not found["timed_out"]
    assert data["next_url"]  # a full page with no count: there may be more
    page = await ds.client.get("/-/briefs/briefs/search?q=the&kind=articles")
    assert page.status_code == 200 and "1–1 of 1+" in page.text
