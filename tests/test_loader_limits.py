"""The loader keeps what it is given (issue 17): repeated paragraphs stay text, contexts and
titles are bounded, front matter cannot blow up, big files are skipped, and every skip says
which file and why. Every file here is written by the test itself."""

import sqlite3

from datasette_ukraine_briefs.build import build
from datasette_ukraine_briefs.text.articles import split_articles

STORY = [
    "Negotiators from both delegations met on Monday in Geneva for the first time in a month, officials said.",
    "The talks are expected to last three days, according to the Swiss foreign ministry, which hosts them.",
    "Both sides brought new proposals on prisoner exchanges and on the safety of the nuclear plant.",
    "A spokesman for the hosts said the mood in the room was serious but constructive on the first day.",
]
HEADLINE = "Ceasefire Talks Resume in Geneva After a Month"


def story(headline=HEADLINE, paragraphs=STORY):
    return "\n\n".join(([headline] if headline else []) + list(paragraphs)) + "\n"


def words(text):
    return len(text.split())


# --- 1. a repeated paragraph is not a caption --------------------------------------------------


def test_one_article_pasted_twice_keeps_its_text():
    for headline in (HEADLINE, None):
        articles = split_articles(story(headline) + "\n\n" + story(headline))
        assert articles, "no article text found"
        for article in articles:
            assert article.body == "\n\n".join(STORY)
            assert article.captions == []
        assert len({article.content_hash for article in articles}) == 1  # stored once


def test_one_article_pasted_twice_is_loaded_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "twice.txt").write_text(story(None) + "\n" + story(None), encoding="utf-8")
    report = build(tmp_path / "briefs.db", [folder])
    assert not report.skipped
    conn = sqlite3.connect(tmp_path / "briefs.db")
    [(body, captions)] = conn.execute("select body, captions from articles").fetchall()
    assert body == "\n\n".join(STORY) and captions == "[]"


def test_two_versions_of_a_story_in_one_file_are_two_articles():
    second = STORY[:2] + ["A new closing paragraph says the delegations will meet again next week in Vienna."]
    text = story() + "\n\n" + story(HEADLINE + " as Hopes Rise", second)
    first, then = split_articles(text)
    assert first.body == "\n\n".join(STORY)
    assert then.title == HEADLINE + " as Hopes Rise"
    assert then.body == "\n\n".join(second)


def test_a_teaser_printed_again_is_read_once():
    text = "\n\n".join([HEADLINE, STORY[0], STORY[1], "", STORY[0], STORY[1], STORY[2], STORY[3]])
    [article] = split_articles(text)
    assert article.body == "\n\n".join(STORY)
    assert article.captions == [] and STORY[0] in article.noise


def test_a_repeated_caption_beside_an_image_is_still_a_caption():
    caption = "Delegates arrive at the Palais des Nations on the first morning of the talks in Geneva"
    text = "\n\n".join([HEADLINE, "![](https://example.org/photo.jpg)", caption, caption, *STORY])
    [article] = split_articles(text)
    assert article.captions == [caption]
    assert article.images[0].caption == caption
    assert article.body == "\n\n".join(STORY)
