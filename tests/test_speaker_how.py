"""How each quotation's speaker was found (``quotes.speaker_how``, issue 12 item 4): set where
the extractor decides, stored, upgraded into older archives, and shown on the pages when the
speaker was inferred."""

import sqlite3

import pytest

from datasette_ukraine_briefs.build import build
from datasette_ukraine_briefs.site.html import check_mark
from datasette_ukraine_briefs.tables import SCHEMA_VERSION
from datasette_ukraine_briefs.text.people import extract_people
from datasette_ukraine_briefs.text.quote_record import SPEAKER_HOW, SPEAKER_HOW_TO_CHECK
from datasette_ukraine_briefs.text.quotes import extract_quotes

from .conftest import SEEDS, datasette_for, query


def hows(body, title=None):
    return [(q.speaker, q.speaker_how) for q in extract_quotes(title, body, extract_people(title, body))]


ARRIVED = "Marta Kovalenko, the foreign minister, arrived in Geneva on Monday.\n\n"


@pytest.mark.parametrize("body, expected", [
    ("Talks resumed in Geneva on Monday.\n\n“We are ready to sign,” Marta Kovalenko said.",
     [("Marta Kovalenko", "verb")]),
    (ARRIVED + "She was tired but hopeful. “We are ready to sign,” she said.",
     [("Marta Kovalenko", "pronoun")]),
    (ARRIVED + "“We are ready to sign,” the foreign minister said.",
     [("Marta Kovalenko", "description")]),
    (("“We are ready to sign,” Marta Kovalenko said on Monday.\n\n"
      "“The text is almost finished and the guarantees are written down.”"),
     [("Marta Kovalenko", "verb"), ("Marta Kovalenko", "carried")]),
    ("Talks resumed in Geneva on Monday.\n\n“The proposal is unacceptable,” the Kremlin said.",
     [("Kremlin", "organisation")]),
    (("Marta Kovalenko spoke in Geneva on Monday about the talks.\n\n"
      "“Peace needs patience and it needs guarantees” — Marta Kovalenko"),
     [("Marta Kovalenko", "byline")]),
    ("Marta Kovalenko was adamant on Monday: “We are ready to sign.”", [("Marta Kovalenko", "subject")]),
    ("Talks resumed in Geneva on Monday.\n\nThe word “ceasefire” was heard often.", [(None, None)]),
], ids=["verb", "pronoun", "description", "carried", "organisation", "byline", "subject", "no speaker"])
def test_each_way_of_finding_a_speaker_is_recorded(body, expected):
    assert hows(body) == expected


def test_a_headline_quotation_takes_the_name_before_the_colon():
    assert hows("Marta Kovalenko spoke in Geneva on Monday.", "Kovalenko: Deal ‘Ready to Sign’") == [
        ("Marta Kovalenko", "headline")]


def test_every_value_the_seeds_give_is_documented_and_only_a_speaker_has_one():
    found = []
    for path in sorted(SEEDS.glob("*")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        found += hows(body, title)
    assert {how for _, how in found} - {None} <= set(SPEAKER_HOW)
    assert all((speaker is None) == (how is None) for speaker, how in found)
    assert {"verb", "pronoun", "carried"} <= {how for _, how in found}


def test_the_uncertain_ways_are_marked_for_a_check():
    assert {"pronoun", "description", "carried"} <= SPEAKER_HOW_TO_CHECK
    assert not {"verb", "byline", "transcript", "organisation"} & SPEAKER_HOW_TO_CHECK
    assert all(SPEAKER_HOW[how].label for how in SPEAKER_HOW_TO_CHECK)


def test_the_mark_is_words_escaped():
    assert check_mark(None) == ""
    mark = check_mark('<b onclick="x()">pronoun</b>')
    assert "<b" not in mark and "&lt;b onclick=&quot;x()&quot;&gt;" in mark and ">inferred<" in mark


ARTICLE = """---
title: Talks resume in Geneva
outlet: Test Wire
published: 2025-03-01
---
Marta Kovalenko, the foreign minister, arrived in Geneva on Monday.

“We are ready to sign,” Marta Kovalenko said.

She was tired but hopeful. “The guarantees are written down,” she said.
"""


@pytest.fixture
def talks_db(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "talks.md").write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "briefs.db"
    build(db, [tmp_path / "in"])
    return db


def stored(db):
    return [(row["text"], row["speaker_how"]) for row in query(db, "select text, speaker_how from quotes order by start")]


def test_the_build_stores_the_way(talks_db):
    assert stored(talks_db) == [("We are ready to sign,", "verb"), ("The guarantees are written down,", "pronoun")]


def test_an_archive_from_version_5_gets_the_ways_its_quotations_were_found(talks_db):
    expected = stored(talks_db)
    with sqlite3.connect(talks_db) as conn:  # as version 5 left it: no speaker_how column
        conn.execute("alter table quotes drop column speaker_how")
        # a quotation an older extractor gave another speaker: its way is not recorded
        conn.execute("update quotes set article_speaker = 'Someone Else' where text like 'We are%'")
        conn.execute("pragma user_version = 5")
    conn.close()
    build(talks_db, [talks_db.parent / "in"])  # no file changed
    assert stored(talks_db) == [(expected[0][0], None), expected[1]]
    assert query(talks_db, "pragma user_version")[0]["user_version"] == SCHEMA_VERSION


@pytest.mark.asyncio
async def test_an_archive_from_version_5_is_served_before_its_upgrade(talks_db):
    with sqlite3.connect(talks_db) as conn:
        conn.execute("alter table quotes drop column speaker_how")
        conn.execute("pragma user_version = 5")
    conn.close()
    [article_id] = [row["id"] for row in query(talks_db, "select id from articles")]
    page = await datasette_for(talks_db).client.get(f"/-/briefs/briefs/article/{article_id}")
    assert page.status_code == 200 and "briefs-inferred" not in page.text
    person = await datasette_for(talks_db).client.get("/-/briefs/briefs/person/marta-kovalenko")
    assert person.status_code == 200


@pytest.mark.asyncio
async def test_pages_show_an_inferred_speaker_in_words(talks_db):
    ds = datasette_for(talks_db)
    await ds.invoke_startup()
    [article_id] = [row["id"] for row in query(talks_db, "select id from articles")]
    page = (await ds.client.get(f"/-/briefs/briefs/article/{article_id}")).text
    label = "speaker inferred from a pronoun: check"
    assert page.count('class="briefs-speaker briefs-inferred"') == 1  # the pronoun, not the verb
    assert f'title="{label}">inferred<span class="briefs-visually-hidden">: {label}</span>' in page
    assert page.count('<sup class="briefs-speaker">') == 1
    data = (await ds.client.get(f"/-/briefs/briefs/article/{article_id}.json")).json()
    assert [(q["speaker_how"], q["speaker_check"]) for q in data["quotes"]] == [("verb", None), ("pronoun", label)]
    person = (await ds.client.get("/-/briefs/briefs/person/marta-kovalenko")).text
    assert person.count('<li class="briefs-inferred">') == 1 and f'<span class="briefs-check">{label}</span>' in person


@pytest.mark.asyncio
async def test_the_quotes_table_exposes_and_facets_the_way(talks_db):
    ds = datasette_for(talks_db)
    await ds.invoke_startup()
    data = (await ds.client.get("/briefs/quotes.json?_shape=objects&_extra=facet_results")).json()
    assert {row["speaker_how"] for row in data["rows"]} == {"verb", "pronoun"}
    results = data["facet_results"]
    facets = results.get("results", results)  # Datasette 1.0 nests them
    assert {item["value"] for item in facets["speaker_how"]["results"]} == {"verb", "pronoun"}
