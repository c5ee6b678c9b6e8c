"""Article Markdown to safe HTML, once, at build time, with the places of quotations and
people marked for the pages to fill in.

Article text comes from the open web, so it is rendered by markdown-it-py (CommonMark, whose
parser runs in time linear in its input, also on hostile text: Python-Markdown takes
quadratic or cubic time on runs of brackets, unclosed tags or backticks) and every rendering
goes through nh3's allow-list. Raw HTML in an article is shown as text, not parsed: an HTML
parser reopens every unclosed formatting tag at each new paragraph, so 35 KB of tags
followed by paragraphs became 78 MB of HTML.

Quotations and mentions are placed by offsets into the Markdown source: sentinels (private-use
characters around a number, with a random nonce for each rendering, so no text can forge one,
not even through an entity) are put at those offsets, the Markdown is rendered and sanitized,
and the sentinels that landed in text (never those inside a tag, or a mention inside a link)
become placeholders, one attribute each, that the article's own markup cannot hold:
``<mark data-briefs-quote="START">`` around a quotation, an empty
``<sup data-briefs-speaker="START"></sup>`` after it, ``<a data-briefs-person="START">``
around a mention, each keyed by the span's start in the body. A last nh3 pass keeps the
result well nested whatever the text held. The server fills the placeholders with links and
speaker names in one linear pass (``fill``), so who is linked follows the build and the
visitor's permissions while the page does no Markdown work.
"""

from __future__ import annotations

import re
import secrets
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
# The same characters percent-encoded, as markdown-it writes them inside a link's address.
OPEN_IN_URL, CLOSE_IN_URL = "%EE%80%80", "%EE%80%81"
PLACEHOLDER = re.compile(
    rf'<mark {QUOTE}="(?P<quote>\d+)">|<sup {SPEAKER}="(?P<speaker>\d+)"></sup>|<a {PERSON}="(?P<person>\d+)">'
)

# CommonMark, with GitHub's tables and strikethrough as web clippings use them; raw HTML as text.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


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
    return _clean(fragment, TEXT_ATTRIBUTES, link_rel=LINK_REL)


def _clean(fragment: str, attributes: dict, tags: set[str] = ALLOWED_TAGS, link_rel: str | None = None) -> str:
    """nh3 with these tags and attributes: also, over sanitized text, what re-nests it
    (``link_rel`` None keeps the rel the first pass set)."""
    return nh3.clean(fragment, tags=tags, attributes=attributes, url_schemes=URL_SCHEMES, link_rel=link_rel,
                     strip_comments=True)


def render_markdown(source: str | None) -> str:
    """Markdown to sanitized HTML, nothing marked."""
    return _without_sentinels(sanitize(_MARKDOWN.render(source or "")))


def _without_sentinels(source: str | None) -> str:
    """The text with the private-use characters the spans are marked with replaced, one for
    one so offsets hold: a page never shows one, and an article cannot forge a mark."""
    return (source or "").replace(OPEN, "\ufffd").replace(CLOSE, "\ufffd")


def shown_part(body: str) -> str:
    """The part of an article a page shows: all of it, or up to the last paragraph break
    within ``ARTICLE_RENDER_LIMIT``."""
    return first_part(body, ARTICLE_RENDER_LIMIT)


def first_part(body: str, limit: int) -> str:
    """All of the body, or up to its last paragraph break within ``limit`` characters."""
    if len(body) <= limit:
        return body
    cut = body.rfind("\n\n", 0, limit)
    return body[:cut if cut > 0 else limit]


def render_article(body: str, spans: list[Span]) -> str:
    """The shown part of an article as sanitized HTML, with a placeholder at each span that
    fits in it (see the module docstring)."""
    text = _without_sentinels(shown_part(body))
    spans = [span for span in spans if 0 <= span.start < span.end <= len(text)]
    nonce = secrets.token_hex(4)
    inserts = []
    for n, span in enumerate(spans):
        # closes before opens at one offset; wider spans open first and close last
        inserts.append((span.start, 1, span.start - span.end, f"{OPEN}{nonce}{n}{CLOSE}"))
        inserts.append((span.end, 0, span.end - span.start, f"{OPEN}{nonce}/{n}{CLOSE}"))
    pieces, last = [], 0
    for offset, _, _, sentinel in sorted(inserts):
        pieces += [text[last:offset], sentinel]
        last = offset
    pieces.append(text[last:])
    rendered = sanitize(_MARKDOWN.render("".join(pieces)))
    if spans:
        rendered = _clean(_Placing(spans, nonce).place(rendered), RENDERED_ATTRIBUTES)
    return _without_sentinels(rendered)  # any an entity made: text, never marks


class _Placing:
    """Sentinels to placeholders, in one pass over sanitized HTML: those in a tag (a link's
    address, an image's text) dropped; a mention inside a link left unlinked, and a quotation
    ending inside one left without its speaker, since links do not nest."""

    def __init__(self, spans: list[Span], nonce: str):
        self.marks = [_placeholders(span) for span in spans]
        self.links = 0  # links open where the pass is
        self.unplaced: set[int] = set()
        self.in_tag = re.compile(rf"(?:{OPEN}|{OPEN_IN_URL}){nonce}/?\d+(?:{CLOSE}|{CLOSE_IN_URL})")
        # nh3 quotes every attribute value with ": a tag runs to the first > outside quotes
        self.pattern = re.compile(rf'(?P<tag><[^>"]*(?:"[^"]*"[^>"]*)*>)|{OPEN}{nonce}(?P<close>/?)(?P<n>\d+){CLOSE}')

    def place(self, rendered: str) -> str:
        return self.pattern.sub(self._rewrite, rendered)

    def _rewrite(self, match: re.Match) -> str:
        tag = match["tag"]
        if tag:
            if tag.startswith(("<a ", "<a>")):
                self.links += 1
            elif tag == "</a>":
                self.links = max(0, self.links - 1)
            return self.in_tag.sub("", tag)
        n = int(match["n"])
        opening, closing = self.marks[n]
        if not match["close"]:
            if self.links and opening.startswith("<a "):
                self.unplaced.add(n)
                return ""
            return opening
        if n in self.unplaced:
            return ""
        if self.links and closing.startswith("</mark>"):
            return "</mark>"
        return closing


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
    return _clean(fill(rendered), SANITIZED_ATTRIBUTES, tags=ALLOWED_TAGS - {"mark"})


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
