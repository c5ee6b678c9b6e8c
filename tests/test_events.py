"""Event stories: independent reports of one event share a story though they share no sentence.

``tests/events/`` holds made-up reports: three outlets report one round of talks in Valmora in
their own words, a later round six weeks after, and reports of unrelated things. None of it
happened.
"""

import shutil
import sqlite3
from pathlib import Path

import pytest

from datasette_ukraine_briefs.build import build
from datasette_ukraine_briefs.build.events import (
    EVENT_DAYS,
    SAME_EVENT,
    SHARED_TERMS,
    average_link,
    event_threshold,
    similar_pairs,
    unit_links,
)
from datasette_ukraine_briefs.build.stories import match_quotes
from datasette_ukraine_briefs.site.queries import statements
from datasette_ukraine_briefs.text.events import (
    cosine,
    event_terms,
    idf_weights,
    pack_terms,
    shared_cosine,
    term_hash,
    unpack_terms,
    weigh,
)
from datasette_ukraine_briefs.text.similarity import quote_similarity

from .conftest import datasette_for, query

EVENTS = Path(__file__).parent / "events"
TALKS = {"events/talks-herald.md", "events/talks-courier.md", "events/talks-wire.md"}


# --- terms ---------------------------------------------------------------------------------


def test_terms_are_content_words_and_pairs_with_the_headline_counted_twice():
    terms = event_terms("Ceasefire talks", "The ceasefire talks in Valmora went on, and on.")
    assert terms["ceasefire"] == 3 and terms["talks"] == 3  # twice in the headline, once in the body
    assert terms["ceasefire talks"] == 3 and terms["valmora"] == 1
    assert not {"the", "in", "and", "on", "went on"} & set(terms)  # stop words, and pairs with one
    assert event_terms(None, "Flight 370 and the Galaxy S5")["galaxy s5"] == 1  # a number or short word ends a pair
    assert "370" not in event_terms(None, "Flight 370")


def test_terms_pack_and_unpack():
    terms = event_terms("Ceasefire talks", "The ceasefire talks in Valmora")
    unpacked = unpack_terms(pack_terms(terms))
    assert unpacked == {term_hash(term): count for term, count in terms.items()}
    assert all(term & 1 == (" " in name) for name in terms for term in [term_hash(name)])
    assert unpack_terms(pack_terms({})) == {}


def test_weights_are_unit_length_over_every_term_and_keep_only_shared_ones():
    counts = {term_hash("valmora"): 2, term_hash("ceasefire"): 1, term_hash("lonely"): 1}
    frequency = {term_hash("valmora"): 3, term_hash("ceasefire"): 5, term_hash("lonely"): 1}
    weights = weigh(counts, frequency, idf_weights(frequency, documents=10))
    assert set(weights) == {term_hash("valmora"), term_hash("ceasefire")}  # no other article has "lonely"
    assert sum(w * w for w in weights.values()) < 1  # ... but it counts in the length
    assert shared_cosine(weights, weights) == pytest.approx(1.0)
    assert cosine(weights, weights) == pytest.approx(sum(w * w for w in weights.values()))
    every = {term: 10 for term in counts}
    assert weigh(counts, every, idf_weights(every, documents=10)) == {}  # a word every article has says nothing


# --- grouping ------------------------------------------------------------------------------


def test_average_link_does_not_chain_through_one_article():
    sizes = {"a": 1, "b": 1, "c": 1}
    links = {("a", "b"): 0.5, ("b", "c"): 0.3}
    # single link would join all three through b; on average, c is too far from a and b together
    assert sorted(map(sorted, average_link(sizes, links, threshold=0.2))) == [["a", "b"], ["c"]]
    assert sorted(map(sorted, average_link(sizes, links, threshold=0.1))) == [["a", "b", "c"]]
    assert sorted(map(sorted, average_link(sizes, links, threshold=0.6))) == [["a"], ["b"], ["c"]]


def test_settled_stories_are_never_joined_but_new_articles_join_them():
    sizes = {"old1": 3, "old2": 2, "new": 1}
    links = {("old1", "old2"): 6.0, ("new", "old2"): 0.9}
    groups = average_link(sizes, links, threshold=0.2, settled={"old1", "old2"})
    assert sorted(map(sorted, groups)) == [["new", "old2"], ["old1"]]


def test_unit_links_sum_article_cosines_between_units():
    units = [[1, 2], [3], [4]]
    assert unit_links(units, {(1, 3): 0.2, (2, 3): 0.1, (1, 2): 0.9}) == {(0, 1): pytest.approx(0.3)}


def test_reports_far_apart_in_time_are_not_compared_nor_those_sharing_too_little():
    vector = {term_hash(term): 0.5 for term in ("valmora talks", "valmora", "lehtola", "prisoner exchange")}
    vectors = {1: vector, 2: vector, 3: vector}
    published = {1: "2026-02-10", 2: "2026-02-12", 3: f"2026-03-{10 + EVENT_DAYS:02d}"}
    assert set(similar_pairs(vectors, published)) == {(1, 2)}
    assert set(similar_pairs(vectors, published, new={3})) == set()
    assert set(similar_pairs(vectors, {1: None, 2: None, 3: None}, new={3})) == {(1, 3), (2, 3)}
    few = {rowid: dict(list(vector.items())[:SHARED_TERMS - 1]) for rowid in (1, 2)}
    assert similar_pairs(few, {1: None, 2: None}) == {}  # alike, but in too few terms to say


def test_a_corpus_whose_articles_are_all_alike_asks_more():
    alike = {rowid: {term_hash("war"): 0.7, term_hash(f"word{rowid % 3}"): 0.7} for rowid in range(30)}
    apart = {rowid: {term_hash(f"word{rowid}"): 1.0} for rowid in range(30)}
    assert event_threshold(apart) == SAME_EVENT
    assert event_threshold(alike) > SAME_EVENT


# --- quotations across independent reports ---------------------------------------------------


def quote(id_, text, person="p-lehtola"):
    return {"id": id_, "person_id": person, "text": text, "words": len(text.split())}


def test_independent_reports_link_one_remark_in_two_wordings_not_two_remarks():
    remark = quote("a1", "We are ready to sign a ceasefire tomorrow if Moscow withdraws")
    translated = quote("b1", "We are prepared to sign a truce tomorrow should Moscow pull back")
    other = quote("b2", "We are ready to discuss the maps again tomorrow in Valmora")
    assert quote_similarity(remark["text"], translated["text"]) >= 0.5
    assert 0.33 <= quote_similarity(remark["text"], other["text"]) < 0.5  # alike words, another remark
    assert [(a["id"], b["id"]) for a, b, _ in match_quotes([remark], [other, translated], independent=True)] == [
        ("a1", "b1")]
    assert match_quotes([remark], [other], independent=True) == []
    assert len(match_quotes([remark], [other])) == 1  # a spun copy's bar is lower
    assert match_quotes([quote("a2", "entirely premature")], [quote("b3", "entirely premature")], independent=True) == []


def test_statements_join_pairs_and_order_versions_by_the_articles():
    def pair(a, b, confidence):
        return {"quote_a": a, "quote_b": b, "confidence": confidence, "speaker": "Aino Lehtola", "person_url": "/p",
                **{f"{key}_{side}": f"{key} {q}" for side, q in (("a", a), ("b", b))
                   for key in ("text", "url", "title", "outlet", "published")},
                "article_a": f"art-{a}", "article_b": f"art-{b}"}

    found = statements([pair("q2", "q3", "likely"), pair("q1", "q2", "possible"), pair("q8", "q9", "certain")],
                       ["art-q1", "art-q2", "art-q3", "art-q8", "art-q9"])
    assert [[v["quote_id"] for v in s["versions"]] for s in found] == [["q1", "q2", "q3"], ["q8", "q9"]]
    assert [s["confidence"] for s in found] == ["possible", "certain"]  # as sure as its least sure link
    assert found[0]["outlets"] == 3


# --- built ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def events_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("events") / "events.db"
    build(path, [EVENTS])
    return path


def stories_of(db) -> list[set[str]]:
    rows = query(db, "select story_id, source_file from articles")
    by_story: dict[str, set[str]] = {}
    for row in rows:
        by_story.setdefault(row["story_id"], set()).add(row["source_file"])
    return sorted(by_story.values(), key=sorted)


def test_three_outlets_reporting_one_round_of_talks_are_one_story(events_db):
    groups = stories_of(events_db)
    assert TALKS in groups
    assert {"events/later-round.md"} in groups  # the same people six weeks later: another event
    assert all(len(group) == 1 for group in groups if group != TALKS)  # unrelated reports stay apart
    pairs = query(events_db, "select kind from article_pairs where story_id = "
                             "(select story_id from articles where source_file = 'events/talks-wire.md')")
    assert [pair["kind"] for pair in pairs] == ["same story"] * 3  # nobody copied anybody


def test_one_remark_printed_by_independent_reports_is_linked(events_db):
    linked = query(events_db, """select qa.text a, qb.text b, qp.confidence from quote_pairs qp
                                 join quotes qa on qa.id = qp.quote_a join quotes qb on qb.id = qp.quote_b""")
    assert any("maps are on the table" in pair["a"] and "maps are on the table" in pair["b"] for pair in linked)
    assert {pair["confidence"] for pair in linked} <= {"certain", "likely", "possible"}


@pytest.mark.asyncio
async def test_story_page_shows_who_reported_it_when_and_what_each_quoted(events_db):
    ds = datasette_for(events_db)
    story = query(events_db, "select story_id from articles where source_file = 'events/talks-herald.md'")[0]["story_id"]
    page = (await ds.client.get(f"/-/briefs/events/story/{story}")).text
    assert "Who reported it when" in page and "First report" in page
    timeline = page[page.index("Who reported it when"):]
    assert timeline.index("Northern Herald") < timeline.index("Baltic Wire")  # 10 February before 11 February
    assert "What each outlet quoted" in page
    data = (await ds.client.get(f"/-/briefs/events/story/{story}.json")).json()
    assert any(len(s["versions"]) >= 2 and s["speaker"] for s in data["statements"])


@pytest.mark.asyncio
async def test_search_finds_stories_by_any_outlets_headline(events_db):
    ds = datasette_for(events_db)
    data = (await ds.client.get("/-/briefs/events/search.json", params={"q": "prisoner swap", "kind": "stories"})).json()
    found = data["results"]["stories"]["rows"]
    assert [row["article_count"] for row in found] == [3]  # the Courier's headline, in the Herald's story
    assert found[0]["url"].startswith("/-/briefs/events/story/")
    page = (await ds.client.get("/-/briefs/events/search", params={"q": "Valmora"})).text
    assert 'id="stories"' in page
    page = (await ds.client.get("/-/briefs/events/search", params={"q": "prisoner swap"})).text
    assert ">1 story</a>" in page and ">1 article</a>" in page and ">0 people</a>" in page


def test_a_later_report_joins_its_event_and_leaves_the_other_stories_be(tmp_path):
    folder = tmp_path / "events"
    shutil.copytree(EVENTS, folder)
    db = tmp_path / "briefs.db"
    build(db, [folder])
    before = {row["id"]: row["story_id"] for row in query(db, "select id, story_id from articles")}
    (folder / "talks-radio.md").write_text(
        "---\noutlet: Radio North\npublished: 2026-02-11\n---\n"
        "Valmora talks end with prisoner exchange deal\n\n"
        "The Finnish mediator Aino Lehtola said on Wednesday that Kyiv and Moscow had agreed to exchange prisoners "
        "after three days of ceasefire talks in Valmora. Ukrainian negotiator Taras Melnyk said the front line maps "
        "remained disputed, and Oleg Sorin, the Russian deputy foreign minister, called the maps a basis for more "
        "talks.\n", encoding="utf-8")
    build(db, [folder])
    after = {row["id"]: row["story_id"] for row in query(db, "select id, story_id from articles")}
    assert {article: after[article] for article in before} == before
    talks = before[query(db, "select id from articles where source_file = 'events/talks-herald.md'")[0]["id"]]
    new = query(db, "select story_id from articles where source_file = 'events/talks-radio.md'")[0]["story_id"]
    assert new == talks


def test_an_archive_kept_without_terms_gets_them_and_its_stories_placed_again(tmp_path):
    folder = tmp_path / "events"
    shutil.copytree(EVENTS, folder)
    db = tmp_path / "briefs.db"
    build(db, [folder])
    with sqlite3.connect(db) as conn:  # as a version before event stories left it: copies only
        conn.execute("delete from article_terms")
        conn.execute("update articles set story_id = 'story-' || id")
        conn.execute("pragma user_version = 6")
    build(db, [folder])  # no file changed: the version alone says the stories are placed again
    assert query(db, "select count(*) n from article_terms")[0]["n"] == len(query(db, "select id from articles"))
    assert TALKS in stories_of(db)
