"""Permissions everywhere: a table the visitor may not view shows on no plugin page, canned
query (HTML, ``.json``, ``?_shape=array``, ``.csv``, ``.atom``) or table page; nor does a
database they may not view. On Datasette 0.65 and 1.0 alike.

A small archive is built from two versions of one story (two outlets, two people, an altered
quotation), so every table the plugin reads holds rows. Each of those tables is then given a
marker, written into it after the build, that no other table holds (checked first): a table
is "seen" when its marker is in a response. With nothing denied, each marker must be seen
where that table's data belongs (so the test can fail); with the table denied, nowhere.
"""

import asyncio
import re
import sqlite3

import pytest

from datasette_ukraine_briefs.build import build
from datasette_ukraine_briefs.site import canned, sql_functions
from datasette_ukraine_briefs.tables import PART_OF, SEARCHABLE

from .conftest import datasette_for

STORY = """---
outlet: {outlet}
published: {published}
---
{headline}

Defence Minister Anna Berg said on Monday that the northern harbour would reopen before the first winter storms, \
after talks with the port authority in Odesa. "{promise}," Berg told reporters at the quay.

Foreign Minister Tomas Lind backed the plan. "The agreement holds as long as both sides keep every promise they \
made," Lind said after the meeting.

Anna Berg and Tomas Lind will meet the port authority again next week, officials said.

Engineers have already cleared two of the five berths, and dredging of the Zephyrine channel is due to start \
within a fortnight.
"""

# Each table the plugin reads: the update that marks it, and the strings that tell its data.
MARKS = {
    # the article text itself: a word of its last paragraph, in no quotation
    "articles": ("select 1", ("Zephyrine",)),
    "quotes": ("update quotes set text = 'Quillmark ' || text, context = 'Quillmark ' || context", ("Quillmark",)),
    "people": ("update people set role = 'Rolemarkwarden'", ("Rolemarkwarden",)),
    "stories": ("update stories set title = 'Storymarkfable'", ("Storymarkfable",)),
    "article_pairs": ("update article_pairs set kind = 'Pairkindmark', shared_quotes = 97531",
                      ("Pairkindmark", "97531")),
    "quote_pairs": ("""update quote_pairs set similarity = 0.8123457, added = '["Pairmarkquire"]',
                       diff = '[{"op": "equal", "a": "Pairmarkquire", "b": "Pairmarkquire"}]'""",
                    ("Pairmarkquire", "0.8123457", "#qp-", 'id="qp-')),
    "people_alongside": ("update people_alongside set articles = 86421", ("86421",)),
    "article_people": ("update article_people set mentions = 75319", ("75319",)),
    # the links on each mention of a person in an article's text
    "mentions": ("select 1", ('<a class="briefs-person"',)),
}

# Where each table's data belongs, with nothing denied (paths as in ``paths``' keys).
SEEN_IN = {
    "articles": ["article", "article.json", "search?q=zephyr*", "newest_articles.atom", "newest_articles.json"],
    "quotes": ["article.json", "person", "person.json", "search?q=quill*", "quotes_by_person.json",
               "who_said.csv", "altered_quotations.json?_shape=array", "person_feed.atom", "altered.json"],
    "people": ["article", "person.json", "search.json", "search?q=rolemark*", "most_quoted_people.csv"],
    "stories": ["story", "story.json"],
    "article_pairs": ["article", "article.json", "story.json"],
    "quote_pairs": ["article", "article.json", "story", "story.json", "altered", "altered.json",
                    "altered_quotations.json"],
    "people_alongside": ["person", "person.json"],
    "article_people": ["article", "article.json", "person", "person.json", "articles_with_two_people.json"],
    "mentions": ["article", "article.json"],
}

QUERY_ARGS = {
    "quotes_by_person": "person=anna-berg", "who_said": "phrase=Quillmark",
    "articles_with_two_people": "first=anna-berg&second=tomas-lind", "altered_quotations": "speaker=",
    "person_feed": "person=anna-berg",
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("perm")
    for name, outlet, published, headline, promise in (
        ("a.md", "Harbour Gazette", "2026-03-02", "Berg Promises Harbour Reopening Before Winter",
         "We will reopen the northern harbour before the winter storms arrive, whatever the cost"),
        ("b.md", "Coastal Courier", "2026-03-03", "Minister Vows to Reopen Northern Harbour",
         "We shall reopen the northern harbour before winter storms arrive, whatever it costs"),
    ):
        (folder / name).write_text(STORY.format(outlet=outlet, published=published, headline=headline,
                                                promise=promise), encoding="utf-8")
    db = folder / "briefs.db"
    build(db, [folder])
    conn = sqlite3.connect(db)
    for table, (update, _) in MARKS.items():
        assert conn.execute(f"select count(*) from {table}").fetchone()[0], f"{table} is empty"
        conn.execute(update)
    conn.commit()
    conn.close()
    return db


def _ids(db) -> dict:
    conn = sqlite3.connect(db)
    try:
        [article] = conn.execute("select id from articles where outlet = 'Harbour Gazette'").fetchone()
        [story] = conn.execute("select id from stories").fetchone()
    finally:
        conn.close()
    return {"article": article, "story": story}


def paths(db) -> dict[str, str]:
    """Every plugin page, canned query and table page, by a short name."""
    ids = _ids(db)
    base = "/-/briefs/briefs"
    found = {"home": base, "home/": base + "/"}
    # prefixes: the page repeats what was typed, and must not be what gives the mark away
    for q in ("", "zephyr*", "quill*", "rolemark*", "harbour"):
        for fmt in ("", ".json"):
            found[f"search{fmt}" + (f"?q={q}" if q else "")] = f"{base}/search{fmt}" + (f"?q={q}" if q else "")
    for fmt in ("", ".json"):
        found[f"article{fmt}"] = f"{base}/article/{ids['article']}{fmt}"
        found[f"person{fmt}"] = f"{base}/person/anna-berg{fmt}"
        found[f"story{fmt}"] = f"{base}/story/{ids['story']}{fmt}"
        found[f"altered{fmt}"] = f"{base}/altered{fmt}?speaker=anna-berg"
    for name, query in canned.QUERIES.items():
        args = QUERY_ARGS.get(name, "")
        formats = ["", ".json", ".json?_shape=array", ".csv"] + ([".atom"] if "atom_id" in query["sql"] else [])
        for fmt in formats:
            joiner = "&" if "?" in fmt else "?"
            found[name + fmt] = f"/briefs/{name}{fmt}" + (joiner + args if args else "")
    for table in MARKS:
        found[f"table {table}"] = f"/briefs/{table}.json?_shape=array"
        found[f"table page {table}"] = f"/briefs/{table}"
    for table in PART_OF:  # a table holding another's rows in another form (rendered bodies)
        found[f"table {table}"] = f"/briefs/{table}.json?_shape=array"
    for table in SEARCHABLE:  # its full-text index, and the tables that index is kept in
        for shadow in ("", "_data", "_idx", "_docsize", "_config"):
            found[f"table {table}_fts{shadow}"] = f"/briefs/{table}_fts{shadow}.json?_shape=array"
    return found


def seen(text: str, table: str) -> bool:
    text = text.replace('\\"', '"')  # a mark inside a JSON string
    return any(mark in text for mark in MARKS[table][1])


async def fetch_all(ds, db) -> dict[str, object]:
    responses = {}
    for name, path in paths(db).items():
        response = await ds.client.get(path)
        assert response.status_code != 500, (path, response.text[:300])
        responses[name] = response
    return responses


async def started(db, config=None):
    ds = datasette_for(db, config=config)
    await ds.invoke_startup()
    return ds


def deny_table(table: str) -> dict:
    return {"databases": {"briefs": {"tables": {table: {"allow": False}}}}}


def test_each_mark_is_held_by_its_table_alone(archive):
    """Else finding a mark would not tell which table leaked."""
    conn = sqlite3.connect(archive)
    try:
        tables = [row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")]
        for owner, (_, marks) in MARKS.items():
            for mark in marks:
                if mark.startswith(("<a", "#", "id=")):
                    continue  # markup the pages make from the table, not text stored in it
                holders = {t for t in tables if t in MARKS and any(
                    mark in str(value) for row in conn.execute(f"select * from [{t}]") for value in row)}
                assert holders == {owner}, (mark, holders)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def with_nothing_denied(archive):
    async def fetch():
        return await fetch_all(await started(archive), archive)

    return asyncio.run(fetch())


@pytest.mark.parametrize("table", list(MARKS))
def test_with_nothing_denied_each_table_shows_where_it_belongs(with_nothing_denied, table):
    for name in SEEN_IN[table]:
        response = with_nothing_denied[name]
        assert response.status_code == 200, name
        assert seen(response.text, table), f"{table} not seen in {name}"


@pytest.mark.asyncio
@pytest.mark.parametrize("table", list(MARKS))
async def test_a_denied_table_shows_nowhere(archive, table):
    ds = await started(archive, deny_table(table))
    responses = await fetch_all(ds, archive)
    leaks = [name for name, response in responses.items() if seen(response.text, table)]
    assert leaks == [], f"{table} denied, yet seen in {leaks}"
    assert responses[f"table {table}"].status_code == 403
    for name, response in responses.items():
        if name.startswith(f"table {table}_fts"):
            assert response.status_code == 403, name
    for name, query in canned.QUERIES.items():
        status = responses[name + ".json"].status_code
        assert (status in (403, 404)) == (table in query["tables"]), (name, status)
    # what does not need the table still answers
    assert responses["search"].status_code == 200
    # the database page lists only the queries offered (1.0 lists a first few and counts them all)
    page = (await ds.client.get("/briefs.json")).json()
    offered = {name for name, query in canned.QUERIES.items() if table not in query["tables"]}
    listed = {query["name"] for query in page["queries"]}
    assert listed <= offered and page.get("queries_count", len(listed)) == len(offered)


@pytest.mark.asyncio
@pytest.mark.parametrize("table, page, status", [
    ("people_alongside", "person", 200), ("article_people", "person", 200), ("quote_pairs", "story", 200),
    ("mentions", "article", 200), ("stories", "article", 200), ("quote_pairs", "article", 200),
    ("stories", "story", 403), ("people", "article", 403), ("quote_pairs", "altered", 403),
    ("articles", "search", 200), ("quotes", "person", 403),
])
async def test_a_page_either_requires_a_table_or_leaves_its_section_out(archive, table, page, status):
    ds = await started(archive, deny_table(table))
    response = await ds.client.get(paths(archive)[page])
    assert response.status_code == status


@pytest.mark.asyncio
async def test_an_old_article_id_leads_to_the_article_only_where_redirects_may_be_viewed(archive, tmp_path):
    import shutil

    db = tmp_path / "briefs.db"
    shutil.copy(archive, db)
    article = _ids(db)["article"]
    conn = sqlite3.connect(db)
    conn.execute("insert into article_redirects (old_id, new_id, since) values ('0ld1d', ?, '2026-03-04')", [article])
    conn.commit()
    conn.close()
    old = "/-/briefs/briefs/article/0ld1d"
    assert (await (await started(db)).client.get(old)).status_code == 302
    denied = await (await started(db, deny_table("article_redirects"))).client.get(old)
    assert denied.status_code == 404 and article not in denied.text


@pytest.mark.asyncio
async def test_a_denied_database_answers_403_everywhere(archive):
    ds = await started(archive, {"databases": {"briefs": {"allow": False}}})
    responses = await fetch_all(ds, archive)
    for name, response in responses.items():
        assert response.status_code in (403, 404), name
        assert not any(seen(response.text, table) for table in MARKS), name
    assert responses["home"].status_code == 403  # it used to redirect to the search page
    assert "/-/briefs/briefs" not in (await ds.client.get("/")).text


@pytest.mark.asyncio
async def test_no_link_to_a_search_page_the_visitor_may_not_open(archive):
    tables = {table: {"allow": False} for table in ("articles", "quotes", "people", "stories")}
    ds = await started(archive, {"databases": {"briefs": {"tables": tables}}})
    assert (await ds.client.get("/-/briefs/briefs/search")).status_code == 403
    assert (await ds.client.get("/-/briefs/briefs")).status_code == 403
    assert "/-/briefs/briefs/search" not in (await ds.client.get("/")).text
    assert "Search articles, quotations, people and stories" not in (await ds.client.get("/briefs")).text
    open_ds = await started(archive, deny_table("quotes"))
    assert "/-/briefs/briefs/search" in (await open_ds.client.get("/")).text
    assert "Search articles, quotations, people and stories" in (await open_ds.client.get("/briefs")).text


@pytest.mark.asyncio
async def test_what_an_actor_may_view_is_decided_for_that_actor(archive):
    config = {"databases": {"briefs": {"tables": {"quotes": {"allow": {"id": "editor"}}}}}}
    ds = await started(archive, config)
    editor = {"ds_actor": ds.sign({"a": {"id": "editor"}}, "actor")}
    for path in ("/briefs/quotes_by_person.json?person=anna-berg", "/briefs/person_feed.atom?person=anna-berg",
                 paths(archive)["person.json"]):
        anonymous = await ds.client.get(path)
        assert anonymous.status_code in (403, 404) and "Quillmark" not in anonymous.text, path
        allowed = await ds.client.get(path, cookies=editor)
        assert allowed.status_code == 200 and "Quillmark" in allowed.text, path


# The tables behind an FTS5 index, read through it.
FTS_SHADOW = re.compile(r"_fts_(config|data|idx|docsize|content)$")


def _tables_read(conn, sql: str) -> set[str]:
    """The tables SQLite reads to run ``sql``, as its authorizer is told when preparing it."""
    read = set()

    def authorizer(action, arg1, arg2, db_name, trigger):
        if action == sqlite3.SQLITE_READ and arg1:
            read.add(arg1)
        return sqlite3.SQLITE_OK

    conn.set_authorizer(authorizer)
    try:
        conn.execute("explain " + sql, {name: None for name in _parameters(sql)}).fetchall()
    finally:
        conn.set_authorizer(None)
    return {table for table in read if not table.startswith("sqlite_") and not FTS_SHADOW.search(table)}


def _parameters(sql: str) -> set[str]:
    return set(re.findall(r":(\w+)", sql))


@pytest.mark.parametrize("name", list(canned.QUERIES))
def test_each_query_declares_the_tables_it_reads(archive, name):
    conn = sqlite3.connect(archive)
    sql_functions.register(conn)
    conn.create_function("escape_fts", 1, lambda text: text)  # Datasette's, not the plugin's
    try:
        assert _tables_read(conn, canned.QUERIES[name]["sql"]) == set(canned.QUERIES[name]["tables"])
    finally:
        conn.close()


@pytest.mark.asyncio
async def test_one_request_asks_about_each_table_once(archive, monkeypatch):
    """Datasette 0.65 asks the canned_queries hook once per query on a database page: the
    answers are kept for the request, and for that request alone."""
    from datasette_ukraine_briefs.site import databases

    asked = []
    real = databases._can_view_table

    async def counting(datasette, actor, database, table):
        asked.append((database, table))
        return await real(datasette, actor, database, table)

    monkeypatch.setattr(databases, "_can_view_table", counting)
    ds = await started(archive, deny_table("quotes"))
    for _ in range(2):
        asked.clear()
        assert (await ds.client.get("/briefs.json")).status_code == 200
        assert asked and len(asked) == len(set(asked)), asked


@pytest.mark.asyncio
async def test_rendered_bodies_follow_a_permissions_block_on_articles(archive):
    """Datasette 1.0's table-level ``permissions`` block on ``articles`` holds for
    ``article_html`` too, which keeps the same bodies rendered (0.65 has no such block)."""
    if not hasattr(datasette_for(archive), "allowed"):
        pytest.skip("Datasette 0.65 has no permissions blocks: its allow blocks are tested above")
    config = {"databases": {"briefs": {"tables": {"articles": {"permissions": {"view-table": False}}}}}}
    ds = await started(archive, config)
    assert (await ds.client.get("/briefs/articles.json")).status_code == 403
    response = await ds.client.get("/briefs/article_html.json?_shape=array")
    assert response.status_code == 403 or not seen(response.text, "articles")
