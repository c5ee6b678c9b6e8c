"""Browsing as the plugin sets it up for any briefs database, whatever its name and without
metadata; the owner's settings winning; canned queries and Atom feeds; on both Datasette lines."""

import shutil
import sqlite3
from xml.etree import ElementTree as ET

import pytest
import pytest_asyncio

from datasette_ukraine_briefs.site.browsing import BROWSE, table_settings
from datasette_ukraine_briefs.tables import TABLES as DECLARED

from .conftest import METADATA, datasette_for

TABLES = {name: table_settings(name) for name in BROWSE}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest_asyncio.fixture
async def mine(seeds_db, tmp_path):
    """The seeds served as mine.db, with no metadata at all."""
    path = tmp_path / "mine.db"
    shutil.copy(seeds_db, path)
    datasette = datasette_for(path)
    await datasette.invoke_startup()
    return datasette


async def table_json(ds, table, query="", database="mine"):
    response = await ds.client.get(f"/{database}/{table}.json?_extra=facet_results&{query}")
    assert response.status_code == 200, response.text
    return response.json()


def facet_names(data):
    results = data["facet_results"]
    return set(results.get("results", results))


def facet_name(facet):
    """A configured facet's key in the results: the column, for column, array and date facets."""
    return facet if isinstance(facet, str) else next(iter(facet.values()))


@pytest.mark.asyncio
@pytest.mark.parametrize("table", [t for t, config in TABLES.items() if config.get("facets")])
async def test_configured_facets_are_served(mine, table):
    data = await table_json(mine, table)
    assert {facet_name(f) for f in TABLES[table]["facets"]} <= facet_names(data)


@pytest.mark.asyncio
@pytest.mark.parametrize("table", [t for t, config in TABLES.items() if config.get("sort_desc") or config.get("sort")])
async def test_configured_sort_orders_rows(mine, table):
    config = TABLES[table]
    column = config.get("sort_desc") or config["sort"]
    rows = (await table_json(mine, table, "_shape=objects&_size=max"))["rows"]
    values = [row[column] for row in rows if row[column] is not None]
    assert values == sorted(values, reverse="sort_desc" in config)


@pytest.mark.asyncio
@pytest.mark.parametrize("table", [t for t, config in TABLES.items() if config.get("sortable_columns")])
async def test_sortable_columns_sort(mine, table):
    for column in TABLES[table]["sortable_columns"]:
        rows = (await table_json(mine, table, f"_sort_desc={column}&_shape=objects&_size=max"))["rows"]
        values = [row[column] for row in rows if row[column] is not None]
        assert values == sorted(values, reverse=True), column


@pytest.mark.asyncio
async def test_hidden_tables_stay_off_the_index(mine):
    page = (await mine.client.get("/mine")).text
    for table in DECLARED:
        listed = f'href="/mine/{table.name}"' in page
        assert listed is not table.hidden, table.name
    assert 'href="/mine/article_fingerprints"' not in page and 'href="/mine/articles"' in page


def test_every_table_and_visible_column_is_described():
    declared = {table.name: table for table in DECLARED}
    assert set(BROWSE) == set(declared)
    for name, browse in BROWSE.items():
        assert set(browse.columns) <= set(declared[name].columns), name
        if not declared[name].hidden:
            assert set(browse.columns) == set(declared[name].columns), name


@pytest.mark.asyncio
async def test_search_is_configured_on_articles_people_and_quotes(mine):
    for table, query, expected in (("articles", "backstop", 2), ("people", "Chalmers", 1), ("quotes", "sovereign", 1)):
        data = await table_json(mine, table, f"_search={query}&_shape=objects")
        assert len(data["rows"]) == expected, table


@pytest.mark.asyncio
async def test_label_columns_and_descriptions_from_the_plugin(mine):
    pairs = (await mine.client.get("/mine/article_people.json?_labels=on&_shape=objects")).json()["rows"]
    assert pairs and all(isinstance(row["article_id"], dict) and row["article_id"]["label"] for row in pairs)
    page = (await mine.client.get("/mine/articles")).text
    assert BROWSE["articles"].description in page
    assert BROWSE["articles"].columns["display_title"] in page  # column descriptions show in the header
    assert "Articles, people, quotations and stories" in (await mine.client.get("/mine")).text


@pytest.mark.asyncio
async def test_the_owners_table_settings_win(seeds_db, tmp_path):
    path = tmp_path / "mine.db"
    shutil.copy(seeds_db, path)
    own = {"databases": {"mine": {"tables": {
        "people": {"sort": "name", "facets": ["honorific"], "description": "Who is who"},
        "files": {"hidden": True},
    }}}}
    ds = datasette_for(path, metadata=own)  # Datasette 1.0 moves the table settings into its configuration
    await ds.invoke_startup()
    data = await table_json(ds, "people", "_shape=objects&_size=max")
    names = [row["name"] for row in data["rows"]]
    assert names == sorted(names)
    assert facet_names(data) == {"honorific"}
    assert "Who is who" in (await ds.client.get("/mine/people")).text
    index = (await ds.client.get("/mine")).text
    assert 'href="/mine/files"' not in index and 'href="/mine/people"' in index
    assert facet_names(await table_json(ds, "quotes")) >= {"speaker", "outlet", "verb"}  # the rest stays


@pytest.mark.asyncio
async def test_the_owners_configuration_wins(seeds_db, tmp_path):
    """Datasette 1.0's configuration (-c datasette.yml); on 0.65 the same goes into metadata."""
    path = tmp_path / "mine.db"
    shutil.copy(seeds_db, path)
    own = {"databases": {"mine": {"tables": {"quotes": {"sort_desc": "words", "facets": ["verb"]}, "files": {"hidden": True}}}}}
    ds = datasette_for(path, config=own)
    await ds.invoke_startup()
    data = await table_json(ds, "quotes", "_shape=objects&_size=max")
    words = [row["words"] for row in data["rows"]]
    assert words == sorted(words, reverse=True) and facet_names(data) == {"verb"}
    assert 'href="/mine/files"' not in (await ds.client.get("/mine")).text
    assert own["databases"]["mine"]["tables"]["quotes"] == {"sort_desc": "words", "facets": ["verb"]}  # not changed


@pytest.mark.asyncio
async def test_table_settings_can_be_turned_off(seeds_db):
    ds = datasette_for(seeds_db, config={"plugins": {"datasette-ukraine-briefs": {"table_settings": False}}})
    await ds.invoke_startup()
    assert not facet_names(await table_json(ds, "quotes", database="briefs"))


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "path,expect",
    [
        ("/briefs/quotes_by_person.json?person=Malcolm+Chalmers", "You need credible"),
        ("/briefs/quotes_by_person.json?person=lord-dannatt", "number available"),
        ("/briefs/quotes_by_person.json?person=Chalmers", "You need credible"),  # a surname
        ("/briefs/quotes_by_person.json?person=malcolm+chalmers", "You need credible"),
        ("/briefs/person_feed.json?person=Dannatt", "number available"),
        ("/briefs/altered_quotations.json?speaker=Starmer", "A US security"),
        ("/briefs/who_said.json?phrase=number+available", "Lord Dannatt"),
        ("/briefs/who_said.json?phrase=kyiv-based+%22unbalanced", "[]"),
        ("/briefs/articles_with_two_people.json?first=Lord+Dannatt&second=keir-starmer", "Sir Keir Starmer has stated"),
        ("/briefs/altered_quotations.json?speaker=", "We just haven"),
        ("/briefs/altered_quotations.json?speaker=Mette+Frederiksen", "Russia is threatening all of Europe"),
        ("/briefs/coverage_by_outlet_month.json", '"undated"'),
        ("/briefs/most_quoted_people.json", "keir-starmer"),
    ],
)
async def test_canned_queries(ds, path, expect):
    response = await ds.client.get(path + "&_shape=array" if "?" in path else path + "?_shape=array")
    assert response.status_code == 200, response.text
    assert expect in response.text


@pytest.mark.asyncio
async def test_canned_person_matches_nobody_on_a_letter_or_a_stranger(ds):
    for person in ("a", "Nobody Atall", "%", "_"):
        response = await ds.client.get("/briefs/quotes_by_person.json", params={"person": person, "_shape": "array"})
        assert response.status_code == 200 and response.json() == [], person


@pytest.mark.asyncio
async def test_most_quoted_people_have_quotations(ds):
    rows = (await ds.client.get("/briefs/most_quoted_people.json?_shape=array")).json()
    assert rows and all(row["quote_count"] > 0 for row in rows)


@pytest.mark.asyncio
async def test_feed_length_is_a_setting(seeds_db):
    ds = datasette_for(seeds_db, config={"plugins": {"datasette-ukraine-briefs": {"feed_length": 2}}})
    await ds.invoke_startup()
    feed = ET.fromstring((await ds.client.get("/briefs/newest_articles.atom")).text)
    assert len(feed.findall(f"{ATOM}entry")) == 2
    rows = (await ds.client.get("/briefs/person_feed.json?person=lord-dannatt&_shape=array")).json()
    assert len(rows) == 2
    # a visitor cannot set it
    rows = (await ds.client.get("/briefs/newest_articles.json?_briefs_feed_length=5&_shape=array")).json()
    assert len(rows) == 2


@pytest.mark.asyncio
async def test_canned_queries_only_in_briefs_databases(seeds_db, tmp_path):

    sqlite3.connect(tmp_path / "other.db").execute("create table t (x)").connection.commit()
    ds = datasette_for(seeds_db, tmp_path / "other.db")
    await ds.invoke_startup()
    assert (await ds.client.get("/other/most_quoted_people.json")).status_code == 404
    assert (await ds.client.get("/briefs/most_quoted_people.json")).status_code == 200


@pytest.mark.asyncio
async def test_atom_feeds(ds_metadata):
    response = await ds_metadata.client.get("/briefs/person_feed.atom?person=lord-dannatt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.text)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    for entry in entries:
        assert entry.find(f"{ATOM}title").text.startswith("Lord Dannatt: “")
        assert entry.find(f"{ATOM}id").text.startswith("urn:briefs:briefs:")
        assert entry.find(f"{ATOM}link").get("href").startswith("http://localhost/-/briefs/briefs/article/")
        assert entry.find(f"{ATOM}updated").text.endswith("Z")
    articles = ET.fromstring((await ds_metadata.client.get("/briefs/newest_articles.atom")).text)
    assert len(articles.findall(f"{ATOM}entry")) == 9
    content = articles.find(f"{ATOM}entry/{ATOM}content")
    assert content.get("type") == "html" and "<p>" in content.text
    assert (await ds_metadata.client.get("/briefs/articles.atom")).status_code == 400  # no atom_ columns


def test_metadata_yml_holds_only_the_sites_own_words():
    assert set(METADATA) <= {"title", "description", "description_html", "source", "source_url", "license", "license_url"}
