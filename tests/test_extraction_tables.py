"""People and quotations in the built database: tables, merging, search and the gold score."""

import json
import re
import subprocess
import sys


from datasette_ukraine_briefs.build import build

from .conftest import ROOT, query

GOLD = ROOT / "tests" / "gold"



def test_seeds_meet_the_gold_annotation(seeds_db):
    """The hand annotation of three seed files, scored as ../shared/eval scores it."""
    result = subprocess.run(
        [sys.executable, str(GOLD / "score_extraction.py"), str(seeds_db), str(GOLD / "seeds_gold.json"), "-v"],
        capture_output=True, text=True, check=True,
    )
    scores = dict(re.findall(r"(\w+)=([\d.]+)", result.stdout.splitlines()[-1]))
    assert float(scores["seg"]) == 1.0, result.stdout
    assert float(scores["people_f1"]) >= 0.95, result.stdout
    assert float(scores["quote_f1"]) >= 0.95, result.stdout
    assert float(scores["speaker_acc"]) >= 0.95, result.stdout


def test_people_are_canonical_across_articles(seeds_db):
    people = {p["id"]: p for p in query(seeds_db, "select * from people")}
    starmer = people["keir-starmer"]
    assert starmer["name"] == "Keir Starmer"
    assert starmer["honorific"] == "Sir"
    aliases = set(json.loads(starmer["aliases"]))
    assert {"Sir Keir", "Starmer", "Sir Keir Starmer"} <= aliases
    assert any("Starmerr" in alias for alias in aliases)  # the typo is merged, and kept as a form
    assert starmer["article_count"] == 8  # all but the NATO article
    assert starmer["quote_count"] >= 15
    assert people["donald-trump"]["id"] != people["donald-tusk"]["id"]
    assert people["lord-dannatt"]["name"] == "Lord Dannatt"
    names = {p["name"] for p in people.values()}
    assert not names & {"NATO", "Kyiv", "Uncle Sam", "Royal United Services Institute", "JULIAN SIMMONDS"}


def test_article_people_and_the_facet_column_agree(seeds_db):
    for article in query(seeds_db, "select id, people from articles"):
        linked = query(
            seeds_db,
            "select p.name from article_people ap join people p on p.id = ap.person_id where ap.article_id = ?",
            [article["id"]],
        )
        assert sorted(json.loads(article["people"])) == sorted(p["name"] for p in linked)
    counts = query(seeds_db, "select min(mentions) lowest from article_people")[0]
    assert counts["lowest"] >= 1


def test_people_alongside_are_the_ten_most_often_named_with_each_person(seeds_db):
    counted = query(
        seeds_db,
        """select mine.person_id, other.person_id as other_id, count(*) as articles
           from article_people mine join article_people other
             on other.article_id = mine.article_id and other.person_id != mine.person_id
           group by 1, 2""",
    )
    names = {p["id"]: p["name"] for p in query(seeds_db, "select id, name from people")}
    expected = {}
    for row in sorted(counted, key=lambda r: (r["person_id"], -r["articles"], names[r["other_id"]])):
        expected.setdefault(row["person_id"], [])
        if len(expected[row["person_id"]]) < 10:
            expected[row["person_id"]].append((row["other_id"], row["articles"]))
    stored = {}
    for row in query(seeds_db, "select * from people_alongside order by person_id, articles desc"):
        stored.setdefault(row["person_id"], []).append((row["other_id"], row["articles"]))
    assert {k: sorted(v) for k, v in stored.items()} == {k: sorted(v) for k, v in expected.items()}
    assert any(len(v) == 10 for v in stored.values())


def test_quotes_point_at_their_text(seeds_db):
    articles = {a["id"]: a for a in query(seeds_db, "select id, title, body from articles")}
    quotes = query(seeds_db, "select * from quotes")
    assert len(quotes) >= 60
    for quote in quotes:
        article = articles[quote["article_id"]]
        source = article["title"] if quote["in_headline"] else article["body"]
        assert source[quote["start"]:quote["end"]] == quote["text"]
        assert quote["text"] in quote["context"]
        if quote["person_id"]:
            assert query(seeds_db, "select name from people where id = ?", [quote["person_id"]])[0]["name"] == quote["speaker"]
    dannatt = query(seeds_db, "select * from quotes where text like 'We just haven%'")[0]
    assert (dannatt["speaker"], dannatt["verb"]) == ("Lord Dannatt", "warned")
    headline = query(seeds_db, "select * from quotes where in_headline and text = 'US Backstop'")
    assert {q["speaker"] for q in headline} == {"Keir Starmer"}


def test_unnamed_sources_are_described(seeds_db):
    described = {q["speaker_descr"] for q in query(seeds_db, "select speaker_descr from quotes where speaker is null")}
    assert "UK government insiders" in described


def test_people_and_quotes_are_searchable(seeds_db):
    hits = query(seeds_db, "select p.id from people_fts f join people p on p.rowid = f.rowid where people_fts match 'starmerr'")
    assert [h["id"] for h in hits] == ["keir-starmer"]
    hits = query(seeds_db, "select q.speaker from quotes_fts f join quotes q on q.rowid = f.rowid where quotes_fts match 'sovereign'")
    assert {h["speaker"] for h in hits} == {"Adrian Bradshaw"}


def test_rebuild_keeps_people_and_quotes_in_step(seeds_copy, tmp_path):
    db = tmp_path / "briefs.db"
    build(db, [seeds_copy])
    (seeds_copy / "000_5bd0019754035440.txt").unlink()
    build(db, [seeds_copy], prune=True)
    assert query(db, "select count(*) n from people where name = 'Ed Davey'")[0]["n"] == 0  # only in 000
    assert query(db, "select count(*) n from quotes where article_id not in (select id from articles)")[0]["n"] == 0
    starmer = query(db, "select * from people where id = 'keir-starmer'")[0]
    assert starmer["article_count"] == 7
    assert starmer["quote_count"] == query(db, "select count(*) n from quotes where person_id = 'keir-starmer'")[0]["n"]
    assert query(db, "select count(*) n from quotes_fts where quotes_fts match 'safeguard'")[0]["n"] == 0
    fresh = tmp_path / "fresh.db"
    build(fresh, [seeds_copy])
    snapshot = "select * from {} order by 1, 2"
    for table in ("people", "article_people", "quotes"):
        assert query(db, snapshot.format(table)) == query(fresh, snapshot.format(table)), table
