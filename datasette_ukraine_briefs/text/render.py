"""Article Markdown to safe HTML, once, at build time, with the places of quotations and
people marked for the pages to fill in.

Article text comes from the open web, so it is rendered by markdown-it-py (CommonMark, whose
parser runs in time linear in its input, also on hostile text: Python-Markdown takes
quadratic or cubic time on runs of brackets, unclosed tags or backticks) and every rendering
goes through nh3's allow-list.

Quotations and mentions are placed by offsets into the Markdown source: private-use
sentinels are put at those offsets, the Markdown is rendered and sanitized, and the sentinels
that landed in text (never those inside a tag) become placeholders, one attribute
each, that the article's own text cannot hold (the first sanitizing pass keeps no ``data-``
attribute): ``<mark data-briefs-quote="START">`` around a quotation, an empty
``<sup data-briefs-speaker="START"></sup>`` after it, ``<a data-briefs-person="START">``
around a mention, each keyed by the span's start in the body. A last nh3 pass keeps the
result well nested whatever the text held. The server fills the placeholders with links and
speaker names in one linear pass (``fill``), so who is linked follows the build and the
visitor's permissions while the page does no Markdown work.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "mark", "ol", "p", "pre", "q", "s", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
# What the article's own markup may keep.
TEXT_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
}
QUOTE, SPEAKER, PERSON = "data-briefs-quote", "data-briefs-speaker", "data-briefs-person"
# What sanitized text keeps on a second pass: its markup and the rel the first pass set.
SANITIZED_ATTRIBUTES = dict(TEXT_ATTRIBUTES, a=TEXT_ATTRIBUTES["a"] | {"rel"})
# What the stored rendering holds: sanitized text and our placeholders.
RENDERED_ATTRIBUTES = dict(SANITIZED_ATTRIBUTES, a=SANITIZED_ATTRIBUTES["a"] | {PERSON}, mark={QUOTE}, sup={SPEAKER})
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"

# An article page shows this much of an article's Markdown (about 70,000 words, several
# times the longest feature a newspaper prints); past it the page says the text goes on and
# links to the full row. It bounds what a page serves and what the build renders.
ARTICLE_RENDER_LIMIT = 400_000

OPEN, CLOSE = "\ue000", "\ue001"
SENTINEL = re.compile(OPEN + r"(/?)(\d+)" + CLOSE)
PLACEHOLDER = re.compile(
    rf'<mark {QUOTE}="(?P<quote>\d+)">|<sup {SPEAKER}="(?P<speaker>\d+)"></sup>|<a {PERSON}="(?P<person>\d+)">'
)

# CommonMark, with GitHub's tables and strikethrough as web clippings use them; raw HTML is
# parsed and left to nh3.
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


@dataclass(frozen=True)
class Span:
    """``source[start:end]`` is a quotation (``kind`` "quote") or a mention ("person")."""

    start: int
    end: int
    kind: str


def body_spans(quotes: list[dict], mentions: list[dict]) -> list[Span]:
    """Where the body's quotations and mentions are, from their rows (``start``, ``end`` and
    ``in_headline``, taken as 0 where absent)."""
    return [Span(row["start"], row["end"], "quote") for row in quotes if not row.get("in_headline")] + [
        Span(row["start"], row["end"], "person") for row in mentions if not row.get("in_headline")
    ]


def sanitize(fragment: str) -> str:
    """The allow-list: no scripts, styles, frames, event handlers, classes, ids or data
    attributes, no javascript:/data: links; every link gets rel="nofollow noopener"."""
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=TEXT_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=LINK_REL, strip_comments=True)


def _resanitize(fragment: str, attributes: dict = RENDERED_ATTRIBUTES) -> str:
    """The same allow-list over sanitized text (plus our placeholders), re-nested."""
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=attributes, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True)


def render_markdown(source: str | None) -> str:
    """Markdown to sanitized HTML, nothing marked."""
    return sanitize(_MARKDOWN.render(_without_sentinels(source)))


def _without_sentinels(source: str | None) -> str:
    """The text with the private-use characters the spans are marked with replaced, one for
    one so offsets hold: a page never shows one, and an article cannot forge a mark."""
    return (source or "").replace(OPEN, "\ufffd").replace(CLOSE, "\ufffd")


def shown_part(body: str) -> str:
    """The part of an article a page shows: all of it, or up to the last paragraph break
    within ``ARTICLE_RENDER_LIMIT``."""
    if len(body) <= ARTICLE_RENDER_LIMIT:
        return body
    cut = body.rfind("\n\n", 0, ARTICLE_RENDER_LIMIT)
    return body[:cut if cut > 0 else ARTICLE_RENDER_LIMIT]


def render_article(body: str, spans: list[Span]) -> str:
    """The shown part of an article as sanitized HTML, with a placeholder at each span that
    fits in it (see the module docstring)."""
    text = _without_sentinels(shown_part(body))
    spans = [span for span in spans if 0 <= span.start < span.end <= len(text)]
    inserts = []
    for n, span in enumerate(spans):
        # closes before opens at one offset; wider spans open first and close last
        inserts.append((span.start, 1, span.start - span.end, f"{OPEN}{n}{CLOSE}"))
        inserts.append((span.end, 0, span.end - span.start, f"{OPEN}/{n}{CLOSE}"))
    pieces, last = [], 0
    for offset, _, _, sentinel in sorted(inserts):
        pieces += [text[last:offset], sentinel]
        last = offset
    pieces.append(text[last:])
    rendered = sanitize(_MARKDOWN.render("".join(pieces)))
    if not spans:
        return rendered
    marks = [_placeholders(span) for span in spans]

    def rewrite(match: re.Match) -> str:
        if match["tag"]:  # a sentinel inside a tag was in a URL or an attribute: dropped
            return SENTINEL.sub("", match["tag"])
        opening, closing = marks[int(match["n"])]
        return closing if match["close"] else opening

    return _resanitize(_TAG_OR_SENTINEL.sub(rewrite, rendered))


# nh3 escapes < and > inside attribute values and text, so in its output a tag runs from one
# < to the next >: each sentinel is either inside a tag or in text.
_TAG_OR_SENTINEL = re.compile(rf"(?P<tag><[^>]*>)|{OPEN}(?P<close>/?)(?P<n>\d+){CLOSE}")


def _placeholders(span: Span) -> tuple[str, str]:
    if span.kind == "quote":
        return f'<mark {QUOTE}="{span.start}">', f'</mark><sup {SPEAKER}="{span.start}"></sup>'
    return f'<a {PERSON}="{span.start}">', "</a>"


@dataclass(frozen=True)
class Fill:
    """What the placeholders of one article become, each keyed by its span's start: the
    opening tag of a quotation, the speaker label after it, the link of a mention."""

    quote: Callable[[int], str]
    speaker: Callable[[int], str]
    person: Callable[[int], str]


# Placeholders left as plain markup: a highlight with no link and no label.
PLAIN = Fill(quote=lambda start: "<mark>", speaker=lambda start: "", person=lambda start: "<a>")


def fill(rendered: str, how: Fill = PLAIN) -> str:
    """The stored HTML with each placeholder replaced, in one pass over it."""

    def replace(match: re.Match) -> str:
        kind = match.lastgroup
        return getattr(how, kind)(int(match[kind]))

    return PLACEHOLDER.sub(replace, rendered)


def unmarked(rendered: str) -> str:
    """Stored HTML as an article's plain HTML, for feeds and openings: no highlights, no
    placeholders, mentions as text; sanitized again, so any HTML given is safe."""
    return nh3.clean(fill(rendered), tags=ALLOWED_TAGS - {"mark"}, attributes=SANITIZED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)


def opening(rendered: str, paragraphs: int, limit: int) -> str:
    """The first ``paragraphs`` paragraphs of stored HTML (those that end within its first
    ``limit`` characters; else those characters), unmarked, re-nested where the cut fell
    inside an element."""
    end = 0
    for _ in range(paragraphs):
        found = rendered.find("</p>", end, limit)
        if found < 0:
            break
        end = found + len("</p>")
    return unmarked(rendered[:end or limit])
