"""Datasette serving a built database: full-text search and the metadata."""

import pytest


@pytest.mark.asyncio
async def test_search_finds_the_articles_that_say_backstop(ds_metadata):
    response = await ds_metadata.client.get("/briefs/articles.json?_search=backstop&_shape=array")
    assert response.status_code == 200
    found = response.json()
    assert len(found) == 2
    assert {row["source_file"] for row in found} == {"seeds/001_ef8b4a5962583c26.txt"}
    assert all("backstop" in row["body"].lower() for row in found)


@pytest.mark.asyncio
async def test_search_with_odd_input_does_not_fail(ds_metadata):
    for query in ["kyiv-based", '"unbalanced', "(", "#", "NEAR(", "x*", "AND"]:
        response = await ds_metadata.client.get("/briefs/articles.json", params={"_search": query})
        assert response.status_code == 200, query
    # Datasette itself answers an empty ?_search= with 400 Bad Request: a client error, not a crash
    response = await ds_metadata.client.get("/briefs/articles.json", params={"_search": ""})
    assert response.status_code in (200, 400)


@pytest.mark.asyncio
async def test_metadata_titles_the_site(ds_metadata):
    response = await ds_metadata.client.get("/")
    assert response.status_code == 200
    assert "Ukraine peace process briefs" in response.text


def facet_counts(data, name):
    """value -> count of one facet, from the JSON of datasette 0.65 or 1.0 (which nests it)."""
    results = data["facet_results"]
    results = results.get("results", results)
    return {row["value"]: row["count"] for row in results[name]["results"]}


@pytest.mark.asyncio
async def test_articles_facet_by_person(ds_metadata):
    response = await ds_metadata.client.get("/briefs/articles.json?_facet_array=people&people__arraycontains=Lord+Dannatt")
    assert response.status_code == 200
    data = response.json()
    assert len(data["rows"]) == 2
    assert facet_counts(data, "people")["Lord Dannatt"] == 2
