"""Pages of search results and altered quotations, speakers by name, the most quoted, and the
plugin's settings: what users ran into, on both Datasette lines."""

import pytest
from datasette.utils import StartupError

from datasette_ukraine_briefs.site.config import DEFAULTS, parse_settings

from .conftest import datasette_for, query

PLUGIN = "datasette-ukraine-briefs"


async def started(*paths, **settings):
    ds = datasette_for(*paths, config={"plugins": {PLUGIN: settings}})
    await ds.invoke_startup()
    return ds


async def walk(ds, url, key):
    """Every row of a paged JSON answer, following next_url; and the pages' answers."""
    rows, pages = [], []
    while url:
        response = await ds.client.get(url)
        assert response.status_code == 200, response.text
        data = response.json()
        found = data["results"][key] if key else data
        rows += found["rows"] if key else found["pairs"]
        pages.append(data)
        url = found["next_url"]
        assert len(pages) < 50
    return rows, pages


@pytest.mark.asyncio
@pytest.mark.parametrize("kind,q", [("articles", "Ukraine"), ("quotes", "the"), ("people", "Keir OR Lord OR Malcolm")])
async def test_every_search_result_can_be_reached_page_by_page(seeds_db, kind, q):
    ds = await started(seeds_db, search_page_size=2)
    first = (await ds.client.get("/-/briefs/briefs/search.json", params={"q": q})).json()
    count = first["results"][kind]["count"]
    assert count > 2 and first["results"][kind]["next"] == "2"
    rows, pages = await walk(ds, first["results"][kind]["next_url"], kind)
    rows = first["results"][kind]["rows"] + rows
    assert len(rows) == count and len({(r["id"], r.get("article_id")) for r in rows}) == count
    assert pages[-1]["kind"] == kind and set(pages[-1]["results"]) == {kind}
    assert pages[-1]["results"][kind]["next"] is None and pages[-1]["previous_url"]


@pytest.mark.asyncio
async def test_search_page_links_to_the_next_and_previous_pages(seeds_db):
    ds = await started(seeds_db, search_page_size=2)
    page = (await ds.client.get("/-/briefs/briefs/search", params={"q": "Ukraine"})).text
    assert 'rel="next" href="/-/briefs/briefs/search?q=Ukraine&amp;kind=articles&amp;_next=2"' in page
    second = (await ds.client.get("/-/briefs/briefs/search?q=Ukraine&kind=articles&_next=2")).text
    assert 'rel="prev" href="/-/briefs/briefs/search?q=Ukraine&amp;kind=articles"' in second
    assert '<ol start="3">' in second and 'id="quotes"' not in second


@pytest.mark.asyncio
async def test_the_default_page_of_search_results_has_a_next_page(tmp_path):
    """The trap: 708 articles matched, 20 listed, and no way to the rest."""
    from datasette_ukraine_briefs.build import build

    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(25):
        (folder / f"{n:02}.md").write_text(f"Zebra Report Number {n}\n\nThe zebra herd {n} crossed the river {'again ' * n}today.\n")
    build(tmp_path / "z.db", [folder])
    ds = datasette_for(tmp_path / "z.db")
    data = (await ds.client.get("/-/briefs/z/search.json?q=zebra")).json()
    found = data["results"]["articles"]
    assert found["count"] == 25 and len(found["rows"]) == DEFAULTS.search_page_size == 20
    rest = (await ds.client.get(found["next_url"])).json()
    assert len(rest["results"]["articles"]["rows"]) == 5 and rest["next"] is None


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["search?q=x&_next=abc", "search?q=x&_next=-1", "search?q=x&_next=99999999",
                                  "search?q=x&kind=nothing", "altered?_next=1e3", "altered?_next=%EF%BC%91"])
async def test_bad_page_tokens_are_400(ds, path):
    assert (await ds.client.get(f"/-/briefs/briefs/{path}")).status_code == 400


@pytest.mark.asyncio
async def test_offsets_are_capped(seeds_db):
    ds = await started(seeds_db, search_page_size=2, max_offset=4)
    assert (await ds.client.get("/-/briefs/briefs/search.json?q=Ukraine&kind=articles&_next=6")).status_code == 400
    data = (await ds.client.get("/-/briefs/briefs/search.json?q=Ukraine&kind=articles&_next=4")).json()
    assert data["next"] is None  # the next page would start past the cap


@pytest.mark.asyncio
async def test_altered_quotations_page_by_page(seeds_db):
    ds = await started(seeds_db, altered_page_size=3)
    first = (await ds.client.get("/-/briefs/briefs/altered.json")).json()
    assert len(first["pairs"]) == 3 and first["next"] == "3"
    rows, pages = await walk(ds, first["next_url"], None)
    everything = first["pairs"] + rows
    [total] = query(seeds_db, "select count(*) as n from quote_pairs where kind = 'altered'")
    assert len(everything) == total["n"] and len({(p["quote_a"], p["quote_b"]) for p in everything}) == total["n"]
    page = (await ds.client.get("/-/briefs/briefs/altered")).text
    assert 'rel="next" href="/-/briefs/briefs/altered?_next=3"' in page


@pytest.mark.asyncio
@pytest.mark.parametrize("speaker", ["keir-starmer", "Keir Starmer", "keir starmer", "Starmer", " Sir Keir "])
async def test_altered_speaker_by_id_name_or_part_of_it(ds, speaker):
    data = (await ds.client.get("/-/briefs/briefs/altered.json", params={"speaker": speaker})).json()
    assert data["pairs"] and {p["speaker"] for p in data["pairs"]} == {"Keir Starmer"}
    assert [p["name"] for p in data["speakers_matched"]] == ["Keir Starmer"]


@pytest.mark.asyncio
async def test_altered_speaker_matching_several_or_nobody(ds):
    data = (await ds.client.get("/-/briefs/briefs/altered.json", params={"speaker": "Lord"})).json()
    assert {p["name"] for p in data["speakers_matched"]} >= {"Lord Dannatt"}
    nobody = await ds.client.get("/-/briefs/briefs/altered", params={"speaker": "Nobody Atall"})
    assert nobody.status_code == 200 and "No one called “Nobody Atall”" in nobody.text
    page = (await ds.client.get("/-/briefs/briefs/altered", params={"speaker": "Starmer"})).text
    assert "“Starmer” matched <a href=\"/-/briefs/briefs/person/keir-starmer\">Keir Starmer</a>" in page


@pytest.mark.asyncio
async def test_most_quoted_lists_only_people_quoted(ds, seeds_db):
    data = (await ds.client.get("/-/briefs/briefs/search.json")).json()
    quoted = query(seeds_db, "select id from people where quote_count > 0")
    assert data["most_quoted"] and all(p["quote_count"] > 0 for p in data["most_quoted"])
    assert len(data["most_quoted"]) == min(len(quoted), DEFAULTS.most_quoted)


@pytest.mark.asyncio
async def test_landing_lists_are_settings(seeds_db):
    ds = await started(seeds_db, most_quoted=2, latest_articles=0)
    data = (await ds.client.get("/-/briefs/briefs/search.json")).json()
    assert len(data["most_quoted"]) == 2 and data["latest_articles"] == []


@pytest.mark.asyncio
async def test_databases_setting_chooses_what_the_plugin_serves(seeds_db, tmp_path):
    import shutil

    other = tmp_path / "second.db"
    shutil.copy(seeds_db, other)
    ds = await started(seeds_db, other, databases=["second"])
    assert (await ds.client.get("/-/briefs/briefs/search")).status_code == 404
    assert (await ds.client.get("/-/briefs/second/search")).status_code == 200
    assert (await ds.client.get("/briefs/most_quoted_people.json")).status_code == 404
    assert (await ds.client.get("/second/most_quoted_people.json")).status_code == 200
    assert 'href="/briefs/article_fingerprints"' in (await ds.client.get("/briefs")).text  # left alone


@pytest.mark.asyncio
async def test_the_pages_live_under_the_prefix_the_settings_give(seeds_db):
    ds = await started(seeds_db, url_prefix="/-/archive/")
    assert (await ds.client.get("/-/briefs/briefs/search")).status_code == 404
    page = await ds.client.get("/-/archive/briefs/search?q=backstop")
    assert page.status_code == 200 and 'href="/-/archive/briefs/article/' in page.text
    data = (await ds.client.get("/-/archive/briefs/search.json?q=backstop")).json()
    assert data["results"]["articles"]["rows"][0]["url"].startswith("/-/archive/briefs/article/")
    [article] = query(seeds_db, "select id from articles limit 1")
    assert (await ds.client.get(f"/-/archive/briefs/article/{article['id']}")).status_code == 200
    assert "/-/archive/briefs/search" in (await ds.client.get("/briefs")).text  # the database page's link


@pytest.mark.asyncio
async def test_a_database_named_that_is_not_served_stops_startup(seeds_db):
    ds = datasette_for(seeds_db, config={"plugins": {PLUGIN: {"databases": ["nowhere"]}}})
    with pytest.raises(StartupError, match="nowhere"):
        await ds.invoke_startup()


@pytest.mark.parametrize("raw,message", [
    ({"search_page_size": 0}, "search_page_size must be a whole number from 1 to 200"),
    ({"search_page_size": "20"}, "not '20'"),
    ({"feed_length": True}, "feed_length"),
    ({"max_offset": -1}, "max_offset"),
    ({"databases": "x"}, None),
    ({"databases": [1]}, "databases must be a list"),
    ({"table_settings": "no"}, "table_settings must be true or false"),
    ({"page_size": 5}, "unknown setting page_size"),
    ({"url_prefix": "/briefs"}, "url_prefix must be a path under /-/"),
    ({"url_prefix": "/-/a b"}, "url_prefix"),
    ({"url_prefix": 3}, "url_prefix"),
    ([1], "must be a mapping"),
])
def test_settings_are_checked(raw, message):
    if message is None:
        assert parse_settings(raw).databases == ("x",)
        return
    with pytest.raises(StartupError, match=message):
        parse_settings(raw)


def test_default_settings_are_what_the_pages_did_before():
    assert parse_settings(None) == parse_settings({}) == DEFAULTS
    assert (DEFAULTS.search_page_size, DEFAULTS.person_list_size, DEFAULTS.altered_page_size, DEFAULTS.feed_length,
            DEFAULTS.most_quoted, DEFAULTS.latest_articles) == (20, 100, 200, 50, 15, 15)
