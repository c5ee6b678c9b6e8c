"""Markdown to safe HTML, with quotations and people marked in the rendered text.

Article text comes from the open web, so every rendering goes through nh3's allow-list.
Highlights are placed by offsets into the Markdown source: private-use sentinels are put at
those offsets, the Markdown is rendered and sanitized, and only then are the sentinels that
landed in text (never inside an attribute) replaced by our own markup. A last nh3 pass keeps
the result well nested and sanitized whatever the text held.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Callable

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "mark", "ol", "p", "pre", "q", "s", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title"},
    "mark": {"class", "id", "title"},
    "span": {"class", "title"},
    "sup": {"class"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"

OPEN, CLOSE = "\ue000", "\ue001"
# FTS5 snippet() marks matches with these: control characters no article text keeps.
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"
SENTINEL = re.compile(OPEN + r"(/?)(\d+)" + CLOSE)


@dataclass(frozen=True)
class Highlight:
    """Trusted markup to wrap around ``source[start:end]`` once rendered."""

    start: int
    end: int
    open_html: str
    close_html: str


def sanitize(fragment: str) -> str:
    """The allow-list: no scripts, styles, frames, event handlers or javascript:/data: links;
    every link gets rel="nofollow noopener"."""
    return _clean(fragment, ALLOWED_ATTRIBUTES, LINK_REL)


def _resanitize(fragment: str) -> str:
    """The same allow-list over sanitized text plus our own links: ``rel`` set by the first
    pass is kept on links from the text, and our links to the plugin's pages get none."""
    return _clean(fragment, dict(ALLOWED_ATTRIBUTES, a=ALLOWED_ATTRIBUTES["a"] | {"rel"}), None)


def _clean(fragment: str, attributes: dict, link_rel: str | None) -> str:
    return nh3.clean(
        fragment, tags=ALLOWED_TAGS, attributes=attributes, url_schemes=URL_SCHEMES,
        link_rel=link_rel, strip_comments=True,
    )


def render_markdown(source: str | None) -> str:
    """Markdown to sanitized HTML."""
    return sanitize(markdown_lib.markdown(_without_sentinels(source), output_format="html"))


def _without_sentinels(source: str | None) -> str:
    """The text with the private-use characters the highlights are marked with replaced, one
    for one so offsets hold: a page never shows one, and an article cannot forge a mark."""
    return (source or "").replace(OPEN, "\ufffd").replace(CLOSE, "\ufffd")


def render_highlighted(source: str, highlights: list[Highlight]) -> str:
    """Markdown to sanitized HTML with each highlight wrapped around its span of the source."""
    text = _without_sentinels(source)
    inserts = []
    for n, mark in enumerate(highlights):
        if 0 <= mark.start < mark.end <= len(text):
            # closes before opens at one offset; wider spans open first and close last
            inserts.append((mark.start, 1, -(mark.end - mark.start), f"{OPEN}{n}{CLOSE}"))
            inserts.append((mark.end, 0, mark.end - mark.start, f"{OPEN}/{n}{CLOSE}"))
    pieces, last = [], 0
    for offset, _, _, sentinel in sorted(inserts):
        pieces += [text[last:offset], sentinel]
        last = offset
    pieces.append(text[last:])
    rendered = sanitize(markdown_lib.markdown("".join(pieces), output_format="html"))
    rewriter = _SentinelRewriter(highlights)
    rewriter.feed(rendered)
    rewriter.close()
    return _resanitize("".join(rewriter.out))


class _SentinelRewriter(HTMLParser):
    """Re-serialise sanitized HTML, turning sentinels in text into markup and dropping any
    that ended up inside an attribute."""

    def __init__(self, highlights: list[Highlight]):
        super().__init__(convert_charrefs=True)
        self.highlights = highlights
        self.out: list[str] = []

    def _markup(self, match: re.Match) -> str:
        mark = self.highlights[int(match[2])]
        return mark.close_html if match[1] else mark.open_html

    def handle_starttag(self, tag, attrs):
        self.out.append(_tag(tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.out.append(_tag(tag, attrs))

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(SENTINEL.sub(self._markup, html.escape(data, quote=False)))


def _tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    parts = [tag]
    for name, value in attrs:
        value = SENTINEL.sub("", value or "")
        parts.append(f'{name}="{html.escape(value, quote=True)}"')
    return "<" + " ".join(parts) + ">"


def render_diff(ops: list[dict], side: str) -> str:
    """One side of a quotation diff as HTML: ``a`` with its removed words in <del>, or ``b``
    with its added words in <ins>."""
    parts = []
    for op in ops:
        text = html.escape(op[side])
        if not text:
            continue
        if op["op"] == "equal":
            parts.append(text)
        else:
            parts.append(f"<del>{text}</del>" if side == "a" else f"<ins>{text}</ins>")
    return " ".join(parts)


def quote_highlight(quote: dict) -> Highlight:
    """A quotation's markup: the quoted words marked, its speaker (or source) after them."""
    altered = any(other["kind"] == "altered" for other in quote.get("elsewhere", []))
    css = "briefs-quote briefs-altered" if altered else "briefs-quote"
    title = ' title="Appears elsewhere in other words"' if altered else ""
    open_html = f'<mark class="{css}" id="q-{html.escape(quote["id"])}"{title}>'
    if quote["person_url"]:
        label = (f'<sup class="briefs-speaker"><a href="{html.escape(quote["person_url"])}">'
                 f'{html.escape(quote["speaker"])}</a></sup>')
    elif quote["speaker_descr"]:
        label = f'<sup class="briefs-speaker briefs-unnamed">{html.escape(quote["speaker_descr"])}</sup>'
    else:
        label = ""
    return Highlight(quote["start"], quote["end"], open_html, "</mark>" + label)


def mention_highlights(mentions: list[dict], person_url: Callable[[str], str]) -> list[Highlight]:
    """A link on each mention of a person; an article names a few people many times, so each
    person's link is built once."""
    links = {
        person_id: f'<a class="briefs-person" href="{html.escape(person_url(person_id))}">'
        for person_id in {mention["person_id"] for mention in mentions}
    }
    return [Highlight(m["start"], m["end"], links[m["person_id"]], "</a>") for m in mentions]


def snippet_html(snippet: str) -> str:
    """Escape an FTS5 snippet first, then mark the matches, so the text can never inject markup."""
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(SNIPPET_OPEN, "<mark>").replace(SNIPPET_CLOSE, "</mark>")
