"""Property-based tests: the pure core and the SQL functions take any text without raising,
and keep their invariants. Pathological inputs finish in bounded time."""

import re
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datasette_ukraine_briefs.site import sql_functions
from datasette_ukraine_briefs.text.articles import split_articles
from datasette_ukraine_briefs.text.decode import SkipFile, decode_bytes
from datasette_ukraine_briefs.text.frontmatter import FrontMatter, read_front_matter
from datasette_ukraine_briefs.text.people import extract_people, find_mentions
from datasette_ukraine_briefs.text.quotes import extract_quotes
from datasette_ukraine_briefs.text.render import PLACEHOLDER, Fill, Span, fill, render_article, render_markdown
from datasette_ukraine_briefs.text.similarity import quote_diff, quote_similarity, similarity

# Pieces of news text, so generated strings hit the interesting paths, mixed with anything.
PIECES = [
    "Sir", "Keir", "Starmer", "Starmerr", "Prime", "Minister", "General", "Lord", "Dannatt", "Anna", "Berg",
    "said", "told", "the", "BBC", "added", "he", "she", "according", "to", ",", ".", ":", " – ", "—",
    "“", "”", "‘", "’", '"', "'", "\n", "\n\n", "---\n", "# ", "- ", "• ", "![](x)", "<b>", "</b>",
    "<script>", "TT", "20", "Paris", "(AFP)", "JULIAN SIMMONDS / POOL/AFP", "\x00", "\u202e", "💥",
]
news = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=80).map(" ".join)
texts = st.one_of(news, st.text(max_size=300))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=400))
def test_decode_never_raises_but_skips(data):
    try:
        decoded = decode_bytes(data)
    except SkipFile:
        return
    assert "\r" not in decoded.text and decoded.text.strip()


@FAST
@given(texts)
def test_front_matter_and_articles_never_raise(text):
    meta, rest, warnings = read_front_matter(text)
    assert isinstance(meta, FrontMatter) and rest in text
    articles = split_articles(rest)
    assert [a.position for a in articles] == list(range(1, len(articles) + 1))
    for article in articles:
        assert article.body.strip()
        assert len(article.content_hash) == 16


@FAST
@given(st.one_of(st.none(), texts), texts)
def test_people_and_mentions_keep_their_invariants(title, body):
    people = extract_people(title, body)
    names = {person.name for person in people}
    assert all(person.name.strip() and person.mentions >= 1 for person in people)
    for start, end, in_title, name in find_mentions(title, body):
        source = (title or "") if in_title else body
        assert 0 <= start < end <= len(source)
        assert name in names


@FAST
@given(st.one_of(st.none(), texts), texts)
def test_quotes_point_at_their_text(title, body):
    people = extract_people(title, body)
    names = {person.name for person in people}
    for quote in extract_quotes(title, body, people):
        source = (title or "") if quote.in_headline else body
        assert 0 <= quote.start <= quote.end <= len(source)
        assert source[quote.start:quote.end] == quote.text
        if quote.speaker_kind == "person":
            assert quote.speaker in names  # every named speaker is a person of the article
        elif quote.speaker_kind == "organisation":
            assert quote.speaker and quote.speaker not in names
        else:
            assert quote.speaker is None
        assert quote.words >= 0


@FAST
@given(texts, texts)
def test_similarity_is_a_bounded_symmetric_measure(a, b):
    score = similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert score == similarity(b, a)
    assert 0.0 <= quote_similarity(a, b) <= 1.0
    diff = quote_diff(a, b)
    assert " ".join(op["a"] for op in diff["ops"] if op["a"]) == " ".join(a.split())
    assert " ".join(op["b"] for op in diff["ops"] if op["b"]) == " ".join(b.split())


@FAST
@given(texts, st.lists(st.tuples(st.integers(-5, 400), st.integers(-5, 400), st.sampled_from(["quote", "person"])),
                       max_size=6))
def test_rendering_never_raises_and_never_lets_script_through(source, spans):
    rendered = render_article(source, [Span(*span) for span in spans])
    marked = Fill(quote=lambda at: "<mark>", speaker=lambda at: "<sup>x</sup>", person=lambda at: '<a href="/p">')
    for html in (render_markdown(source), rendered, fill(rendered), fill(rendered, marked)):
        assert "<script" not in html.lower()
        assert "\ue000" not in html and "\ue001" not in html  # no sentinel left behind
    # every placeholder is one the pages fill, and only spans place them
    assert all(PLACEHOLDER.fullmatch(tag) for tag in re.findall(r"<[^>]*data-briefs[^>]*>(?:</sup>)?", rendered))
    assert "data-briefs" not in render_markdown(source)


@FAST
@given(st.one_of(st.none(), texts, st.integers(), st.floats(allow_nan=True), st.binary(max_size=50)),
       st.one_of(st.none(), texts, st.integers(), st.binary(max_size=50)))
def test_sql_functions_never_raise(a, b):
    for name, (function, arity) in sql_functions.FUNCTIONS.items():
        result = function(a) if arity == 1 else function(a, b)
        if a is None or (arity == 2 and b is None):
            assert result is None, name
        else:
            assert result is not None, name


def finishes(function, *args, seconds=60):
    """Run in a thread and say whether it finished: a generous bound, not a timing test."""
    done = threading.Event()
    thread = threading.Thread(target=lambda: (function(*args), done.set()), daemon=True)
    thread.start()
    thread.join(seconds)
    return done.is_set()


@pytest.mark.parametrize(
    "text",
    [
        "“" * 1_000_000,
        '"' * 1_000_000,
        "Sir Keir Starmer " * 60_000,
        "Minister " * 110_000,
        "a" * 1_000_000,
        ("He said: “" + "word " * 200) * 500,
    ],
    ids=["curly-quotes", "straight-quotes", "names", "title-words", "one-long-line", "unclosed-quotes"],
)
def test_a_megabyte_of_pathological_text_finishes(text):
    assert finishes(lambda t: (split_articles(t), extract_quotes(None, t), similarity(t, t[:1000])), text)
