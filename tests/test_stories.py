"""Stories across outlets, copies and rewrites, and altered quotations."""

import json

from datasette_ukraine_briefs.build import build
from datasette_ukraine_briefs.build.stories import clusters, match_quotes, pair_kind
from datasette_ukraine_briefs.text.similarity import quote_similarity, similarity

from .conftest import query


def label(row):
    return f"{row['source_file'].split('/')[-1][:3]}/{row['position']}"


def test_seed_stories(seeds_db):
    stories = {}
    for row in query(seeds_db, "select story_id, source_file, position from articles"):
        stories.setdefault(row["story_id"], set()).add(label(row))
    assert sorted(map(sorted, stories.values())) == [
        ["000/1", "001/1", "001/2", "001/3", "001/4"], ["002/1"], ["003/1"], ["003/2"], ["004/1"],
    ]
    [big] = query(seeds_db, "select * from stories where article_count = 5")
    assert big["title"] == "Starmer: Ukraine Peace Deal Needs ‘US Backstop’ to Deter Russia"


def test_seed_altered_quotations_link_the_same_speaker(seeds_db):
    pairs = query(
        seeds_db,
        """select qp.*, qa.person_id as speaker_a, qb.person_id as speaker_b, qa.text as text_a, qb.text as text_b
           from quote_pairs qp join quotes qa on qa.id = qp.quote_a join quotes qb on qb.id = qp.quote_b""",
    )
    assert all(p["speaker_a"] == p["speaker_b"] == p["person_id"] for p in pairs)
    altered = {p["person_id"] for p in pairs if p["kind"] == "altered"}
    assert {"keir-starmer", "malcolm-chalmers", "lord-dannatt", "adrian-bradshaw", "mette-frederiksen"} <= altered
    starmer = next(p for p in pairs if p["text_b"].startswith("A US security guarantee"))
    assert starmer["text_a"].startswith("a US security assurance was the sole means")
    assert json.loads(starmer["removed"]) == ["assurance was", "sole means"]
    assert json.loads(starmer["added"]) == ["guarantee is", "only way"]
    dannatt = next(p for p in pairs if p["person_id"] == "lord-dannatt")
    assert (dannatt["text_a"], dannatt["text_b"]) == ("We simply don’t have that number available,", "We just haven't got that number available,")


def test_seed_pairs_say_who_ran_what(seeds_db):
    pairs = query(seeds_db, "select * from article_pairs")
    assert len(pairs) == 10  # every pair of the five-article story
    assert {p["kind"] for p in pairs} == {"same story"}
    by_file = query(
        seeds_db,
        """select p.similarity from article_pairs p join articles a on a.id = p.article_a
           join articles b on b.id = p.article_b where a.source_file like 'seeds/000%' order by 1""",
    )
    assert len(by_file) == 4 and all(0.15 < row["similarity"] < 0.4 for row in by_file)


def test_copy_rewrite_and_same_topic(variants):
    rows = query(
        variants,
        """select a.outlet as a, b.outlet as b, p.kind, p.similarity from article_pairs p
           join articles a on a.id = p.article_a join articles b on b.id = p.article_b order by 1, 2""",
    )
    kinds = {(r["a"], r["b"]): r["kind"] for r in rows}
    assert kinds[("Paper A", "Paper B")] == "copy"
    assert kinds[("Paper A", "Paper C")] == "rewrite"
    stories = {r["outlet"]: r["story_id"] for r in query(variants, "select outlet, story_id from articles")}
    assert stories["Paper A"] == stories["Paper B"] == stories["Paper C"] != stories["Paper D"]
    [story] = query(variants, "select * from stories where article_count = 3")
    assert (story["first_published"], story["last_published"]) == ("2026-01-06", "2026-01-07")
    assert json.loads(story["outlets"]) == ["Paper A", "Paper B", "Paper C"]


def test_quotations_of_different_speakers_are_never_linked():
    quotes_a = [{"id": "a1", "person_id": "anna-berg", "text": "We must act now to protect Europe", "words": 7}]
    quotes_b = [{"id": "b1", "person_id": "jan-holm", "text": "We must act now to protect Europe", "words": 7},
                {"id": "b2", "person_id": "anna-berg", "text": "Fish are not birds at all, said nobody", "words": 8}]
    assert match_quotes(quotes_a, quotes_b) == []
    quotes_b.append({"id": "b3", "person_id": "anna-berg", "text": "We have to act now to protect Europe", "words": 8})
    [(qa, qb, score)] = match_quotes(quotes_a, quotes_b)
    assert (qa["id"], qb["id"]) == ("a1", "b3") and score > 0.7


def test_pure_pieces():
    assert sorted(map(sorted, clusters([1, 2, 3, 4, 5], [(1, 2), (2, 3), (4, 4)]))) == [[1, 2, 3], [4], [5]]
    assert [pair_kind(s) for s in (0.95, 0.5, 0.2)] == ["copy", "rewrite", "same story"]
    assert similarity("one two three four", "one two three four five six") == 1.0  # a piece of the whole
    assert similarity("", "anything") == 0.0
    assert quote_similarity("entirely premature", "completely premature") > 0.6


def test_incremental_stories_equal_a_fresh_build(seeds_copy, tmp_path):
    tables = {
        "stories": "select * from stories order by id",
        "article_pairs": "select * from article_pairs order by 1, 2",
        "quote_pairs": "select * from quote_pairs order by 1, 2",
        "story_of": "select id, story_id from articles order by id",
        # the merge of people is written only where it changed: the same as merging afresh
        "people": "select * from people order by id",
        "article_people": "select * from article_people order by 1, 2",
        "people_alongside": "select * from people_alongside order by 1, 2",
        "articles_people": "select id, people from articles order by id",
        "speakers": "select id, person_id, speaker from quotes order by id",
        "mentions": "select article_id, in_headline, start, person_id from mentions order by 1, 2, 3",
    }
    db = tmp_path / "incremental.db"
    build(db, [seeds_copy])
    changed = seeds_copy / "001_ef8b4a5962583c26.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("considerable cost", "heavy cost"), encoding="utf-8")
    build(db, [seeds_copy])
    build(tmp_path / "fresh.db", [seeds_copy])
    for name, sql in tables.items():
        assert query(db, sql) == query(tmp_path / "fresh.db", sql), name
    assert len(query(db, "select * from stories where article_count = 5")) == 1
