"""Browsing as metadata.yml configures it, canned queries and Atom feeds, on both Datasette lines."""

from xml.etree import ElementTree as ET

import pytest

from .conftest import METADATA, datasette_for

TABLES = METADATA["databases"]["briefs"]["tables"]
ATOM = "{http://www.w3.org/2005/Atom}"


async def table_json(ds, table, query=""):
    response = await ds.client.get(f"/briefs/{table}.json?_extra=facet_results&{query}")
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
async def test_configured_facets_are_served(ds_metadata, table):
    data = await table_json(ds_metadata, table)
    assert {facet_name(f) for f in TABLES[table]["facets"]} <= facet_names(data)


@pytest.mark.asyncio
@pytest.mark.parametrize("table", [t for t, config in TABLES.items() if config.get("sort_desc") or config.get("sort")])
async def test_configured_sort_orders_rows(ds_metadata, table):
    config = TABLES[table]
    column = config.get("sort_desc") or config["sort"]
    rows = (await table_json(ds_metadata, table, "_shape=objects&_size=max"))["rows"]
    values = [row[column] for row in rows if row[column] is not None]
    assert values == sorted(values, reverse="sort_desc" in config)


@pytest.mark.asyncio
@pytest.mark.parametrize("table", [t for t, config in TABLES.items() if config.get("sortable_columns")])
async def test_sortable_columns_sort(ds_metadata, table):
    for column in TABLES[table]["sortable_columns"]:
        rows = (await table_json(ds_metadata, table, f"_sort_desc={column}&_shape=objects&_size=max"))["rows"]
        values = [row[column] for row in rows if row[column] is not None]
        assert values == sorted(values, reverse=True), column


@pytest.mark.asyncio
async def test_hidden_tables_stay_off_the_index(ds_metadata):
    page = (await ds_metadata.client.get("/briefs")).text
    for table, config in TABLES.items():
        listed = f'href="/briefs/{table}"' in page
        assert listed is not bool(config.get("hidden")), table


@pytest.mark.asyncio
async def test_every_column_is_described(ds_metadata, seeds_db):
    import sqlite3

    conn = sqlite3.connect(seeds_db)
    for table, config in TABLES.items():
        if config.get("hidden"):
            continue
        columns = [row[1] for row in conn.execute(f"pragma table_info([{table}])")]
        assert set(columns) <= set(config.get("columns", {})), table


@pytest.mark.asyncio
async def test_search_is_configured_on_articles_people_and_quotes(ds_metadata):
    for table, query, expected in (("articles", "backstop", 2), ("people", "Chalmers", 1), ("quotes", "sovereign", 1)):
        data = await table_json(ds_metadata, table, f"_search={query}&_shape=objects")
        assert len(data["rows"]) == expected, table


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "path,expect",
    [
        ("/briefs/quotes_by_person.json?person=Malcolm+Chalmers", "You need credible"),
        ("/briefs/quotes_by_person.json?person=lord-dannatt", "number available"),
        ("/briefs/who_said.json?phrase=number+available", "Lord Dannatt"),
        ("/briefs/who_said.json?phrase=kyiv-based+%22unbalanced", "[]"),
        ("/briefs/articles_with_two_people.json?first=Lord+Dannatt&second=keir-starmer", "Sir Keir Starmer has stated"),
        ("/briefs/altered_quotations.json?speaker=", "We just haven"),
        ("/briefs/altered_quotations.json?speaker=Mette+Frederiksen", "Russia is threatening all of Europe"),
        ("/briefs/coverage_by_outlet_month.json", '"undated"'),
        ("/briefs/most_quoted_people.json", "keir-starmer"),
    ],
)
async def test_canned_queries(ds_metadata, path, expect):
    response = await ds_metadata.client.get(path + "&_shape=array" if "?" in path else path + "?_shape=array")
    assert response.status_code == 200, response.text
    assert expect in response.text


@pytest.mark.asyncio
async def test_canned_queries_only_in_briefs_databases(seeds_db, tmp_path):
    import sqlite3

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
