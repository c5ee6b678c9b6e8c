"""Web furniture: what a news site prints around an article, told apart from the article.

Clipped and saved pages keep skip links, share bars, cookie banners, paywall, newsletter and
search-engine prompts, comment-tool hints, video labels, bylines with the reporter's title and
place, relative timestamps, lists of related articles, pull quotes printed again from the body
and the author's bio. ``furniture`` reads a page's paragraphs once and says which of them are
such furniture; ``text.articles`` files those under the article's ``noise``, so nothing is lost
and a reader can see what was taken out. The word lists are data (``lexicons/web_*.txt``,
``social_networks``, ``share_words``, ``related_headings``); the rules say how pages are laid
out, never which site is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cues import GIVEN_NAMES
from .dates import date_line
from .lexicon import entries, words

# A line longer than this is prose, whatever words it holds: furniture lines are short.
MAX_FURNITURE_WORDS = 30
# Cookie banners and paywall notices run longer than other furniture.
MAX_NOTICE_WORDS = 70
# Before the body, this many paragraphs may be bylines, dates and labels.
HEAD_PARAGRAPHS = 8
# A pull quote repeats at least this many words of a paragraph of the article.
MIN_PULL_QUOTE_WORDS = 5
# The items of a related-articles list are headlines: short, with no full stop.
MAX_RELATED_ITEM_WORDS = 20
# A kicker above a headline ("Analysis", "Live", "World | Europe") is this many words at most.
MAX_LABEL_WORDS = 4
SENTENCE_END = (".", "!", "?", ":", ";")
# A byline is a name and at most a title and a place.
MAX_BYLINE_WORDS = 14

FURNITURE_LINES = words("web_furniture_lines")  # the whole line: "Share", "Accept all"
FURNITURE_STARTS = entries("web_furniture_starts")  # its opening: "Skip to", "Sign up to"
FURNITURE_PHRASES = entries("web_furniture_phrases")  # anywhere in it: "we use cookies"
SOCIAL_NETWORKS = words("social_networks")
SHARE_WORDS = words("share_words")
EXCERPT_LABELS = words("web_labels")  # "> ## Excerpt" above a clipper's quoted excerpt
RELATED_HEADINGS = words("related_headings")

MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
RELATIVE_TIME = re.compile(
    r"^(?:(?:updated|published|posted|last updated)\s*:?\s*)?"
    r"(?:\d+|an?|one|two|three|few)\s+(?:sec|second|min|minute|hr|hour|day|week|month|year)s?\s+ago$"
    r"|^(?:just now|yesterday|today)$"
)
COMMENT_COUNT = re.compile(r"^(?:(?:view|show|read|see|load|hide)\s+(?:all\s+)?)?\(?\d*\)?\s*comments?\s*\(?\d*\)?$")
VIDEO_LABEL = re.compile(r"^(?:video|audio|media)\s*,?\s*(?:\d{1,2}:)?\d{1,2}:\d\d\b|^duration\s*:?\s*(?:\d{1,2}:)?\d{1,2}:\d\d$")
BYLINE_BY = re.compile(r"^by\s+(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})(?P<rest>.*)$", re.I)
# "Jane Doe in Kyiv", "Jane Doe, Europe correspondent", "Jane Doe Reporting from Geneva".
BYLINE_NAME = re.compile(
    r"^(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w.'’-]+){1,2})"
    r"(?:\s+(?:and|&)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w.'’-]+){1,2})?"
    r"(?P<rest>\s+(?:in|at|reporting from|reports from)\s+[A-Z].*|\s*,\s*.+|\s*)$"
)
BIO_START = re.compile(r"^[*_]*(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s+(?:is|was|has been|writes|covers)\s")
ABOUT_AUTHOR = re.compile(r"^(?:about the authors?|about the writers?|author bio|the authors?)$")
THEMATIC_BREAK = re.compile(r"^(?:[-*_]\s*){3,}$")
QUOTATION_MARKS = '"“”‘’«»'
_FOLD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Line:
    """A paragraph as the page reader sees it: its kind ("text", "bullet", "heading",
    "image") and its text."""

    kind: str
    text: str


def furniture(lines: list[Line], author: str | None = None, title: str | None = None) -> set[int]:
    """The positions of the lines that are web furniture, not the article.

    ``author``, from front matter, names the byline and the bio at the end; with the page's
    ``title`` known, short labels above the article ("Analysis", "World | Europe") are
    furniture too.
    """
    found = {i for i, line in enumerate(lines) if line.kind != "image" and is_furniture_line(line.text)}
    start = _first_body_line(lines, found)
    for i in range(start):
        text = lines[i].text
        if lines[i].kind == "text" and (
            is_byline(text, author)
            or is_quoted(text) and _key(text) in EXCERPT_LABELS
            or title and _is_label(text, title)
        ):
            found.add(i)
    found |= _related_lists(lines)
    found |= _pull_quotes(lines, found)
    found |= _bio(lines, start, author, found)
    return found


def is_furniture_line(text: str) -> bool:
    """A line that is furniture wherever it stands: a prompt, a label, a share bar, a link."""
    plain = _plain(text)
    key = _key(plain)
    if not key:
        return _only_links(text)
    n_words = len(key.split())
    if n_words > MAX_NOTICE_WORDS:
        return False
    if not _has_quotation(plain) and any(phrase in key for phrase in FURNITURE_PHRASES):
        return True
    if n_words > MAX_FURNITURE_WORDS:
        return False
    if key in FURNITURE_LINES or key.startswith(FURNITURE_STARTS) or plain.lower().startswith(FURNITURE_STARTS):
        return True
    if RELATIVE_TIME.match(key) or COMMENT_COUNT.match(key) or VIDEO_LABEL.match(plain.lower()):
        return True
    return _is_share_bar(key) or _only_links(text) or date_line(plain) is not None


def is_byline(text: str, author: str | None = None) -> bool:
    """A byline as sites print it above an article: "By Jane Doe, Senior correspondent, Kyiv",
    "Jane Doe in Geneva", or a line that opens with the author's name."""
    plain = _plain(text).strip(" *_")
    if len(plain.split()) > MAX_BYLINE_WORDS or plain.endswith((".", "!", "?")) or _has_quotation(plain):
        return False
    if author and plain.startswith(author.split(",")[0].strip()):
        return True
    match = BYLINE_BY.match(plain)
    if match:
        return True
    match = BYLINE_NAME.match(plain)
    return bool(match) and match["name"].split()[0] in GIVEN_NAMES and (bool(match["rest"].strip()) or author is None)


def _is_label(text: str, title: str) -> bool:
    """A kicker or section label above the article: a few words, not a sentence, not the title."""
    plain = _plain(text).strip(" *_")
    return (
        len(plain.split()) <= MAX_LABEL_WORDS and not plain.endswith(SENTENCE_END)
        and _key(plain) != _key(title) and not _has_quotation(plain)
    )


def is_thematic_break(text: str) -> bool:
    return bool(THEMATIC_BREAK.match(text.strip()))


def _first_body_line(lines: list[Line], found: set[int]) -> int:
    """Where the article's prose starts: the first long paragraph that is neither furniture nor
    quoted (a clipper's excerpt of the page is quoted above the article)."""
    seen = 0
    for i, line in enumerate(lines):
        if i in found:
            continue
        if line.kind == "text" and not is_quoted(line.text) and len(line.text.split()) > MAX_BYLINE_WORDS:
            return i
        seen += 1
        if seen > HEAD_PARAGRAPHS:
            return i
    return len(lines)


def is_quoted(text: str) -> bool:
    """A Markdown block quote line ("> …")."""
    return text.startswith(">")


def _related_lists(lines: list[Line]) -> set[int]:
    """A "Related"/"Most read" heading and the headlines listed under it."""
    found: set[int] = set()
    i = 0
    while i < len(lines):
        if lines[i].kind in ("text", "heading") and _is_related_heading(lines[i].text):
            found.add(i)
            i += 1
            while i < len(lines) and _is_related_item(lines[i]):
                found.add(i)
                i += 1
        else:
            i += 1
    return found


def _is_related_heading(text: str) -> bool:
    key = _key(_plain(text))
    if key in RELATED_HEADINGS:
        return True
    n_words = len(key.split())
    return n_words <= 6 and any(" " in entry and key.startswith(entry + " ") for entry in RELATED_HEADINGS)


def _is_related_item(line: Line) -> bool:
    if line.kind == "image":
        return True
    if line.kind == "heading":
        return False
    plain = _plain(line.text)
    n_words = len(plain.split())
    if _only_links(line.text) or (line.kind == "bullet" and n_words <= MAX_RELATED_ITEM_WORDS):
        return True
    return 0 < n_words <= MAX_RELATED_ITEM_WORDS and not plain.rstrip().endswith((".", ":", ";"))


def _pull_quotes(lines: list[Line], found: set[int]) -> set[int]:
    """A line that repeats words of a longer paragraph of the page: a pull quote or a teaser."""
    texts = [(i, _fold(_plain(line.text))) for i, line in enumerate(lines) if line.kind == "text" and i not in found]
    repeated = set()
    for i, short in texts:
        if len(short.split()) < MIN_PULL_QUOTE_WORDS:
            continue
        if any(j != i and len(long) > len(short) and f" {short} " in f" {long} " for j, long in texts):
            repeated.add(i)
    return repeated


def _bio(lines: list[Line], start: int, author: str | None, found: set[int]) -> set[int]:
    """The author's bio after the article: "Jane Doe is …", or all under "About the author"."""
    bio: set[int] = set()
    names = [name.strip() for name in (author or "").split(",") if len(name.split()) >= 2]
    for i in range(len(lines) - 1, start, -1):
        line = lines[i]
        if i in found or line.kind == "image":
            continue
        plain = _plain(line.text).strip()
        if ABOUT_AUTHOR.match(_key(plain)):
            return bio | set(range(i, len(lines)))
        match = BIO_START.match(plain)
        if match and any(match["name"].startswith(name) for name in names):
            bio.add(i)
            continue
        if match and plain.startswith(("*", "_")):  # an italic note closing the page
            bio.add(i)
            continue
        break
    return bio


def _is_share_bar(key: str) -> bool:
    tokens = key.split()
    networks = sum(token in SOCIAL_NETWORKS for token in tokens)
    return networks >= 2 and all(token in SOCIAL_NETWORKS or token in SHARE_WORDS for token in tokens)


def _only_links(text: str) -> bool:
    """A line made of links and nothing else: navigation, a related headline, a share button."""
    if "](" not in text:
        return False
    rest = MARKDOWN_LINK.sub("", text)
    return not re.search(r"[^\W_]", rest) and bool(MARKDOWN_LINK.search(text))


def _has_quotation(text: str) -> bool:
    return any(mark in text for mark in QUOTATION_MARKS)


def _plain(text: str) -> str:
    """The line as read: links as their text, Markdown emphasis and quote markers gone."""
    text = MARKDOWN_LINK.sub(r"\1", text)
    return text.lstrip("> ").replace("**", "").replace("__", "")


def _key(text: str) -> str:
    """Lower case, punctuation and counts aside: "Share this article:" is "share this article"."""
    return " ".join(re.sub(r"[^\w'’ ]+", " ", text.lower()).split())


def _fold(text: str) -> str:
    return " ".join(_FOLD.sub(" ", text.lower()).split())
