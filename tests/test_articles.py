"""Segmentation of messy files into articles, on the seeds and on invented text."""

import pytest

from datasette_ukraine_briefs.text.articles import is_headline, is_noise, split_articles

from .conftest import SEEDS


def seed(name_start):
    path = next(SEEDS.glob(name_start + "*"))
    return split_articles(path.read_text(encoding="utf-8"))


def test_seed_000_is_one_article_without_headline():
    [article] = seed("000")
    assert article.title is None
    assert article.body.startswith("Sir Keir Starmer has stated any Ukraine peace accord")
    assert article.body.endswith("destroyed 90 Ukrainian drones on Sunday night.")
    assert article.display_title.startswith("Sir Keir Starmer has stated")
    lines = next(SEEDS.glob("000*")).read_text(encoding="utf-8").strip().split("\n")
    assert article.body.split("\n\n") == lines  # one paragraph a line, unchanged


def test_seed_001_is_four_articles_at_headlines_and_datelines():
    articles = seed("001")
    assert [a.title for a in articles] == [
        "Starmer: Ukraine Peace Deal Needs ‘US Backstop’ to Deter Russia",
        "Starmer Urges Stronger European Defense, Calls for ‘US Backstop’ in Ukraine Peace Deal",
        "Starmer Suggests UK Troops for Ukraine Border Force, Experts Warn of Massive Military Commitment",
        None,
    ]
    assert [a.dateline for a in articles] == ["London", "Paris", "London", "Paris"]
    assert articles[0].body.startswith("UK Prime Minister Sir Keir Starmer has stated")
    assert articles[0].body.endswith('he was "a little irritated" by the topic.')
    assert articles[3].body.startswith("UK Prime Minister Sir Keir Starmer has reiterated")
    for article in articles:
        assert " – " not in article.body.split("\n")[0][:12]  # the dateline left the body
        assert "Starmer Urges" not in article.body


def test_seed_002_images_leave_the_body():
    [article] = seed("002")
    assert [image.url for image in article.images] == [
        "https://assets.kyivindependent.com/content/images/2025/02/DSC06847------.jpg",
        "https://assets.kyivindependent.com/content/images/2025/02/GettyImages-2198945928.jpg",
    ]
    assert "![" not in article.body and "assets.kyivindependent" not in article.body
    assert article.body.endswith("whether European nations would commit sufficient forces.")


def test_seed_003_repeats_captions_credits_and_noise_stay_out_of_the_body():
    first, second = seed("003")
    assert first.title == "Military Chiefs Gather in UK to Discuss Ukraine Protections"
    assert second.title == "‘This Is Not the Time to Go It Alone,’ NATO’s Rutte Tells US and Europe"
    assert first.credits == ["JULIAN SIMMONDS / POOL/AFP"]
    assert second.credits == ["AFP"]
    assert first.captions == [
        "UK Prime Minister Keir Starmer is co-leading efforts to form the 'coalition of the willing' to help Ukraine in peace."
    ]
    for article in (first, second):
        assert {"TT", "20"} <= set(article.noise)
        assert article.title not in article.body
        assert not any(caption in article.body for caption in article.captions)
        assert "TT" not in article.body.split()
    assert first.body.startswith("Dozens of military chiefs")
    assert first.body.endswith('"are very much on track".')
    assert second.body.startswith("NATO Secretary-General Mark Rutte warned")


def test_seed_004_alternate_headline_sections_and_bullets_become_markdown():
    [article] = seed("004")
    assert article.title == "UK and France Sign Pact to Deploy Troops to Ukraine Post-Peace Deal"
    assert article.subtitle == "UK-France Pact for Ukraine Troop Deployment"
    assert "\n\n## A Framework for Future Security\n\n" in article.body
    assert "\n\n## International Context and Attendees\n\n" in article.body
    assert (
        "operational areas:\n\n- Ground troop deployment for security and deterrence.\n"
        "- Protection for Ukraine's airspace and territorial waters.\n- The establishment"
    ) in article.body
    assert "•" not in article.body


def test_plain_text_export_headline_blank_line_body():
    text = (
        "Ministers Meet in Geneva as Talks Resume\n\n"
        "Washington (AFP) – Negotiators from both sides met on Monday, officials said.\n\n"
        "A second paragraph follows here with more detail about the talks.\n"
    )
    [article] = split_articles(text)
    assert article.title == "Ministers Meet in Geneva as Talks Resume"
    assert article.dateline == "Washington"
    assert article.agency == "AFP"
    assert article.body.startswith("Negotiators from both sides met on Monday")


def test_sentence_case_headline_in_the_plain_export():
    text = "Talks on a ceasefire resume in Geneva.\n\nNegotiators met on Monday for the first time in a month, officials said.\n"
    [article] = split_articles(text)
    assert article.title == "Talks on a ceasefire resume in Geneva."
    assert article.body.startswith("Negotiators met")


def test_a_headline_after_body_text_is_a_section_unless_an_article_follows():
    text = (
        "Leaders Agree on a New Plan\n\n"
        "The plan was agreed on Friday after long talks in the capital.\n\n"
        "What Happens Next\n\n"
        "Officials will meet again next month to discuss the details.\n\n"
        "Second Story About Something Else\n\n"
        "Berlin – The government announced new measures on Saturday.\n"
    )
    first, second = split_articles(text)
    assert "## What Happens Next" in first.body
    assert second.title == "Second Story About Something Else"
    assert second.dateline == "Berlin"


def test_byline_and_date_line_become_fields():
    text = "Leaders Agree on a New Plan\nBy Jane Doe\n17 February 2025\n\nThe plan was agreed on Friday.\n"
    [article] = split_articles(text)
    assert article.author == "Jane Doe"
    assert article.published == "2025-02-17"
    assert article.body == "The plan was agreed on Friday."


def test_no_date_is_invented():
    text = "Leaders Agree on a New Plan\n\nLONDON, Feb 17 (Reuters) - The plan was agreed on Friday 6 June.\n"
    [article] = split_articles(text)
    assert article.dateline == "LONDON"
    assert article.agency == "Reuters"
    assert article.published is None


def test_an_aside_between_dashes_is_not_a_dateline():
    text = "Mehmet Oz — a surgeon and TV host — has been criticised by colleagues.\n\nMore text follows.\n"
    [article] = split_articles(text)
    assert article.dateline is None
    assert article.body.startswith("Mehmet Oz — a surgeon")


def test_hard_wrapped_lines_are_joined():
    text = "The minister said the plan would\nbe published next week, officials\nconfirmed on Monday.\n"
    [article] = split_articles(text)
    assert article.body == "The minister said the plan would be published next week, officials confirmed on Monday."


def test_markdown_characters_at_a_paragraph_start_are_escaped():
    [article] = split_articles("# 1 priority is peace, he said.\n\n1984 was a year.\n")
    # a Markdown heading line in the source is a heading; a numbered-looking line stays text
    assert article.title == "1 priority is peace, he said."
    assert article.body == "1984 was a year."


@pytest.mark.parametrize("line", ["TT", "20", "—", "Advertisement", "Read more"])
def test_noise_lines(line):
    assert is_noise(line)


@pytest.mark.parametrize(
    "line,expected",
    [
        ("Starmer Urges Stronger European Defense", True),
        ("‘This Is Not the Time to Go It Alone,’ NATO’s Rutte Tells US and Europe", True),
        ("The declaration specifies three key operational areas:", False),
        ("Officials met on Monday. They agreed a plan.", False),
    ],
)
def test_headline_shape(line, expected):
    assert is_headline(line) is expected


@pytest.mark.parametrize("text", ["", "\n\n", "TT\n20\n", "![](http://x/y.jpg)\n"])
def test_files_without_article_text_give_no_articles(text):
    assert split_articles(text) == []


def test_a_front_matter_title_never_swallows_the_first_paragraph():
    text = ("Top seed Anna Berg was beaten on Wednesday.\n\n"
            "A lefthander with a strong serve, Holm kept the rallies short and won in two sets.\n")
    [article] = split_articles(text, title="Wire - Tennis - Berg Upset")
    assert article.title == "Wire - Tennis - Berg Upset"
    assert article.body.startswith("Top seed Anna Berg was beaten on Wednesday.")
    [article] = split_articles("Wire - Tennis - Berg Upset\n\n" + text, title="Wire - Tennis - Berg Upset")
    assert article.body.startswith("Top seed Anna Berg") and article.noise == ["Wire - Tennis - Berg Upset"]
    [plain] = split_articles(text)  # without front matter the first short line is the headline
    assert plain.title == "Top seed Anna Berg was beaten on Wednesday."
