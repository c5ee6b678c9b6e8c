"""The plugin through Datasette: SQL functions, rendered pages, JSON twins, links, errors."""

import json
import re
import shutil
import sqlite3

import pytest

from .conftest import datasette_for, query


async def sql(ds, statement, params=None, database="briefs"):
    """Rows of a query through the JSON API, on either Datasette line."""
    path = f"/{database}/-/query.json" if hasattr(ds.urls, "database_query") else f"/{database}.json"
    response = await ds.client.get(path, params={"sql": statement, "_shape": "array", **(params or {})})
    assert response.status_code == 200, response.text
    return response.json()


def briefs_with(*paths, **settings):
    """Datasette over these databases with these plugin settings."""
    return datasette_for(*paths, config={"plugins": {"datasette-ukraine-briefs": settings}})


def article_id(seeds_db, where):
    return sqlite3.connect(seeds_db).execute(f"select id from articles where {where}").fetchone()[0]


# --- SQL functions ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_briefs_markdown_renders_and_sanitizes(ds):
    [row] = await sql(ds, "select briefs_markdown(:md) as html", {"md": "## Hi\n\n*x* <script>alert(1)</script>[a](javascript:b)"})
    assert row["html"].startswith("<h2>Hi</h2>")
    assert "<em>x</em>" in row["html"]
    assert "<script" not in row["html"] and "&lt;script&gt;alert(1)" in row["html"]  # raw HTML is text
    assert 'href="javascript' not in row["html"]  # the link is refused: it stays as text


@pytest.mark.asyncio
async def test_briefs_quotes_finds_quotations_and_speakers(ds):
    text = 'The minister, Anna Berg, said: "We will not give up the harbour." She added: "Never."'
    [row] = await sql(ds, "select briefs_quotes(:t) as q", {"t": text})
    quotes = json.loads(row["q"])
    assert quotes[0]["text"] == "We will not give up the harbour."
    assert quotes[0]["speaker"] == "Anna Berg"
    assert text[quotes[0]["start"]:quotes[0]["end"]] == quotes[0]["text"]
    assert {"speaker_descr", "verb", "paragraph", "in_headline"} <= set(quotes[0])


@pytest.mark.asyncio
async def test_briefs_quotes_is_what_the_loader_stored(ds):
    rows = await sql(ds, "select body, (select json_group_array(text) from (select text from quotes q where q.article_id = a.id and not in_headline order by start)) as stored, briefs_quotes(body) as fresh from articles a")
    for row in rows:
        assert [q["text"] for q in json.loads(row["fresh"])] == json.loads(row["stored"])


@pytest.mark.asyncio
async def test_briefs_people_lists_people_with_roles_and_forms(ds):
    [row] = await sql(ds, "select briefs_people(:t) as p", {"t": "Finnish Prime Minister Anna Berg spoke. Later Ms Berg left."})
    [person] = json.loads(row["p"])
    assert person["name"] == "Anna Berg"
    assert "Prime Minister" in person["role"]
    assert {"Anna Berg", "Ms Berg"} <= set(person["aliases"])


@pytest.mark.asyncio
async def test_briefs_similarity_and_quote_diff(ds):
    [row] = await sql(
        ds,
        "select briefs_similarity(:a, :a) as same, briefs_similarity(:a, :b) as other, briefs_quote_diff(:q1, :q2) as diff",
        {"a": "The talks in Geneva ended without a deal on Monday.", "b": "Bananas are rich in potassium.",
         "q1": "We just haven't got that number available", "q2": "We simply don't have that number available"},
    )
    assert row["same"] == 1.0 and row["other"] < 0.2
    diff = json.loads(row["diff"])
    assert diff["removed"] == ["just haven't got"] and diff["added"] == ["simply don't have"]


@pytest.mark.asyncio
async def test_sql_functions_return_null_for_null_and_never_raise(ds):
    [row] = await sql(ds, "select briefs_markdown(null) a, briefs_quotes(null) b, briefs_people(null) c, "
                          "briefs_similarity(null, 'x') d, briefs_quote_diff('x', null) e, "
                          "briefs_quotes(x'00ff') f, briefs_similarity(1, 2.5) g, briefs_people('“‘\"') h")
    assert [row[k] for k in "abcde"] == [None] * 5
    assert json.loads(row["f"]) == [] and row["g"] == 0.0 and json.loads(row["h"]) == []


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_article_page_highlights_quotes_and_links_people(ds, seeds_db):
    aid = article_id(seeds_db, "source_file like 'seeds/001%' and position = 3")
    response = await ds.client.get(f"/-/briefs/briefs/article/{aid}")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Starmer Suggests UK Troops for Ukraine Border Force" in page
    assert 'class="briefs-dateline">London<' in page
    assert '<mark class="briefs-quote"' in page
    assert "We just haven't got that number available," in page
    # the speaker label, marked as found from a pronoun ("he warned")
    assert ('<sup class="briefs-speaker briefs-inferred"><a href="/-/briefs/briefs/person/lord-dannatt">Lord Dannatt</a>'
            ' <span class="briefs-check" title="speaker inferred from a pronoun: check">') in page
    assert '<a class="briefs-person" href="/-/briefs/briefs/person/malcolm-chalmers"' in page  # a mention
    assert f'href="/briefs/articles/{aid}"' in page and f'href="/-/briefs/briefs/article/{aid}.json"' in page


@pytest.mark.asyncio
async def test_article_json_twin_has_the_same_content(ds, seeds_db):
    aid = article_id(seeds_db, "source_file like 'seeds/002%'")
    page = (await ds.client.get(f"/-/briefs/briefs/article/{aid}")).text
    for url in (f"/-/briefs/briefs/article/{aid}.json", f"/-/briefs/briefs/article/{aid}?_format=json"):
        data = (await ds.client.get(url)).json()
        assert data["article"]["id"] == aid
        assert len(data["article"]["images"]) == 2
        assert all(image["url"] in page for image in data["article"]["images"])
        assert {p["name"] for p in data["people"]} >= {"Keir Starmer", "Emmanuel Macron"}
        assert all(q["text"].replace("'", "&#39;")[:20] in page or q["text"][:20] in page for q in data["quotes"])
        assert data["article"]["body_html"] in page


@pytest.mark.asyncio
async def test_person_page_lists_every_quotation_articles_and_companions(ds):
    response = await ds.client.get("/-/briefs/briefs/person/malcolm-chalmers")
    assert response.status_code == 200
    data = (await ds.client.get("/-/briefs/briefs/person/malcolm-chalmers.json")).json()
    assert data["person"]["name"] == "Malcolm Chalmers"
    assert "deputy director of the Royal United Services Institute" in data["person"]["role"]
    texts = [q["text"] for q in data["quotes"]]
    assert len(texts) == data["person"]["quote_count"] >= 6
    assert any(t.startswith("You need credible") for t in texts) and any(t.startswith("You require credible") for t in texts)
    for quote in data["quotes"]:
        assert quote["text"] in response.text.replace("&#39;", "'")
        assert quote["article_url"] in response.text
    assert {a["source_file"] for a in data["articles"]} == {"seeds/000_5bd0019754035440.txt", "seeds/001_ef8b4a5962583c26.txt"}
    assert "Keir Starmer" in {p["name"] for p in data["alongside"]}


@pytest.mark.asyncio
async def test_person_page_shows_the_newest_quotations_and_links_to_the_rest(seeds_db):
    ds = briefs_with(seeds_db, person_list_size=2)
    data = (await ds.client.get("/-/briefs/briefs/person/malcolm-chalmers.json")).json()
    assert len(data["quotes"]) == len(data["articles"]) == 2 < data["person"]["quote_count"]
    page = (await ds.client.get("/-/briefs/briefs/person/malcolm-chalmers")).text
    assert f"The newest 2 of {data['person']['quote_count']} are shown" in page
    assert 'href="/briefs/quotes?person_id=malcolm-chalmers"' in page


@pytest.mark.asyncio
@pytest.mark.parametrize("q", ["backstop", "kyiv-based", '"US backstop', "#", "(unbalanced", "NEAR(", "", "  ", "x*", "'; drop table articles; --"])
async def test_search_accepts_anything_typed(ds, q):
    response = await ds.client.get("/-/briefs/briefs/search", params={"q": q})
    assert response.status_code == 200, q
    data = (await ds.client.get("/-/briefs/briefs/search.json", params={"q": q})).json()
    assert set(data["results"]) == {"articles", "quotes", "people", "stories"}


@pytest.mark.asyncio
async def test_search_ranks_counts_and_marks_results(ds):
    data = (await ds.client.get("/-/briefs/briefs/search.json", params={"q": "Chalmers"})).json()
    assert data["results"]["people"]["rows"][0]["label"] == "Malcolm Chalmers"
    assert data["results"]["articles"]["count"] == 2
    assert data["results"]["quotes"]["count"] >= 1  # the speaker is indexed with the text
    snippet = data["results"]["articles"]["rows"][0]["snippet_html"]
    assert "<mark>Chalmers</mark>" in snippet
    page = (await ds.client.get("/-/briefs/briefs/search", params={"q": "Chalmers"})).text
    assert data["results"]["people"]["rows"][0]["url"] in page


@pytest.mark.asyncio
async def test_search_counts_every_match_when_the_rows_are_cut_short(seeds_db):
    ds = briefs_with(seeds_db, search_page_size=1)
    data = (await ds.client.get("/-/briefs/briefs/search.json", params={"q": "Chalmers"})).json()
    assert len(data["results"]["articles"]["rows"]) == 1
    assert data["results"]["articles"]["count"] == 2


def test_search_out_of_time_is_an_error_not_a_syntax_error(seeds_db):
    """Only a syntax error sends the query on to its quoted form; a time-out must not read as
    "nothing found", but as not finished."""
    from datasette_ukraine_briefs.site.search import _search

    conn = sqlite3.connect(seeds_db)
    conn.set_progress_handler(lambda: 1, 1)  # what Datasette's time limit does when it runs out
    used, found = _search(conn, "(backstop", "articles", 20, 0)
    assert used is None and found == {"count": None, "rows": [], "timed_out": True}


@pytest.mark.asyncio
async def test_search_snippets_escape_article_markup(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.md").write_text("Hostile Headline Here\n\nThe <b>zebra</b> & <script>alert(1)</script> zebra ran.\n")
    from datasette_ukraine_briefs.build import build

    build(tmp_path / "h.db", [folder])
    ds = datasette_for(tmp_path / "h.db")
    data = (await ds.client.get("/-/briefs/h/search.json", params={"q": "zebra"})).json()
    snippet = data["results"]["articles"]["rows"][0]["snippet_html"]
    assert "&lt;b&gt;<mark>zebra</mark>&lt;/b&gt; &amp; &lt;script&gt;" in snippet


@pytest.mark.asyncio
async def test_search_page_without_query_shows_most_quoted_people(ds):
    data = (await ds.client.get("/-/briefs/briefs/search.json")).json()
    assert data["most_quoted"][0]["name"] == "Keir Starmer"
    assert len(data["latest_articles"]) == 9
    assert (await ds.client.get("/-/briefs/briefs")).status_code == 302


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "path,status",
    [
        ("/-/briefs/briefs/article/0000000000000000", 404),
        ("/-/briefs/briefs/person/no-such-person", 404),
        ("/-/briefs/briefs/person/no-such-person.json", 404),
        ("/-/briefs/elsewhere/search", 404),
        ("/-/briefs/briefs/search?_format=xml", 400),
        ("/-/briefs/briefs/search?q=" + "x" * 600, 400),
        ("/-/briefs/briefs/person/~00~ff", 404),
        ("/-/briefs/briefs/article/~zz", 404),
    ],
)
async def test_bad_paths_are_404_or_400_never_500(ds, path, status):
    assert (await ds.client.get(path)).status_code == status


@pytest.mark.asyncio
async def test_story_page_and_json(ds, seeds_db):
    [story] = query(seeds_db, "select id from stories where article_count = 5")
    page = await ds.client.get(f"/-/briefs/briefs/story/{story['id']}")
    assert page.status_code == 200
    data = (await ds.client.get(f"/-/briefs/briefs/story/{story['id']}.json")).json()
    assert len(data["articles"]) == 5 and len(data["pairs"]) == 10
    assert all(article["url"] in page.text for article in data["articles"])
    starmer = next(p for p in data["quote_pairs"] if p["text_b"].startswith("A US security guarantee"))
    assert "<del>assurance was</del>" in starmer["diff_a_html"] and "<ins>guarantee is</ins>" in starmer["diff_b_html"]
    assert starmer["diff_b_html"] in page.text
    assert data["timeline_svg"] is None  # no dates in the seeds: no chart, no error


@pytest.mark.asyncio
async def test_article_page_lists_coverage_and_flags_altered_quotes(ds, seeds_db):
    [article] = query(seeds_db, "select id from articles where source_file like 'seeds/001%' and position = 3")
    data = (await ds.client.get(f"/-/briefs/briefs/article/{article['id']}.json")).json()
    assert len(data["coverage"]["articles"]) == 4
    dannatt = next(q for q in data["quotes"] if q["text"].startswith("We just haven"))
    [elsewhere] = dannatt["elsewhere"]
    assert elsewhere["kind"] == "altered" and elsewhere["text"].startswith("We simply don’t have")
    page = (await ds.client.get(f"/-/briefs/briefs/article/{article['id']}")).text
    assert 'class="briefs-quote briefs-altered"' in page
    assert elsewhere["url"] in page and "Other coverage of this story" in page


@pytest.mark.asyncio
async def test_altered_page_filters_by_speaker_and_outlet(ds, variants):
    everything = (await ds.client.get("/-/briefs/briefs/altered.json")).json()
    assert {p["kind"] for p in everything["pairs"]} == {"altered"}
    assert {s["id"] for s in everything["speakers"]} >= {"keir-starmer", "lord-dannatt"}
    dannatt = (await ds.client.get("/-/briefs/briefs/altered.json?speaker=lord-dannatt")).json()
    assert [p["speaker"] for p in dannatt["pairs"]] == ["Lord Dannatt"]
    page = (await ds.client.get("/-/briefs/briefs/altered?speaker=lord-dannatt")).text
    assert "<del>simply don’t have</del>" in page
    nothing = (await ds.client.get("/-/briefs/briefs/altered.json?outlet=Nowhere")).json()
    assert nothing["pairs"] == []
    by_outlet = (await datasette_for(variants).client.get("/-/briefs/v/altered.json?outlet=Paper+C")).json()
    assert all("Paper C" in (p["outlet_a"], p["outlet_b"]) for p in by_outlet["pairs"])


@pytest.mark.asyncio
async def test_person_and_story_timelines_with_dates(variants):
    ds = datasette_for(variants)
    data = (await ds.client.get("/-/briefs/v/person/keir-starmer.json")).json()
    svg = data["timeline_svg"]
    assert svg.startswith("<svg") and "2026-01-06" in svg and "Quotations" in svg and "Mentions" in svg
    [story] = query(variants, "select id from stories where article_count = 3")
    story_page = (await ds.client.get(f"/-/briefs/v/story/{story['id']}")).text
    assert "<svg" in story_page and "Paper B: 1 on 2026-01-07" in story_page


# --- joined up with Datasette ----------------------------------------------------------------


@pytest.mark.asyncio
async def test_table_pages_link_to_rendered_pages(ds):
    people = (await ds.client.get("/briefs/people")).text
    assert '<a href="/-/briefs/briefs/person/malcolm-chalmers">Malcolm Chalmers</a>' in people
    articles = (await ds.client.get("/briefs/articles")).text
    assert '<a href="/-/briefs/briefs/article/' in articles
    quotes = (await ds.client.get("/briefs/quotes?speaker=Lord+Dannatt")).text
    assert '<a href="/-/briefs/briefs/person/lord-dannatt">Lord Dannatt</a>' in quotes


@pytest.mark.asyncio
async def test_database_page_and_menu_link_to_search(ds):
    page = (await ds.client.get("/briefs")).text
    assert 'href="/-/briefs/briefs/search"' in page


@pytest.mark.asyncio
async def test_css_is_served_and_linked(ds):
    page = (await ds.client.get("/-/briefs/briefs/search")).text
    assert "/-/static-plugins/datasette-ukraine-briefs/briefs.css" in page
    assert (await ds.client.get("/-/static-plugins/datasette-ukraine-briefs/briefs.css")).status_code == 200


@pytest.mark.asyncio
async def test_pages_and_links_respect_base_url(seeds_db):
    """Served under a prefix (``--setting base_url /news/``), every link the plugin writes
    carries it, and each leads somewhere. Datasette's test client adds the prefix itself."""
    ds = datasette_for(seeds_db, settings={"base_url": "/news/"})
    [story] = query(seeds_db, "select id from stories where article_count = 5")
    pages = ["/-/briefs/briefs/search?q=Dannatt", "/-/briefs/briefs/person/lord-dannatt",
             f"/-/briefs/briefs/story/{story['id']}", "/-/briefs/briefs/altered", "/briefs/quotes", "/briefs"]
    followed = set()
    for path in pages:
        response = await ds.client.get(path)
        assert response.status_code == 200, path
        links = re.findall(r'href="(/[^"#]*)', response.text)
        assert links and all(link.startswith("/news/") for link in links), path
        plugin_links = {link for link in links if link.startswith("/news/-/briefs/")}
        assert plugin_links, path
        followed |= set(sorted(plugin_links)[:5])
    for link in sorted(followed):
        assert (await ds.client.get(link.removeprefix("/news"))).status_code == 200, link
    data = (await ds.client.get("/-/briefs/briefs/search.json?q=Dannatt")).json()
    urls = [row["url"] for kind in data["results"].values() for row in kind["rows"]]
    assert urls and all(url.startswith("/news/-/briefs/briefs/") for url in urls)


@pytest.mark.asyncio
async def test_any_database_name_and_other_databases_left_alone(seeds_db, tmp_path):
    renamed = tmp_path / "archive_2025.db"
    shutil.copy(seeds_db, renamed)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table people (id text primary key, name text)").connection.execute(
        "insert into people values ('x', 'Someone')").connection.commit()
    ds = datasette_for(renamed, other)
    assert (await ds.client.get("/-/briefs/archive_2025/person/malcolm-chalmers")).status_code == 200
    assert (await ds.client.get("/-/briefs/other/search")).status_code == 404
    assert '<a href="/-/briefs/other/' not in (await ds.client.get("/other/people")).text


@pytest.mark.asyncio
async def test_permissions_hold_on_plugin_pages(seeds_db):
    config = {"databases": {"briefs": {"tables": {"quotes": {"allow": False}}}}}
    ds = datasette_for(seeds_db, config=config)
    assert (await ds.client.get("/briefs/quotes")).status_code == 403
    assert (await ds.client.get("/-/briefs/briefs/person/malcolm-chalmers")).status_code == 403
    data = (await ds.client.get("/-/briefs/briefs/search.json", params={"q": "Chalmers"})).json()
    assert set(data["results"]) == {"articles", "people", "stories"}
