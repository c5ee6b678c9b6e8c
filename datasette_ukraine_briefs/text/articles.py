"""Text to articles: headlines, datelines, captions, credits, noise, images and a Markdown body.

Files copied from news sites hold several articles, headlines printed twice, photo captions
with agency credits, stray lines ("TT", "20"), Markdown images and bullets. ``split_articles``
walks the file's paragraphs once and decides, for each, whether it is a headline, a dateline
paragraph that opens a new story, page furniture, or body text. It knows how news is laid
out (title case, datelines, credit lines), never which outlet or story it is reading.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from . import lexicon
from .captions import credited_caption
from .cues import COUNTRIES, PLACE_NAMES
from .dates import MONTHS, date_line, parse_date
from .furniture import Line, furniture, is_quoted, is_thematic_break
from .headlines import MAX_HEADLINE_WORDS, MAX_TITLE_CHARS, SENTENCE_BREAK, bounded_title, is_headline

# --- line patterns -------------------------------------------------------------------------

IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<url>[^\s)>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)$")
BULLET = re.compile(r"^\s*(?:[•·▪‣◦●○■□►▸➢✓–—*+-]|(?P<num>\d{1,2})[.)])\s+(?P<text>\S.*)$")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?P<text>\S.*?)\s*#*$")
# After body text, a line opening with these is speech or an aside, never a section heading.
SPEECH_OR_ASIDE = ('"', "“", "(", "[")
TERMINAL = tuple('.!?:;"”’)')
WORD = re.compile(r"[^\W_][\w'’.-]*")

BYLINE = re.compile(r"^By\s+(?P<author>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|van|von|der|la))*)\s*$")

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w'’.-]*(?:/[A-Z][\w'’.-]*)*(?:\s[A-Z][\w'’.-]*){0,3}(?:,\s[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?)"
    r"(?:,?\s(?P<date>(?i:" + _MONTH + r")\.?\s\d{1,2}(?:,\s\d{4})?|\d{1,2}\s(?i:" + _MONTH + r")\.?(?:\s\d{4})?))?"
    r"(?:\s\((?P<agency>[A-Za-z][\w .&/-]{0,30})\))?"
    r"\s?(?:–|—|--|-)\s(?P<rest>[\"“‘'A-Z0-9].*)$",
    re.S,
)
# "Mehmet Oz — a TV doctor — has been …": a name with an aside, not a dateline.
ASIDE = re.compile(r"^[^–—]{0,120}?\s(?:–|—|--)\s")
# Words that open a sentence and would otherwise pass for a dateline's place: "However – …".
NOT_PLACES = frozenset(
    "however meanwhile but and yet still also then now today earlier later instead indeed "
    "moreover separately elsewhere overall finally first second third last next so thus "
    "mr mrs ms dr sir lord lady dame gen general prof president minister chancellor secretary "
    "he she they we it this that there".split()
)
# Lines that web pages leave behind and no reader wants in an article.
BOILERPLATE = frozenset({
    "advertisement", "advertising", "sponsored", "share", "share this article", "read more",
    "related", "related articles", "skip to content", "subscribe", "sign up", "copy link",
    "comments", "print", "email", "listen", "listen to this article",
})

# The article's first paragraph read again after this many paragraphs starts the text over (a
# story pasted twice, or a second version of it); sooner, the opening paragraphs were a teaser
# printed again, and their copy is noise.
MIN_PARAGRAPHS_BEFORE_REPEAT = 3


@dataclass
class Image:
    url: str
    alt: str | None = None
    caption: str | None = None
    credit: str | None = None


@dataclass
class Article:
    position: int
    title: str | None = None
    subtitle: str | None = None
    dateline: str | None = None
    agency: str | None = None
    published: str | None = None
    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    body: str = ""
    images: list[Image] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # from front matter
    front_matter: dict = field(default_factory=dict)  # its keys that no field above took

    @property
    def word_count(self) -> int:
        return len(WORD.findall(self.body))

    @property
    def content_hash(self) -> str:
        """A digest of what the article says and what is known of it: the same article found
        in two files is stored once, and a changed one is told from an unchanged one."""
        fields = (self.title, self.subtitle, self.dateline, self.outlet, self.url, self.published, self.author, self.body)
        digest = hashlib.sha256("\x1f".join(field or "" for field in fields).encode("utf-8")).hexdigest()
        return digest[:16]

    @property
    def display_title(self) -> str:
        """The headline, or the opening words of the body for articles printed without one."""
        if self.title:
            return self.title
        words = self.body[:MAX_TITLE_CHARS * 2].replace("#", "").split()  # a dozen words at most
        more = len(words) > 12 or len(self.body) > MAX_TITLE_CHARS * 2
        opening = " ".join(words[:12]) + (" …" if more else "") if words else "(untitled)"
        return bounded_title(opening)


@dataclass
class _Para:
    kind: str  # "text", "bullet", "image", "heading"
    text: str
    gap: int  # blank lines before it
    number: str | None = None  # for numbered bullets
    alt: str | None = None  # for images


@dataclass(frozen=True)
class WebPage:
    """What a clipped or saved web page says of its article, beside its text."""

    subtitle: str | None = None  # the page's description, its standfirst
    author: str | None = None


@dataclass
class _File:
    """The file being read: its paragraphs, how often each line occurs, and for a web page,
    which paragraphs are its furniture."""

    paras: list[_Para]
    counts: Counter
    web: WebPage | None = None
    furniture: frozenset[int] = frozenset()


@dataclass
class _Draft:
    """An article while it is being read; ``blocks`` are Markdown blocks of its body."""

    article: Article
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (kind, markdown)
    has_text: bool = False
    seen_captions: set[str] = field(default_factory=set)
    first_key: str | None = None  # the comparison key of its first body paragraph
    body_keys: set[str] = field(default_factory=set)  # and of all its body paragraphs
    title_given: bool = False  # by front matter: the text's first line is then not its headline
    # Body paragraphs when a web page's thematic break ("---") was read: a headline right
    # after it may open a second article.
    paragraphs_at_break: int | None = None


# --- public API ----------------------------------------------------------------------------


def split_articles(text: str, title: str | None = None, web: WebPage | None = None) -> list[Article]:
    """Split a file's text (front matter already removed) into articles, in file order.

    ``title``, from front matter, is the first article's headline: a line of the text that
    repeats it is noise, and the text's first line is read as body, not taken for a headline.
    ``web`` marks a clipped or saved web page: one article (unless a thematic break and a new
    headline clearly start another), its furniture filed as noise, its standfirst given.
    """
    paras = _paragraphs(text)
    file = _File(paras, Counter(_norm(p.text) for p in paras if p.kind == "text"), web)
    if web is not None:
        lines = [Line(p.kind, p.text) for p in paras]
        file.furniture = frozenset(furniture(lines, web.author, title))
    articles: list[Article] = []
    first = Article(position=1, title=title or None, subtitle=web.subtitle if web else None)
    draft = _Draft(first, title_given=bool(title))
    for i, para in enumerate(paras):
        started = _read(para, i, file, draft)
        if started is not None:
            _finish(draft, articles)
            draft = started
            _read(para, i, file, draft)
    _finish(draft, articles)
    for number, article in enumerate(articles, start=1):
        article.position = number
    return articles


# --- reading paragraphs --------------------------------------------------------------------


def _paragraphs(text: str) -> list[_Para]:
    """Lines to paragraphs: blank lines counted, hard-wrapped lines joined, kinds marked.

    Text is kept as written, typos included: the body is the record a fact-checker compares
    against. A title glued to the honorific after it ("Prime MinisterSir Keir") gets its space
    back, a slip of copying rather than of the writer.
    """
    paras: list[_Para] = []
    gap = 0
    for raw in text.split("\n"):
        line = _unglued(_single_spaced(raw))
        if not line:
            gap += 1
            continue
        image = IMAGE.match(line)
        bullet = BULLET.match(raw) if not image else None
        heading = MARKDOWN_HEADING.match(line) if len(line) <= MAX_TITLE_CHARS else None  # else prose
        if image:
            paras.append(_Para("image", image["url"], gap, alt=image["alt"] or None))
        elif heading:
            paras.append(_Para("heading", heading["text"], gap))
        elif bullet and not DATELINE.match(line):
            paras.append(_Para("bullet", bullet["text"], gap, number=bullet["num"]))
        elif (
            paras
            and gap == 0
            and paras[-1].kind == "text"
            and not paras[-1].text.endswith(TERMINAL)
            and line[0].islower()
        ):
            paras[-1].text += " " + line  # a hard-wrapped line
        else:
            paras.append(_Para("text", line, gap))
        gap = 0
    return paras


def _read(para: _Para, i: int, file: _File, draft: _Draft) -> _Draft | None:
    """File one paragraph into the draft, or return a new draft when it opens a new article."""
    article = draft.article
    text = para.text
    paras, counts = file.paras, file.counts
    if i in file.furniture:
        if not draft.has_text and not _is_byline(text, article):
            _is_date_line(text, article)  # the page's date, when the page says no other
        article.noise.append(text)
        return None
    if file.web is not None:
        if is_thematic_break(text):
            draft.paragraphs_at_break = _paragraph_count(draft)
            return None
        if not draft.has_text and is_quoted(text):  # the clipper's excerpt of the page
            standfirst = text.lstrip("> ").strip()
            if article.subtitle is None:
                article.subtitle = standfirst
            elif _norm(standfirst) != _norm(article.subtitle):
                article.noise.append(text)
            return None
    if para.kind in ("text", "heading") and _starts_over(i, file, draft):
        return _Draft(Article(position=0))  # the article pasted again, or a second version of it
    if para.kind == "image":
        article.images.append(Image(url=text, alt=para.alt))
        return None
    if para.kind == "bullet":
        marker = f"{para.number}." if para.number else "-"
        draft.blocks.append(("list", f"{marker} {_escape(text)}"))
        draft.has_text = True
        return None
    if para.kind == "heading":
        if _norm(text) == _norm(article.title or ""):
            article.noise.append(text)  # the headline printed again, as a heading
        elif not draft.has_text and article.title is None:
            article.title = text
        else:
            draft.blocks.append(("heading", f"## {text}"))
        return None

    key = _norm(text)
    if is_noise(text):
        article.noise.append(text)
        return None
    if key in (_norm(article.title or ""), _norm(article.subtitle or "")) or key in draft.seen_captions:
        article.noise.append(text)  # a headline or caption printed again
        return None
    if key in draft.body_keys:
        article.noise.append(text)  # a paragraph of this article printed again: read once
        return None
    under_image = i > 0 and paras[i - 1].kind == "image"  # where a caption sits mid-article
    caption = _caption(text, repeated=counts[key] > 1, before_body=not draft.has_text or under_image,
                       beside_image=_beside_image(i, paras))
    if caption is not None:
        _add_caption(draft, key, *caption)
        return None

    dateline = _dateline(text)
    if dateline:
        if draft.has_text and file.web is None and _dateline_opens_article(draft, dateline, para):
            return _Draft(Article(position=0))
        if not draft.has_text or (article.dateline is None and _paragraph_count(draft) <= 1):
            _set_dateline(article, dateline)  # also after a one-paragraph abstract
            text = dateline["rest"]
        _add_paragraph(draft, key, text)
        return None

    if not draft.has_text:
        if _is_byline(text, article):
            return None
        if _is_date_line(text, article):
            return None
    if _is_all_caps_label(text):
        draft.blocks.append(("heading", f"## {text}"))
        return None
    if _is_headline_here(i, paras, draft):
        if not draft.has_text:
            if article.title is None:
                article.title = text.rstrip(";").rstrip()  # "Headline;" in some exports
            elif article.subtitle is None:
                article.subtitle = text
            else:
                draft.blocks.append(("heading", f"## {text}"))
            return None
        if _opens_article(i, file, draft):
            return _Draft(Article(position=0))
        draft.blocks.append(("heading", f"## {text}"))
        return None

    _add_paragraph(draft, key, text)
    return None


def _add_paragraph(draft: _Draft, key: str, text: str) -> None:
    draft.blocks.append(("para", _escape(text)))
    draft.has_text = True
    draft.first_key = draft.first_key or key
    draft.body_keys.add(key)


def _starts_over(i: int, file: _File, draft: _Draft) -> bool:
    """After a few paragraphs, the article's first paragraph again, or a headline with it
    next: the text starts over, as in a file holding one story twice, or two versions of it
    (a web page holds one article)."""
    if file.web is not None or _paragraph_count(draft) < MIN_PARAGRAPHS_BEFORE_REPEAT:
        return False
    para = file.paras[i]
    key = _norm(para.text)
    if key == draft.first_key:
        return True
    following = (p for p in file.paras[i + 1:i + 4] if p.kind == "text" and not is_noise(p.text))
    if next((_norm(p.text) for p in following), None) != draft.first_key:
        return False
    return (  # the line before the first paragraph again is a headline, not the last paragraph
        para.kind == "heading" or not para.text.endswith(TERMINAL)
        or key == _norm(draft.article.title or "") or is_headline(para.text)
    )


def _beside_image(i: int, paras: list[_Para]) -> bool:
    """Right under or right above an image line: where a caption sits."""
    return any(0 <= j < len(paras) and paras[j].kind == "image" for j in (i - 1, i + 1))


def _finish(draft: _Draft, articles: list[Article]) -> None:
    """Close a draft: join its blocks into Markdown, keep it if it has a body."""
    if not draft.has_text:
        if articles:  # furniture with no text of its own belongs to the article before
            previous = articles[-1]
            previous.images += draft.article.images
            previous.captions += draft.article.captions
            previous.credits += draft.article.credits
            previous.noise += draft.article.noise
        return
    parts: list[str] = []
    for n, (kind, markdown) in enumerate(draft.blocks):
        if n and not (kind == "list" and draft.blocks[n - 1][0] == "list"):
            parts.append("\n\n")
        elif n:
            parts.append("\n")
        parts.append(markdown)
    draft.article.body = "".join(parts)
    articles.append(draft.article)


# --- what a paragraph is -------------------------------------------------------------------


def is_noise(text: str) -> bool:
    """Stray page furniture: "TT", "20", "Advertisement", a lone symbol."""
    bare = text.strip(" .:|•*-–—_=#")
    if not bare:
        return True
    if len(bare) <= 3 and " " not in bare:
        return True
    return bare.lower() in BOILERPLATE


def _is_headline_here(i: int, paras: list[_Para], draft: _Draft) -> bool:
    text = paras[i].text
    if len(text) > MAX_TITLE_CHARS:
        return False
    if not draft.has_text:
        plain = not draft.title_given and _is_plain_headline(i, paras)
        return is_headline(text) or plain or _is_deck(i, paras, draft.article)
    return is_headline(text) and not text.startswith(SPEECH_OR_ASIDE)


def _is_plain_headline(i: int, paras: list[_Para]) -> bool:
    """The plain-text export: a short one-sentence line, a blank line, then a longer body."""
    para = paras[i]
    if i + 1 >= len(paras) or paras[i + 1].kind == "image":
        return False
    if paras[i + 1].gap == 0 and not para.text.endswith(";"):  # "Headline;" then its deck
        return False
    if any(p.kind == "text" for p in paras[:i]) and para.gap < 2:
        return False  # only at the top of a file, or after a clear break
    words = para.text.split()
    if not 2 <= len(words) <= MAX_HEADLINE_WORDS or para.text.endswith((":", ",")):
        return False
    if len(words) > 12 and SENTENCE_BREAK.search(para.text):
        return False
    following = [p.text for p in paras[i + 1:i + 4] if p.kind == "text"]
    return any(len(text) > len(para.text) for text in following)


def _is_deck(i: int, paras: list[_Para], article: Article) -> bool:
    """The line printed right under a headline, before a blank line: its standfirst."""
    if article.title is None or article.subtitle is not None or i == 0 or i + 1 >= len(paras):
        return False
    para = paras[i]
    return (
        para.gap == 0
        and _norm(paras[i - 1].text).rstrip(";") == _norm(article.title)
        and paras[i + 1].gap > 0
        and len(para.text.split()) <= MAX_HEADLINE_WORDS
    )


def _opens_article(i: int, file: _File, draft: _Draft) -> bool:
    """A headline after body text opens a new article, not a section, when the top of an
    article follows it: a dateline at a place (once the article before is more than a one-
    paragraph summary), or two of an article's other marks: a wide gap before the headline,
    its own repeat, a photo or caption, a byline or date line, a dateline of a word that is no
    known place. Features give a section one mark at most (a heading, then its photo), and a
    web page holds one article unless a thematic break comes before the headline."""
    if file.web is not None:
        return draft.paragraphs_at_break == _paragraph_count(draft) >= 2
    para, counts = file.paras[i], file.counts
    marks = (para.gap >= 2) + (counts[_norm(para.text)] > 1)
    photo = byline = False
    for n, nxt in enumerate(file.paras[i + 1:i + 4], start=i + 1):
        if nxt.kind == "image":
            photo = True
            continue
        if nxt.kind != "text" or is_noise(nxt.text) or _norm(nxt.text) == _norm(para.text):
            continue
        dateline = _dateline(nxt.text)
        if dateline:
            if _is_place(dateline) and _paragraph_count(draft) >= 2:
                return True
            marks += 1
        elif _caption(nxt.text, repeated=counts[_norm(nxt.text)] > 1, before_body=True,
                      beside_image=_beside_image(n, file.paras)) is not None:
            photo = True
            continue
        elif BYLINE.match(nxt.text) or date_line(nxt.text):
            byline = True
            continue
        break
    return marks + photo + byline >= 2


def _is_place(dateline: re.Match) -> bool:
    """A dateline's place is one: a known city or country, a place in capitals ("KYIV"), a
    "Town, Country" pair, or one a news agency signs."""
    place = dateline["place"]
    first = place.split(",")[0].strip()
    return bool(
        dateline["agency"] or "," in place or (place.isupper() and len(first) > 2)
        or first in PLACE_NAMES or first in COUNTRIES
    )


def _caption(text: str, repeated: bool, before_body: bool, beside_image: bool) -> tuple[str, str | None] | None:
    """(caption, credit) when the line is a photo caption, else None.

    A credit marks a caption (``captions.credited_caption``); a line with no credit is a caption
    only when it is repeated before the body right beside an image. A repeated paragraph alone
    is no caption: files hold a story twice, or two versions of it, and their text stays text.
    """
    found = credited_caption(text, where_captions_sit=before_body or repeated)
    if found is None and repeated and before_body and beside_image and not is_headline(text):
        return text, None
    return found


def _add_caption(draft: _Draft, key: str, caption: str, credit: str | None) -> None:
    article = draft.article
    draft.seen_captions.add(key)
    if caption not in article.captions:
        article.captions.append(caption)
    if credit and credit not in article.credits:
        article.credits.append(credit)
    for image in reversed(article.images):  # a caption under an image describes it
        if image.caption is None:
            image.caption, image.credit = caption, credit
            break


def _dateline(text: str) -> re.Match | None:
    """A dateline opening the paragraph ("Paris – …", "KYIV, Ukraine (AP) — …"), or None."""
    match = DATELINE.match(text)
    if not match:
        return None
    first = match["place"].split()[0].strip(",.").lower()
    if first in NOT_PLACES or ASIDE.match(match["rest"]):
        return None
    return match


def _dateline_opens_article(draft: _Draft, dateline: re.Match, para: _Para) -> bool:
    """After body text, a dateline opens a new story when the article before had one too, when
    a wire agency signs it, after a wide gap, or after a full article with no dateline. An
    all-capitals run-in subhead ("WHAT COMES NEXT – …") is not a place."""
    if para.gap >= 2 or (
        (draft.article.dateline or dateline["agency"]) and _paragraph_count(draft) >= 2
    ):
        return True
    place = dateline["place"]
    run_in = place.isupper() and len(place.split()) >= 3
    return not run_in and _is_place(dateline) and _paragraph_count(draft) >= 3


def _paragraph_count(draft: _Draft) -> int:
    return sum(kind == "para" for kind, _ in draft.blocks)


def _set_dateline(article: Article, match: re.Match) -> None:
    article.dateline = match["place"].strip().rstrip(",")
    if match["agency"]:
        article.agency = match["agency"].strip()
        article.outlet = article.outlet or article.agency
    if match["date"] and article.published is None:
        article.published = parse_date(match["date"])


def _is_byline(text: str, article: Article) -> bool:
    match = BYLINE.match(text)
    if match and len(text.split()) <= 8:
        article.author = article.author or match["author"]
        return True
    return False


def _is_date_line(text: str, article: Article) -> bool:
    """A line before the body that is only a date ("17 February 2025, 10:04 GMT")."""
    date = date_line(text)
    if date is None:
        return False
    article.published = article.published or date
    return True


def _is_all_caps_label(text: str) -> bool:
    """Section labels set in capitals: "FULL TEXT.", "WHAT HAPPENS NEXT"."""
    if len(text.split(maxsplit=8)) > 8:  # more than eight words: the cheap test first
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


@lru_cache(maxsize=1024)
def _norm(text: str) -> str:
    """The comparison key of a line: lower case, whitespace collapsed (a paragraph's key is
    asked for several times, so keys are cached)."""
    return _single_spaced(text.lower())


def _single_spaced(text: str) -> str:
    """Whitespace runs made one space, none at the ends: " ".join(text.split())."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # the usual line, already single-spaced (other whitespace is unprintable)
    return " ".join(text.split())


def _glued_pattern() -> re.Pattern:
    titles = [w for w in lexicon.words("honorifics") | lexicon.words("courtesy_titles") if w.isalpha() and w[0].isupper()]
    # Title words of five letters or more only: "YouGov" is a name, not "You" and "Gov".
    titles += [w for w in lexicon.words("title_words") if w.isalpha() and w[0].isupper() and len(w) >= 5]
    alternatives = "|".join(sorted(set(titles), key=len, reverse=True))
    return re.compile(rf"\b([A-Z][a-z]{{2,}})({alternatives})(?=\s+[A-Z])")


# A capitalised word of three letters or more run into a title or honorific that a name follows.
GLUED_TITLE = _glued_pattern()


def _unglued(line: str) -> str:
    return GLUED_TITLE.sub(r"\1 \2", line) if any(c.isupper() for c in line[1:]) else line


_MARKDOWN_START = re.compile(r"^(?:[#>+*-]|\d+[.)]\s|=+$)")


def _escape(text: str) -> str:
    """Keep a body paragraph a paragraph: escape a leading character Markdown would read as a
    heading, quote or list marker."""
    return "\\" + text if _MARKDOWN_START.match(text) else text
