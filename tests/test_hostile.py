"""Hostile input and visitors: a booby-trapped article in a real browser, and every route
walked with malformed, enormous, Unicode, traversal and SQL-looking values.

The browser part uses Debian's chromium through Playwright (conftest's ``page``).
"""

import re
import sqlite3
import urllib.parse
from html.parser import HTMLParser

import pytest

from datasette_ukraine_briefs.build import build

from .conftest import datasette_for, server_for

HOSTILE = """---
title: Hostile <b>Headline</b> <script>window.__pwned = 'title'</script>
outlet: Evil <img src=x onerror="window.__pwned='outlet'"> News
---
Kyiv – The minister, Anna Berg, said: "We will <script>window.__pwned='quote'</script> never give up the harbour."

She added: "Look at <img src=x onerror="window.__pwned='img'"> this." Then <svg onload="window.__pwned='svg'"><circle r=5></svg> happened.

Click [here](javascript:window.__pwned='md-link') or [the report](https://example.com/report) or <a href="data:text/html,<script>alert(1)</script>">there</a> or <a href="vbscript:msgbox(1)">here</a>.

A broken <b tag and <iframe src="javascript:window.__pwned='iframe'"></iframe> and <style>body{background:url(http://x/)}</style> end it; the zebra ran.

<div style="background-image:url(javascript:alert(1))" onclick="window.__pwned='click'">Styled text</div> "<a href=\\"x\\" onmouseover=\\"window.__pwned='attr'\\">quoted markup</a>," Berg said.
"""


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "evil.md").write_text(HOSTILE, encoding="utf-8")
    db = folder / "briefs.db"
    build(db, [folder])
    return db


def rendered_pages(db):
    conn = sqlite3.connect(db)
    [article_id] = conn.execute("select id from articles").fetchone()
    person_id = conn.execute("select id from people where name = 'Anna Berg'").fetchone()[0]
    return {  # page: text a reader must still see on it
        f"/-/briefs/briefs/article/{article_id}": "never give up the harbour",
        f"/-/briefs/briefs/person/{person_id}": "never give up the harbour",
        "/-/briefs/briefs/search?q=zebra": "zebra",
        "/-/briefs/briefs/search?q=harbour": "harbour",
        "/-/briefs/briefs/altered": "Altered quotations",
        f"/-/briefs/briefs/story/story-{article_id}": "Anna Berg",
        "/briefs/articles": "zebra",
        "/briefs/quotes": "harbour",
        f"/briefs/articles/{article_id}": "zebra",
    }


class LiveMarkup(HTMLParser):
    """Collects what would run or load in a browser: the article's event handlers, script-like
    URLs, frames and objects, and scripts that mention the attack's flag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._in_script = [], False

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "object", "embed", "frame", "base"):
            self.found.append(tag)
        self._in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").strip().lower()
            if (name.startswith("on") or name in ("srcdoc", "formaction", "style")) and ("__pwned" in value or "alert(" in value):
                self.found.append(f"{tag} {name}")  # Datasette's own pages have handlers, not ours
            if name in ("href", "src", "action", "xlink:href") and value.startswith(("javascript:", "vbscript:", "data:")):
                self.found.append(f"{tag} {name}={value[:20]}")

    def handle_data(self, data):
        if self._in_script and "__pwned" in data:
            self.found.append("script")

    def handle_endtag(self, tag):
        self._in_script = False


def live_markup(page: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(page.split("<body", 1)[1])
    return parser.found


@pytest.mark.asyncio
async def test_hostile_markup_never_reaches_a_page(hostile_db):
    ds = datasette_for(hostile_db)
    for path in rendered_pages(hostile_db):
        response = await ds.client.get(path)
        assert response.status_code == 200, path
        assert live_markup(response.text) == [], path
    page = (await ds.client.get(next(iter(rendered_pages(hostile_db))))).text
    assert 'rel="nofollow noopener"' in page  # links from the text are marked
    body = page.split('class="briefs-body"', 1)[1].split("</div>", 1)[0]
    tags = re.findall(r"<[^>]*>", body)
    assert not [tag for tag in tags if "style=" in tag or "url(" in tag]  # no CSS from the text
    assert "never give up the harbour." in page  # and the text is still there


@pytest.mark.browser
def test_no_script_runs_in_a_real_browser(hostile_db, page, tmp_path):
    with server_for(hostile_db) as base:
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for n, (path, readable) in enumerate(rendered_pages(hostile_db).items()):
            page.goto(base + path)
            page.wait_for_load_state("load")
            for element in page.query_selector_all("section a, .briefs-body *, td")[:40]:
                try:  # event handlers that slipped through would fire on hover
                    element.hover(timeout=100)
                except Exception:
                    pass
            assert page.evaluate("window.__pwned") is None, path
            assert readable in page.inner_text("body"), path
            page.screenshot(path=tmp_path / f"hostile-{n}.png")
    assert dialogs == []


BAD_VALUES = [
    "", " ", "x" * 5000, "..", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%00", "~00", "~zz", "~",
    "1' or '1'='1", "1; drop table articles; --", '"', "<script>alert(1)</script>", "Київ", "💥",
    "\u202e", "%ff%fe", "a/b", "NULL", "-1", "1e309",
]


@pytest.mark.asyncio
async def test_every_route_answers_bad_values_with_404_or_400(hostile_db):
    ds = datasette_for(hostile_db)
    before = hostile_db.read_bytes()
    for value in BAD_VALUES:
        encoded = urllib.parse.quote(value, safe="~%")
        if value.strip(".") == "" and value:  # "..": URL resolution, not the plugin, handles it
            continue
        paths = [
            f"/-/briefs/briefs/article/{encoded}", f"/-/briefs/briefs/article/{encoded}.json",
            f"/-/briefs/briefs/person/{encoded}", f"/-/briefs/briefs/person/{encoded}.json",
            f"/-/briefs/briefs/story/{encoded}", f"/-/briefs/briefs/story/{encoded}.json",
            f"/-/briefs/{encoded}/search", f"/-/briefs/{encoded}/article/x",
        ]
        for path in paths:
            # Datasette itself may first redirect a path it normalises; where it lands counts
            status = (await ds.client.get(path, follow_redirects=True)).status_code
            assert status in (400, 404), (path, status)
        for path in ("/-/briefs/briefs/search", "/-/briefs/briefs/search.json", "/-/briefs/briefs/altered", "/-/briefs/briefs/altered.json"):
            for param in ("q", "speaker", "outlet", "_format"):
                status = (await ds.client.get(path, params={param: value})).status_code
                assert status in (200, 400), (path, param, value, status)
    assert hostile_db.read_bytes() == before  # the plugin never writes


@pytest.mark.asyncio
async def test_denied_database_is_not_shown_through_the_plugin(hostile_db):
    config = {"databases": {"briefs": {"allow": False}}}
    ds = datasette_for(hostile_db, config=config)
    article_id = sqlite3.connect(hostile_db).execute("select id from articles").fetchone()[0]
    for path in ("/-/briefs/briefs/search?q=zebra", f"/-/briefs/briefs/article/{article_id}",
                 "/-/briefs/briefs/person/anna-berg.json", "/-/briefs/briefs/altered.json"):
        response = await ds.client.get(path)
        assert response.status_code in (403, 404), path
        assert "zebra" not in response.text and "harbour" not in response.text
    menu = (await ds.client.get("/")).text
    assert "/-/briefs/briefs/search" not in menu
