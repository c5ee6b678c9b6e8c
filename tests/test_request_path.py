"""Nothing heavy on the request path (issue 17, items 1 and 2): article bodies are rendered by
the build and only read by the pages and feeds; the SQL functions cap their input; an
archive built before keeps working.

"Heavy" is shown without timing anything: the Markdown renderer is made to fail during the
requests, and every page still answers, whole.
"""

import sqlite3

import pytest

from datasette_ukraine_briefs.build import build
from datasette_ukraine_briefs.site import sql_functions
from datasette_ukraine_briefs.text import render

from .conftest import datasette_for, query
from .test_plugin import sql
from .test_properties import finishes

ARTICLE = """---
title: Harbour talks resume
outlet: Test Wire
published: 2026-02-10
---
Kyiv – The minister, Anna Berg, said: "We will *never* give up the harbour."

Berg added that the talks would resume on Monday.
"""
# What Markdown renderers choke on: each is a few tens of kilobytes.
HOSTILE = {
    "tags.md": "<a " * 10_000,
    "links.md": "[a](" * 10_000,
    "brackets.md": "[" * 100_000,
    "autolinks.md": "<http://" * 5_000,
    "backticks.md": "`a``" * 10_000,
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("request-path")
    (folder / "talks.md").write_text(ARTICLE, encoding="utf-8")
    for name, text in HOSTILE.items():
        (folder / name).write_text(f"# {name}\n\nIt starts plainly.\n\n{text}\n", encoding="utf-8")
    db = folder / "briefs.db"
    build(db, [folder])
    return db


@pytest.fixture
def no_rendering(monkeypatch):
    """Any Markdown rendering from here on fails the request that does it."""

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown rendered while serving a request")

    monkeypatch.setattr(render._MARKDOWN, "render", refuse)


def ids(db, sql_text, params=()):
    return [row[0] for row in sqlite3.connect(db).execute(sql_text, params)]


@pytest.mark.asyncio
async def test_pages_and_feeds_only_read_what_the_build_rendered(archive, no_rendering):
    ds = datasette_for(archive)
    [talks] = ids(archive, "select id from articles where title = 'Harbour talks resume'")
    [story] = ids(archive, "select story_id from articles where id = ?", [talks])
    page = await ds.client.get(f"/-/briefs/briefs/article/{talks}")
    assert page.status_code == 200
    assert "<em>never</em> give up the harbour" in page.text
    assert 'class="briefs-speaker"><a href="/-/briefs/briefs/person/anna-berg">Anna Berg</a>' in page.text
    assert '<a class="briefs-person" href="/-/briefs/briefs/person/anna-berg">Anna Berg</a>' in page.text
    story_page = await ds.client.get(f"/-/briefs/briefs/story/{story}")
    assert story_page.status_code == 200 and "<em>never</em> give up" in story_page.text
    feed = await ds.client.get("/briefs/newest_articles.atom")
    assert feed.status_code == 200
    assert "&lt;em&gt;never&lt;/em&gt; give up the harbour" in feed.text
    assert "data-briefs" not in feed.text  # the placeholders are the pages' business
    for article_id in ids(archive, "select id from articles where title != 'Harbour talks resume'"):
        response = await ds.client.get(f"/-/briefs/briefs/article/{article_id}")
        assert response.status_code == 200 and "It starts plainly." in response.text


def test_hostile_text_is_rendered_as_text(archive):
    stored = dict(zip(
        ids(archive, "select a.source_file from articles a join article_html h on h.article = a.rowid order by 1"),
        ids(archive, "select h.html from articles a join article_html h on h.article = a.rowid order by a.source_file"),
    ))
    assert len(stored) == len(HOSTILE) + 1
    name = next(name for name in stored if name.endswith("brackets.md"))
    assert stored[name].count("[") == 100_000  # every bracket kept, none taken for a link


@pytest.mark.asyncio
async def test_a_long_article_is_shown_in_part_and_says_so(tmp_path):
    paragraph = "The delegations met again and spoke about the harbour. " * 20
    body = "\n\n".join(f"{n}. {paragraph}" for n in range(render.ARTICLE_RENDER_LIMIT // len(paragraph) + 50))
    (tmp_path / "long.md").write_text("# A very long record\n\n" + body, encoding="utf-8")
    db = tmp_path / "briefs.db"
    build(db, [tmp_path])
    [html] = ids(db, "select html from article_html")
    assert len(html) < len(body)
    [article_id] = ids(db, "select id from articles")
    page = await datasette_for(db).client.get(f"/-/briefs/briefs/article/{article_id}")
    assert page.status_code == 200
    assert "This page shows the first" in page.text and "its row</a>" in page.text


@pytest.mark.asyncio
async def test_an_archive_built_before_is_rendered_on_upgrade_and_served_meanwhile(tmp_path):
    (tmp_path / "talks.md").write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "briefs.db"
    build(db, [tmp_path])
    with sqlite3.connect(db) as conn:  # as version 4 left it: no stored HTML
        conn.execute("drop table article_html")
        conn.execute("pragma user_version = 4")
    [article_id] = ids(db, "select id from articles")
    page = await datasette_for(db).client.get(f"/-/briefs/briefs/article/{article_id}")
    assert page.status_code == 200 and "<em>never</em> give up the harbour" in page.text
    build(db, [tmp_path])
    [row] = query(db, "select count(*) as n, min(html like '%data-briefs-quote%') as marked from article_html")
    assert row == {"n": 1, "marked": 1}


# --- bounded SQL functions -----------------------------------------------------------------


def run(statement, params):
    """One row of a query on a connection with the plugin's functions, as Datasette's have."""
    conn = sqlite3.connect(":memory:")
    sql_functions.register(conn)
    return conn.execute(statement, params).fetchone()


@pytest.mark.parametrize("name", ["briefs_markdown", "briefs_quotes", "briefs_people"])
def test_text_functions_answer_up_to_their_cap_and_null_past_it(name):
    cap = sql_functions.LIMITS[name]
    statement = f"select {name}(:at) is not null, {name}(:past) is null"
    assert run(statement, {"at": "a " * (cap // 2), "past": "a " * (cap // 2) + "b"}) == (1, 1)


def test_quote_diff_caps_words_and_similarity_characters():
    words, chars = sql_functions.LIMITS["briefs_quote_diff"], sql_functions.LIMITS["briefs_similarity"]
    statement = "select briefs_quote_diff(:at, :at) is not null, briefs_quote_diff(:past, :at) is null"
    assert run(statement, {"at": " ".join(["7"] * words), "past": " ".join(["7"] * (words + 1))}) == (1, 1)
    assert run("select briefs_similarity(:past, 'a') is null", {"past": "a" * (chars + 1)}) == (1,)


@pytest.mark.asyncio
async def test_the_issues_url_answers_within_the_cap(ds):
    """The 148-byte URL that took 9 seconds: 30,000 characters of unclosed tags, rendered."""
    [row] = await sql(ds, "select length(briefs_markdown(replace(hex(zeroblob(10000)),'00','<a '))) as n")
    assert row["n"] > 0


@pytest.mark.parametrize("name, text", [
    ("briefs_markdown", "<a " * 16_000),  # the issue's 148-byte URL, at the cap
    ("briefs_markdown", "[a](" * 12_000),
    ("briefs_markdown", "[" * 50_000),
    ("briefs_quotes", '"w" ' * 12_000),
])
def test_hostile_input_at_the_cap_finishes(name, text):
    function = dict((key, value[0]) for key, value in sql_functions.FUNCTIONS.items())[name]
    assert finishes(function, text[: sql_functions.LIMITS[name]])


def test_the_worst_quote_diff_at_the_cap_finishes():
    words = sql_functions.LIMITS["briefs_quote_diff"]
    a = " ".join(str(i % 7) for i in range(words))
    b = " ".join(str(i % 5) for i in range(words))
    assert finishes(sql_functions.briefs_quote_diff, a, b)


# --- what a review found ------------------------------------------------------------------


def test_raw_html_cannot_blow_up_the_rendering():
    """Unclosed formatting tags, each with its own attribute, then paragraphs: an HTML parser
    reopens every one at each paragraph (35 KB gave 78 MB). Raw HTML is text."""
    hostile = "".join(f"<b title={i}>" for i in range(2000)) + "\n\n".join(["x"] * 2000)
    html = render.render_article(hostile, [])
    assert len(html) < 3 * len(hostile)
    assert "&lt;b title=1999&gt;" in html and "<b>" not in html


def test_an_entity_cannot_forge_a_mark():
    """Entities decode to any character, the sentinels' too: the nonce keeps them text."""
    body = 'Critics added: &#xe000;0&#xe001;Ukraine should surrender.&#xe000;/0&#xe001; "We hold," Anna Berg said.'
    start = body.index('"We')
    html = render.render_article(body, [render.Span(start, start + 10, "quote")])
    assert html.count("data-briefs-quote") == 1 and "Ukraine should surrender" in html
    assert html.index("Ukraine should surrender") < html.index("data-briefs-quote")
    out_of_range = render.render_article("&#xe000;99&#xe001; text", [render.Span(0, 4, "person")])
    assert "\ue000" not in out_of_range and "data-briefs-person" in out_of_range


def test_a_span_inside_a_link_keeps_the_link_whole():
    body = '[Zelensky said "we will win this war together"](https://example.com/a) today.'
    quote_at = body.index('"we')
    spans = [render.Span(1, 9, "person"), render.Span(quote_at, body.index(")") - 1, "quote")]
    html = render.render_article(body, spans)
    assert '<a href="https://example.com/a" rel="nofollow noopener">Zelensky said' in html
    assert "data-briefs-person" not in html and "data-briefs-speaker" not in html  # links do not nest


def test_a_sentinel_in_a_link_address_is_dropped():
    body = "[link](https://example.com/“We-will-win”) and more"
    start = body.index("“")
    html = render.render_article(body, [render.Span(start, body.index("”") + 1, "quote")])
    assert "%EE%80%80" not in html and "%EE%80%81" not in html


def test_quote_diff_caps_tokens_as_well_as_words():
    words = sql_functions.LIMITS["briefs_quote_diff"]
    packed = ",".join(["a"] * (words + 1))  # one word as written, many tokens
    assert run("select briefs_quote_diff(:a, :a) is null", {"a": packed}) == (1,)
