"""Find the people named in a news article, and merge them across articles.

Pure rules over text, no model and no list of particular people:

1. runs of capitalised words are found with one module-level regex and cut at
   ordinary words ("The", "However", months, places, organisation words);
2. each piece loses its leading job title and honorifics ("Polish Prime Minister",
   "General Sir") and is scored by the cues of news writing: an honorific or an
   office, a reporting verb after it, an appositive role ("X, deputy director of"),
   a role noun before it ("Kremlin spokesman X"), a possessive, a common given name;
3. the pieces of one article are clustered: full names first, then surnames,
   "Sir" + first name and one-letter variants join the full name they shorten;
   headlines and headings, being title case, only name people found in the body;
4. merge_people does the same across articles, indexed so that it stays linear.

quote_spans lives here too because people need it (a name inside a quotation
counts for less) and quotes.py uses the same pairing.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from . import lexicon

__all__ = [
    "Person",
    "CanonicalPerson",
    "extract_people",
    "merge_people",
    "find_mentions",
    "analyse",
    "quote_spans",
    "in_spans",
    "split_paragraphs",
    "slugify",
]


@dataclass(slots=True)
class Person:
    """One person as seen in one article (slotted: a corpus holds hundreds of thousands)."""

    name: str
    honorific: str | None = None
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0


@dataclass
class CanonicalPerson:
    """One person across the corpus."""

    id: str
    name: str
    honorific: str | None = None
    role: str | None = None
    aliases: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------
# Word lists: general knowledge of news writing, not of any article.

HONORIFICS = lexicon.words("honorifics")
# Honorifics kept in a name when only a surname follows ("Lord Dannatt").
KEEP_HONORIFIC = lexicon.words("honorifics_kept")
# Courtesy titles: they mark a person but are not worth keeping as honorific.
COURTESY = lexicon.words("courtesy_titles")

TITLE_WORDS = lexicon.words("title_words")

# Title words that on their own make the next name a person's.
OFFICE_WORDS = lexicon.words("office_words")

NATIONALITIES = lexicon.words("nationalities")

COUNTRIES = lexicon.words("places")

# A capitalised word containing one of these is an organisation, place or event.
ORG_WORDS = lexicon.words("organisation_words")

# Place words that never end a person's name either.
PLACE_STRONG = lexicon.words("places_strong")

HYPHEN_TAILS = lexicon.words("hyphen_tails")

# Title words that are also common surnames ("Charlie King", "John Major").
SURNAME_TITLES = lexicon.words("surname_titles")
NAME_SUFFIXES = lexicon.words("name_suffixes")
MONTH_SURNAMES = lexicon.words("month_surnames")
# Given names that are also months or their abbreviations ("Jan Holm", "May Lee").
MONTH_GIVEN = lexicon.words("month_given_names")
# Surnames that are also common words, organisation or colour words ("Anna Fox", "Mr White");
# they are a surname only after a given name or an honorific.
SURNAME_WORDS = lexicon.words("surname_words")
# Words before a month that make it a date, not a given name ("in May Lee ...").
DATE_LEAD = lexicon.words("date_lead_words")

# Reporting verbs that are as often plural nouns ("Twenty states led ...").
NOUN_LIKE_VERBS = lexicon.words("noun_like_verbs")

ABBREVIATIONS = frozenset(w for w in HONORIFICS | TITLE_WORDS | NAME_SUFFIXES if w.endswith("."))

# Capitalised words that start sentences or head capitalised phrases, never names.
STOP_CAPS = lexicon.words("stop_caps")

# Common given names: a capitalised pair starting with one is probably a person.
GIVEN_NAMES = lexicon.words("given_names")

# Lower-case nouns of roles: "journalist X", "X, deputy director of ..."
ROLE_NOUNS = lexicon.words("role_nouns")

DASHES = "―—–-"
# Words that end a lower-case role read leftwards from a name.
ROLE_STOP = lexicon.words("role_stop_words")

PERSONIFICATIONS = frozenset(tuple(entry.split()) for entry in lexicon.entries("personifications"))

NAME_PARTICLES = lexicon.words("name_particles")

# Reporting verbs (and the nouns of a remark) that make their subject a speaker.
REPORT_VERBS = lexicon.words("reporting_verbs")
REMARK_NOUNS = lexicon.words("remark_nouns")


# --------------------------------------------------------------------------
# Patterns, compiled once.

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_LO = "a-zß-öø-ÿāăąćčďđēėęěğģīįıķĺļľłńņňōőœŕřśşšţťūůűųźżž"
_TOKEN = rf"(?:[{_UP}]\.(?:[{_UP}]\.)+|[{_UP}][{_LO}{_UP}]*(?:[-'’][{_UP}{_LO}]+)*\.?)"
_PART = "(?:" + "|".join(sorted(NAME_PARTICLES, key=len, reverse=True)) + ")"
# (a match glued to a word before it, as "Phone" in "iPhone", is skipped in _scan: a
# look-behind here would make the regex engine twice as slow)
RUN_RE = re.compile(
    rf"{_TOKEN}(?:[^\S\n]+(?:(?:{_PART}[^\S\n]+)*{_TOKEN}|\([{_UP}][{_LO}]+\)))*"
)
GLUED_BEFORE = frozenset("’'-_")
# After a name: an appositive with a role, or a reporting verb.
AFTER_RE = re.compile(
    r"['’]?s?\s*(?:,\s*(?:the|a|an|who|former|then|now|[a-z]+ly|\d)\b|\s*\(|\s+(?:[a-z]+ly\s+)?"
    r"(?:has|had|have|was|is|will|would|also|earlier|previously|later|then)?\s*([a-z]+))"
)
ROLE_AFTER_RE = re.compile(
    r",\s+((?:the|a|an|[a-z][\w-]*)\s+[^,.;:\"“”]{2,90}?|\d{1,3}|[a-z][\w-]+)"
    r"(?=,|\.|;|:|\s+(?:said|says|told|warned|added|noted|wrote)\b)"
)
OF_TITLE_RE = re.compile(
    r"((?:[A-Z][\w.’'-]*\s+)*(?:Secretary|Minister|Chancellor|Head|Director|Commissioner|"
    r"Chief|Chairman|Chairwoman|Chair|Governor|President|Speaker|Leader|Mayor|Attorney General)"
    r"\s+of\s+(?:the\s+)?(?:[A-Z][\w.’'-]*\s+){0,3})$")
CREDIT_LINE_RE = re.compile(
    r"\s*[(\[]?\s*(?:Photo(?:graph)?s?|Pictures?|Images?|Credits?|Illustrations?|Video|Source)\b")
CREDIT_BY_RE = re.compile(
    r"\b(?:[Rr]eporting|[Ee]diting|[Ww]riting|[Cc]ompiled|[Pp]hoto(?:graph)?s?) by\b")
CREDIT_TAIL_RE = re.compile(r"[^.\n]{0,40}\bcontributed (?:to )?(?:this |the )?report")
SAID_AFTER_RE = re.compile(r"[^\S\n]+(?:said|says|told|added|wrote|warned|asked|argued)\b")
WHO_AFTER_RE = re.compile(r"['’]?s?\s*,\s*who\b")
PERSON_NOUN_AFTER_RE = re.compile(
    r"(?:['’]s?)?[^\S\n]+(?:(?:own|former|latest|new|top|senior|closest|chief|recent|"
    r"repeated|earlier|public|private|personal|political)[^\S\n]+)?"
    r"(?:administration|campaign|camp|presidency|government|era|aides?|allies|supporters|"
    r"loyalists|family|cabinet|doctrine|spokes(?:man|woman|person)|position|remarks?|comments?|"
    r"statements?|words|views?|stance|plans?|proposals?|demands?|claims?|call|office|team|"
    r"wife|husband|son|daughter|father|mother|brother|sister|lawyers?|regime|war|invasion|"
    r"visit|trip|speech|decision|polic(?:y|ies)|approach|threats?|offer|victory|rule|"
    r"leadership|critics|tweets?|interview|letter|memoir|health|record|tenure|term|"
    r"candidacy|nomination|running mate|rival|opponent|predecessor|successor|envoy|"
    r"adviser|advisers|advisor|associates|friends?|allegations?|accusations?|insistence|"
    r"refusal|promise|pledge|warning|message|vision|agenda|base|voters|rally|rallies)\b"
)


NEVER_NAME = STOP_CAPS | COUNTRIES | NATIONALITIES | ORG_WORDS | (TITLE_WORDS - HONORIFICS)
TOKEN_RE = re.compile(r"\(?[^\s(]+")
INITIALS_RE = re.compile(rf"^(?:[{_UP}]\.)+$")
INITIALS2_RE = re.compile(r"^[A-Z]{2}$")
CONTRACTIONS = ("’m", "’re", "’ll", "’ve", "’d", "n’t", "n't")
GLUED_RE = re.compile(r"([A-Z][a-z]+)(Sir|Dame|Lord|Lady|Gen|General|Prof|Dr|Mr|Mrs|Ms)$")
SENT_END_RE = re.compile(r"[.!?:;][\"”’')\]]*\s+$|^\s*$|[\"“‘(\[—–-]\s*$|\n\s*$")
PARA_RE = re.compile(r"\n[ \t]*\n\s*")
HEADING_RE = re.compile(r"^\s*#{1,6}\s")
NOT_SLUG_RE = re.compile(r"[^a-z0-9]+")
LOWER_RE = re.compile(rf"[{_LO}]")


def split_paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph; paragraphs are separated by blank lines."""
    spans, pos = [], 0
    for m in PARA_RE.finditer(body):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(body)))
    return spans


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def slugify(name: str) -> str:
    """A stable URL slug of a name: "Ursula von der Leyen" -> "ursula-von-der-leyen"."""
    return NOT_SLUG_RE.sub("-", _fold(name)).strip("-") or "person"


def _is_heading(text: str) -> bool:
    """A Markdown heading or a short title-case line without a full stop."""
    if HEADING_RE.match(text):
        return True
    t = text.strip()
    if not t or len(t) > 160 or t[-1] in ".!?\"”’:;,)":
        return False
    words = t.split()
    if len(words) < 2:
        return True
    caps = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return caps >= 0.6 * len(words)


# --------------------------------------------------------------------------
# Quotation marks (people.py needs them too: names inside quotes are weaker)

_OPEN_CTX = frozenset(" \t\n\r([{—–-/:;,\u00a0")
QUOTE_MARK_RE = re.compile(r"[\"“”‘’]")


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, bool]]:
    """(inner start, inner end, closed) of each quotation in text[start:end].

    Double marks pair by context (a mark after a space opens, one before a space
    closes), so a wrong curly mark or a stray mark cannot swallow the text: an
    unclosed quotation ends at `end`.  Single curly marks count only outside a
    double quotation, opening after a space and closing before a non-letter, so
    the apostrophe in "Britain’s" is never a mark.
    """
    if end is None:
        end = len(text)
    spans: list[tuple[int, int, bool]] = []
    open_at = -1  # inner start of the open double quotation
    open_straight, nested = False, 0  # its kind of mark; marks of the other kind nested in it
    sopen_at = -1  # inner start of an open single quotation
    for m in QUOTE_MARK_RE.finditer(text, start, end):
        i = m.start()
        ch = text[i]
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if ch in "‘’":
            if open_at >= 0:
                continue
            if ch == "‘" and prev in _OPEN_CTX and not nxt.isspace():
                sopen_at = i + 1
            elif ch == "’" and sopen_at >= 0 and not nxt.isalpha() and not prev.isspace():
                spans.append((sopen_at, i, True))
                sopen_at = -1
            continue
        opens = prev in _OPEN_CTX or prev in "“\"‘"
        closes = nxt.isspace() or not nxt.isalnum() or i + 1 >= end
        straight = ch == '"'
        if open_at < 0 and (i == start or prev == "\n"):
            closes = False  # a paragraph opens with a quotation, whatever the mark's shape
        if opens and closes:  # detached mark: decide by its shape and state
            opens = ch == "“" or (straight and open_at < 0)
        if open_at < 0:
            if opens or ch == "“":
                open_at, open_straight, nested = i + 1, straight, 0
                sopen_at = -1
        elif straight != open_straight and opens and not closes:
            nested += 1  # “Shark Tank” inside a "..." quotation
        elif straight != open_straight and nested and closes:
            nested -= 1
        elif not opens or ch == "”" or (straight and closes):
            spans.append((open_at, i, True))
            open_at = -1
        else:  # a second opening mark: the first was never closed
            spans.append((open_at, _trim_end(text, open_at, i), False))
            open_at = i + 1
    if open_at >= 0:
        spans.append((open_at, _trim_end(text, open_at, end), False))
    return [s for s in spans if s[1] > s[0]]


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


# --------------------------------------------------------------------------
# Candidate mentions


# Evidence that a capitalised name is a person's.
STRONG = 3  # honorific, office title, reporting verb, appositive role
MEDIUM = 2  # an appositive or a possessive
BARE = 0


@dataclass
class _Cand:
    start: int  # offset of the alias surface in its text (title or body)
    end: int
    in_title: bool
    honorifics: list[str]
    tokens: list[str]  # name tokens, no honorific, no possessive
    surface: str  # alias as written (honorifics + name)
    evidence: int  # 2 strong (honorific/office/verb), 1 weak, 0 none
    role: str | None
    possessive: bool
    only_alias: bool = False  # title, heading or quotation: names only people found elsewhere


@lru_cache(maxsize=8192)
def _clean_token(tok: str) -> tuple[str, bool]:
    """Strip a full stop, a possessive and parentheses; return (token, was_possessive)."""
    tok = tok.strip("(),")
    if tok.endswith(".") and len(tok) > 2 and tok not in ABBREVIATIONS and tok.count(".") == 1:
        tok = tok[:-1]
    if tok.endswith(("’s", "'s")):
        return tok[:-2], True
    if tok.endswith(("’", "'")) and tok[:-1].endswith("s"):
        return tok[:-1], True
    return tok, False


_NOUN_SUFFIXES = ("tion", "sion", "ments", "ness", "ity", "ship", "ism", "ics", "ogy", "ists",
                  "ians", "ancy", "ency")


@lru_cache(maxsize=8192)
def _is_name_token(tok: str, first: bool = True) -> bool:
    """Could this capitalised word be part of a person's name?"""
    if len(tok) < 2 or tok in STOP_CAPS or tok in ORG_WORDS or tok in TITLE_WORDS:
        return False
    if tok in HONORIFICS or (first and (tok in COUNTRIES or tok in NATIONALITIES)):
        return False
    if tok in PLACE_STRONG:
        return False
    if INITIALS_RE.match(tok):  # "J.", "G.K."
        return True
    if "-" in tok:  # "Kremlin-backed", "Miami-based", "African-American"
        tail = tok.rsplit("-", 1)[1]
        if tail in HYPHEN_TAILS or tail in NATIONALITIES or tail in COUNTRIES:
            return False
    if "." in tok:
        return False
    if tok[:2] in ("I’", "I'") or tok.endswith(CONTRACTIONS):
        return False
    letters = tok.replace("-", "").replace("'", "").replace("’", "")
    if letters.isupper() and len(letters) > 1:  # acronyms and ALL-CAPS credits
        return False
    if len(tok) > 6 and tok.endswith(_NOUN_SUFFIXES):
        return False
    return bool(LOWER_RE.search(tok)) or len(tok) == 2


def _at_sentence_start(text: str, pos: int) -> bool:
    return pos == 0 or bool(SENT_END_RE.search(text, max(0, pos - 4), pos))




def _scan(text: str, base: int, in_title: bool, out: list[_Cand],
          quotes: list[tuple[int, int, bool]] = ()) -> None:
    """Append candidate person mentions of one stretch of text (offsets + base)."""
    for m in RUN_RE.finditer(text):
        at = m.start()
        if at and (text[at - 1].isalnum() or text[at - 1] in GLUED_BEFORE):
            continue
        raw = m.group()
        if (raw in NEVER_NAME or raw.rstrip(",.") in NEVER_NAME) and \
                raw.rstrip(",.") not in SURNAME_WORDS and not (
                    raw in COUNTRIES and SAID_AFTER_RE.match(text, m.end())):
            continue  # most runs are one sentence-initial word or a place
        if " " not in raw and "\u00a0" not in raw and not GLUED_RE.match(raw):
            _split_run(text, [raw], [m.start()], base, in_title,
                       in_spans(quotes, m.start()), out)
            continue
        toks, tpos = [], []
        for tm in TOKEN_RE.finditer(raw):
            tok, at = tm.group(), m.start() + tm.start()
            glued = GLUED_RE.match(tok)
            if glued:  # "MinisterSir": a title glued to an honorific
                toks += [glued.group(1), glued.group(2)]
                tpos += [at, at + glued.end(1)]
                continue
            toks.append(tok)
            tpos.append(at)
        quoted = in_spans(quotes, m.start())
        # a sentence may end inside a run ("... Obama. Trump said")
        cut = 0
        for x, tok in enumerate(toks if "." in raw else ()):
            if tok.endswith(".") and len(tok) > 2 and tok not in ABBREVIATIONS and \
                    tok.count(".") == 1 and x + 1 < len(toks):
                _split_run(text, toks[cut:x + 1], tpos[cut:x + 1], base, in_title, quoted, out)
                cut = x + 1
        _split_run(text, toks[cut:], tpos[cut:], base, in_title, quoted, out)


def in_spans(quotes, pos: int) -> bool:
    """Is pos inside one of the (sorted, disjoint) quotation spans?"""
    i = bisect_right(quotes, (pos, INF)) - 1
    return i >= 0 and quotes[i][0] <= pos < quotes[i][1]


INF = float("inf")


def _split_run(text, toks, tpos, base, in_title, quoted, out):
    """Cut a capitalised run into name candidates at stop words and judge each."""
    i, n = 0, len(toks)
    if not n:
        return
    if n == 1:  # fast path: one capitalised word
        c = _clean_token(toks[0])
        if c[0] in SURNAME_WORDS and not _at_sentence_start(text, tpos[0]) or \
                c[0] in COUNTRIES:
            before = len(out)
            _judge(text, toks, tpos, [c], 0, 0, 1, [], [], False, c[1], base, in_title, True,
                   out)
            for cand in out[before:]:
                cand.only_alias = True  # "Fox added": only once "Anna Fox" is known
            if c[0] in COUNTRIES:  # "Jordan said": only with a reporting verb right after
                out[before:] = [cand for cand in out[before:] if cand.evidence >= STRONG]
            return
        if c[0] in STOP_CAPS or c[0] in HONORIFICS or not _is_name_token(c[0], True) or (
                _looks_like_sentence_word(c[0]) and _at_sentence_start(text, tpos[0])):
            return
        _judge(text, toks, tpos, [c], 0, 0, 1, [], [], False, c[1], base, in_title, quoted, out)
        return
    clean = [_clean_token(t) for t in toks]
    sent_start = _at_sentence_start(text, tpos[0])
    while i < n:
        tok = clean[i][0]
        if (tok in STOP_CAPS and not _month_given(text, toks, tpos, clean, i, n)) or (
                i == 0 and sent_start and _looks_like_sentence_word(tok)):
            i += 1
            continue
        # prefix: job titles, nationalities, honorifics; then the name itself
        j, office = i, False
        honorifics: list[str] = []
        role_words: list[str] = []
        while j + 1 < n:
            t, poss = clean[j]
            if poss:
                break
            if t in HONORIFICS and not (role_words and t in TITLE_WORDS):
                honorifics.append(t)
                office = office or t not in COURTESY or not quoted
            elif t in TITLE_WORDS or t in NATIONALITIES or t in COUNTRIES:
                if honorifics:
                    break
                role_words.append(t)
                office = office or t in OFFICE_WORDS
            elif t in ORG_WORDS and clean[j + 1][0] in TITLE_WORDS:
                role_words.append(t)
            else:
                break
            j += 1
        k = j
        possessive = False
        while k < n:
            t, poss = clean[k]
            if t in SURNAME_TITLES and (k > j or honorifics) and k + 1 == n:
                pass  # "Charlie King", "Mr. King": a title word as the surname
            elif t in NAME_SUFFIXES and k > j:
                pass
            elif t in MONTH_SURNAMES and k > j and clean[k - 1][0] in GIVEN_NAMES:
                pass  # "Theresa May"
            elif t in SURNAME_WORDS and k + 1 == n and (
                    (k == j and honorifics) or
                    (k == j + 1 and (honorifics or clean[j][0] in GIVEN_NAMES))):
                pass  # "Mrs Fox", "Anna Fox", "Mr White": a common word as the surname
            elif k == j and t in MONTH_GIVEN and _month_given(text, toks, tpos, clean, k, n):
                pass  # "Jan Holm", "May Lee": a month as a given name
            elif k == j and k + 1 < n and INITIALS2_RE.match(t) and t not in NEVER_NAME and \
                    _is_name_token(clean[k + 1][0], False):
                pass  # "JD Vance": initials without full stops
            elif t in STOP_CAPS or t in HONORIFICS or not _is_name_token(t, k == j):
                if t not in NAME_PARTICLES or k == j:
                    break
            k += 1
            if poss:
                possessive = True
                break
        while k > j and clean[k - 1][0] in NAME_PARTICLES:
            k -= 1
        if k == j:
            i = max(j, i + 1)
            continue
        _judge(text, toks, tpos, clean, i, j, k, honorifics, role_words, office, possessive,
               base, in_title, quoted, out)
        i = k


def _month_given(text, toks, tpos, clean, k, n) -> bool:
    """Is the month word at toks[k] a given name ("Jan Holm"), not a date ("in May Putin")?"""
    t = clean[k][0]
    if t not in MONTH_GIVEN or k + 1 >= n or toks[k].endswith("."):
        return False
    nxt = clean[k + 1][0]
    if nxt in STOP_CAPS or nxt in HONORIFICS or nxt in NEVER_NAME or \
            not _is_name_token(nxt, False):
        return False
    if k > 0 and clean[k - 1][0] in HONORIFICS:
        return True  # "Dr. Jan Holm"
    pre = text[max(0, tpos[k] - 12):tpos[k]].split()
    return not (pre and pre[-1].lower() in DATE_LEAD)


def _in_credit(text: str, start: int, end: int) -> bool:
    """A photo or agency credit, or a byline: "Photograph: Jane Doe/PA", "(Reporting by ...)"."""
    if "/" in text[max(0, start - 2):end + 2]:
        return True
    window = max(0, start - 200)
    head = text[text.rfind("\n", window, start) + 1 or window:start]
    if CREDIT_LINE_RE.match(head) or (" by" in head and CREDIT_BY_RE.search(head)):
        return True
    tail = text[end:end + 80]
    return "contributed" in tail and bool(CREDIT_TAIL_RE.match(tail))


def _after_the(text: str, start: int) -> bool:
    """ "The Hill", "the Daily Beast": a title word before a single name."""
    return text[max(0, start - 4):start] in ("The ", "the ")


def _role_before(text: str, start: int) -> str | None:
    """A role right before a name ("Kremlin spokesman", "former army chief"), or "" for a
    quotation byline dash ("“…” ― Jane Doe"); None when there is neither."""
    pre = text[max(0, start - 60):start].rstrip(" \t\u00a0")
    if not pre:
        return None
    if pre[-1] in DASHES:
        return "" if pre.rstrip(DASHES).rstrip(" \t\u00a0")[-1:] in ("”", '"') else None
    words = pre.split()
    if not words or words[-1].rstrip(",") not in ROLE_NOUNS:
        return None
    role = [words.pop().rstrip(",")]
    while words and len(role) < 6:
        w = words[-1]
        if (w.lower() in ROLE_STOP and not w.isupper()) or not w[:1].isalnum() or \
                w[-1] in ".,;:!?\"”’)":
            break
        role.append(words.pop())
    return " ".join(reversed(role))


def _looks_like_sentence_word(tok: str) -> bool:
    """A capitalised sentence opener that is an ordinary word (Speaking, Quickly)."""
    return len(tok) > 4 and tok.endswith(("ing", "ly", "ed")) and tok not in GIVEN_NAMES


def _judge(text, toks, tpos, clean, i, j, k, honorifics, role_words, office, possessive,
           base, in_title, quoted, out):
    """Score the evidence that toks[j:k] names a person and record the candidate."""
    names = [c[0] for c in clean[j:k]]
    if _in_credit(text, tpos[i], tpos[k - 1] + len(toks[k - 1])):
        return
    of = None
    if text[max(0, tpos[i] - 8):tpos[i]].endswith(("of ", "of the ")):
        of = OF_TITLE_RE.search(text, max(0, tpos[i] - 60), tpos[i])
    if of:  # "Secretary of State Marco Rubio": the title runs over "of"
        office = True
        role_words = [of.group(1).strip()] + role_words
    if tuple(names) in PERSONIFICATIONS or tuple(honorifics + names) in PERSONIFICATIONS:
        return
    if len(names) > 4 or (toks[k - 1].startswith("(") and len(names) == 1):
        return
    last = toks[k - 1]
    end_rel = tpos[k - 1] + len(last)
    if possessive:
        end_rel -= 1 if last.endswith(("’", "'")) else 2
    elif last.endswith((".", ",")) and clean[k - 1][0] != last.rstrip(","):
        end_rel -= 1
    elif last.endswith(","):
        end_rel -= 1
    start_rel = tpos[j - len(honorifics)]
    role = " ".join(role_words) if role_words else None
    evidence = STRONG if office else BARE
    am = AFTER_RE.match(text, end_rel, min(len(text), end_rel + 60))
    if am and am.group(1) in REPORT_VERBS and am.group(1) not in NOUN_LIKE_VERBS:
        evidence = STRONG
    elif am and am.group(1) is None and (len(names) > 1 or WHO_AFTER_RE.match(text, end_rel)):
        evidence = max(evidence, MEDIUM)
    if PERSON_NOUN_AFTER_RE.match(text, end_rel):
        evidence = max(evidence, MEDIUM)  # "Putin’s position", "the Trump administration"
    elif possessive and len(names) > 1:
        evidence = max(evidence, MEDIUM)
    if len(names) == 1 and evidence >= STRONG and _after_the(text, start_rel):
        return  # "The Hill reported": a title, not a person
    elif text.startswith(",", end_rel):
        rm = ROLE_AFTER_RE.match(text, end_rel)
        if rm and _is_role(rm.group(1)):  # "X, deputy director of ...,": an appositive role
            r2 = rm.group(1).strip()
            if not r2.isdigit() and not r2.startswith(("who ", "whose ", "which ")) and (
                    role is None or len(r2) > len(role)):
                role = r2
            evidence = STRONG
    before = _role_before(text, start_rel)
    if before is not None:  # "journalist Jane Doe", "“…” ― Jane Doe"
        evidence = STRONG
        if before and role is None:
            role = before
    if names[-1] in COUNTRIES or names[-1] in NATIONALITIES:
        if evidence < STRONG and names[0] not in GIVEN_NAMES:  # "N. Korea", "Southeast Asian"
            return
    if len(names) == 1 and INITIALS_RE.match(names[0]):
        return
    surface = text[start_rel:end_rel]
    cand = _Cand(base + start_rel, base + end_rel, in_title, list(honorifics), names, surface,
                 evidence, role, possessive)
    if quoted and not office and evidence < MEDIUM:
        cand.only_alias = True
    out.append(cand)


def _is_role(phrase: str) -> bool:
    """An appositive that describes a person: "deputy director of ...", "25"."""
    if phrase.isdigit():
        return True
    return any(w in ROLE_NOUNS for w in phrase.lower().replace("-", " ").split()[:8])




# --------------------------------------------------------------------------
# Clustering mentions into people of one article


class _Cluster:
    __slots__ = ("tokens", "honorifics", "roles", "aliases", "cands", "strength")

    def __init__(self, cand: _Cand):
        self.tokens = list(cand.tokens)
        self.honorifics: list[str] = []
        self.roles: list[str] = []
        self.aliases: list[str] = []
        self.cands: list[_Cand] = []
        self.strength = 0
        self.add(cand)

    def add(self, cand: _Cand) -> None:
        if len(cand.tokens) > len(self.tokens):
            self.tokens = list(cand.tokens)
        self.honorifics.extend(h for h in cand.honorifics if h not in self.honorifics)
        if cand.role:
            self.roles.append(cand.role)
        if cand.surface not in self.aliases:
            self.aliases.append(cand.surface)
        self.cands.append(cand)
        self.strength = max(self.strength, cand.evidence)


def _similar_surname(a: str, b: str) -> bool:
    """Same surname, or one edit apart for long ones (Starmerr, Zelenskyy)."""
    if a == b:
        return True
    if a[0] != b[0] or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 5:
        return False
    return Levenshtein.distance(a.lower(), b.lower(), score_cutoff=1) <= 1


def _full_match(c: _Cluster, toks: list[str]) -> bool:
    """Same first and last name (middle names and typos allowed)."""
    a, b = c.tokens, toks
    if len(a) < 2 or len(b) < 2:
        return False
    return a[0] == b[0] and _similar_surname(a[-1], b[-1])


def _cluster(cands: list[_Cand]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    # full names first (two or more tokens), then single tokens as aliases
    for cand in sorted((c for c in cands if len(c.tokens) >= 2 and not c.only_alias),
                       key=lambda c: -len(c.tokens)):
        for cl in clusters:
            if _full_match(cl, cand.tokens) or _contains(cl.tokens, cand.tokens):
                cl.add(cand)
                break
        else:
            clusters.append(_Cluster(cand))
    singles = [c for c in cands if len(c.tokens) == 1 or c.only_alias]
    pending: list[_Cand] = []
    memo: dict[tuple, _Cluster | None] = {}
    for cand in singles:
        key = (tuple(cand.tokens), tuple(cand.honorifics[-1:]))
        if key not in memo:
            memo[key] = _match_single(clusters, cand)
        cl = memo[key]
        if cl is not None:
            cl.add(cand)
        else:
            pending.append(cand)
    # single names with their own evidence become people ("Lord Dannatt", "Caddell said")
    for cand in pending:
        if cand.only_alias or len(cand.tokens) != 1:
            continue
        tok = cand.tokens[0]
        for cl in clusters:
            if len(cl.tokens) == 1 and _similar_surname(cl.tokens[0], tok):
                cl.add(cand)
                break
        else:
            clusters.append(_Cluster(cand))
    for cand in pending:  # title mentions of single-word people
        if cand.only_alias:
            cl = _match_single(clusters, cand)
            if cl is not None:
                cl.add(cand)
    return [cl for cl in clusters if _is_person(cl)]


def _unique_names(clusters: list[_Cluster]) -> list[_Cluster]:
    """One cluster per display name: a name is a key within its article."""
    seen: dict[str, _Cluster] = {}
    out = []
    for cl in clusters:
        name = _display_name(cl)
        if name in seen:
            for c in cl.cands:
                seen[name].add(c)
        else:
            seen[name] = cl
            out.append(cl)
    return out


def _is_person(cl: _Cluster) -> bool:
    """Enough evidence over all the mentions of a cluster."""
    if cl.strength >= STRONG:
        return True
    if len(cl.tokens) == 1:
        return cl.strength >= MEDIUM and not cl.tokens[0].endswith("s")
    if cl.strength >= MEDIUM or cl.tokens[0] in GIVEN_NAMES:
        return True
    # a full name picked up again by surname alone
    return any(len(c.tokens) == 1 and not c.only_alias for c in cl.cands)


def _contains(big: list[str], small: list[str]) -> bool:
    """small is big with middle names dropped or big is small plus particles."""
    if len(small) > len(big):
        return False
    return small[0] == big[0] and small[-1] == big[-1] or small == big[-len(small):]


def _match_single(clusters: list[_Cluster], cand: _Cand) -> _Cluster | None:
    toks = cand.tokens
    if len(toks) >= 2:
        for cl in clusters:
            if _full_match(cl, toks) or _contains(cl.tokens, toks):
                return cl
        return None
    tok = toks[0]
    multi = [cl for cl in clusters if len(cl.tokens) >= 2]
    hits = [cl for cl in multi if cl.tokens[-1] == tok]
    if not hits:
        hits = [cl for cl in multi if _similar_surname(cl.tokens[-1], tok)]
    if not hits and cand.honorifics and cand.honorifics[-1] in ("Sir", "Dame", "Lady"):
        hits = [cl for cl in multi if cl.tokens[0] == tok]
    if not hits and not cand.honorifics:
        firsts = [cl for cl in multi if cl.tokens[0] == tok]
        if len(firsts) == 1 and not any(cl.tokens[-1] == tok for cl in clusters):
            hits = firsts
    if not hits:
        return None
    if len(hits) > 1:  # "Clinton" with two Clintons: the most mentioned
        hits.sort(key=lambda cl: -len(cl.cands))
    return hits[0]


def _title_mentions(title: str, base: int, clusters: list[_Cluster], in_title: bool) -> None:
    """Headlines are title case: only name people already found, by alias or surname."""
    forms: dict[str, _Cluster] = {}
    for cl in clusters:
        for a in cl.aliases:
            forms.setdefault(a, cl)
        forms.setdefault(" ".join(cl.tokens), cl)
        forms.setdefault(cl.tokens[-1], cl)
    taken: list[tuple[int, int]] = []
    for form in sorted(forms, key=len, reverse=True):
        at = title.find(form)
        while at >= 0:
            end = at + len(form)
            if _word_edge(title, at, end) and not any(a < end and at < b for a, b in taken):
                taken.append((at, end))
                forms[form].add(_Cand(base + at, base + end, in_title, [], [], form, 0, None,
                                      False, True))
            at = title.find(form, end)


def _word_edge(text: str, start: int, end: int) -> bool:
    """text[start:end] is whole words (no letter or hyphen glued on either side)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "-" or after.isalnum() or after == "-")


def _display_name(cl: _Cluster) -> str:
    if len(cl.tokens) == 1:
        keep = [h for h in cl.honorifics if h in KEEP_HONORIFIC or h not in COURTESY]
        if keep and keep[-1] in KEEP_HONORIFIC:
            return f"{keep[-1]} {cl.tokens[0]}"
        if keep:
            return f"{keep[0]} {cl.tokens[0]}"
    return " ".join(cl.tokens)


def _best_honorific(cl: _Cluster) -> str | None:
    hs = [h for h in cl.honorifics if h not in COURTESY]
    if not hs:
        return None
    return hs[-1] if "Sir" in hs or "Dame" in hs else hs[0]


def _best_role(roles: list[str]) -> str | None:
    if not roles:
        return None
    return max(roles, key=lambda r: (len(r.split()) <= 12, len(r)))


_CACHE: dict[tuple[str | None, str], tuple] = {}


def analyse(title: str | None, body: str):
    """People of an article, their mention spans (start, end, in_title, name) and the
    quotation spans of each paragraph {(start, end): quote_spans(body, start, end)}.

    The last few results are kept, so that extract_people and extract_quotes on the
    same article read it once."""
    key = (title, body)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    result = _analyse(title or "", body or "")
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[key] = result
    return result


def _analyse(title: str, body: str):
    cands: list[_Cand] = []
    headings: list[tuple[int, int]] = []
    para_quotes: dict[tuple[int, int], list[tuple[int, int, bool]]] = {}
    for start, end in split_paragraphs(body):
        para = body[start:end]
        found = para_quotes[(start, end)] = quote_spans(body, start, end)
        quotes = [(a - start, b - start, c) for a, b, c in found]
        if not para.strip() or _is_heading(para) or para.lstrip().startswith("!["):
            headings.append((start, end))  # title case: only names people found elsewhere
            continue
        _scan(para, start, False, cands, quotes)
    clusters = _unique_names(_cluster(cands))
    if clusters:
        if title:
            _title_mentions(title, 0, clusters, True)
        for start, end in headings:
            _title_mentions(body[start:end], start, clusters, False)
    people: list[Person] = []
    spans: list[tuple[int, int, bool, str]] = []
    for cl in clusters:
        name = _display_name(cl)
        p = Person(name=name, honorific=_best_honorific(cl), role=_best_role(cl.roles),
                   aliases=list(cl.aliases), mentions=len(cl.cands))
        people.append(p)
        for c in cl.cands:
            spans.append((c.start, c.end, c.in_title, name))
    spans.sort(key=lambda s: (s[2], s[0]))
    return people, spans, para_quotes


def extract_people(title: str | None, body: str) -> list[Person]:
    """People named in one article, each with every surface form and a mention count."""
    return [Person(p.name, p.honorific, p.role, list(p.aliases), p.mentions) for p in analyse(title, body)[0]]


def find_mentions(title: str | None, body: str) -> list[tuple[int, int, bool, str]]:
    """Mention spans (start, end, in_title, person name) of the people in an article."""
    return list(analyse(title, body)[1])


# --------------------------------------------------------------------------
# Merging across articles


def merge_people(
    per_article: list[list[Person]],
) -> tuple[list[CanonicalPerson], list[dict[str, str]]]:
    """Canonical people across articles and, per article, a map Person.name -> id.

    Full names are placed first (longest first), so that a surname alone ("Starmer"),
    an honorific and first name ("Sir Keir") or a one-letter variant ("Zelenskyy") finds
    the person it shortens.  Two full names only merge when their first names are equal
    and their surnames are equal or one letter apart: "Donald Trump" and "Donald Tusk"
    stay apart.  Deterministic: the same input gives the same ids.
    """
    flat = [(ai, p) for ai, people in enumerate(per_article) for p in people]
    index = _GroupIndex()
    order = sorted(range(len(flat)), key=lambda i: -len(_name_tokens(flat[i][1])))
    assign: dict[int, _Group] = {}
    for i in order:
        p = flat[i][1]
        t = _name_tokens(p)
        g = index.find(t, p)
        if g is None:
            g = index.add(t)
        g.persons.append(p)
        assign[i] = g

    canon: list[CanonicalPerson] = []
    used: set[str] = set()
    for g in index.groups:
        name = _canonical_name(g.persons)
        slug = base = slugify(name)
        n = 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        g.id = slug
        aliases = list(dict.fromkeys(a for p in g.persons for a in p.aliases))
        canon.append(CanonicalPerson(slug, name, _most_common([p.honorific for p in g.persons]),
                                     _best_role([p.role for p in g.persons if p.role]), aliases))
    maps: list[dict[str, str]] = [{} for _ in per_article]
    for i, (ai, p) in enumerate(flat):
        maps[ai][p.name] = assign[i].id
    return canon, maps


def _name_tokens(p: Person) -> list[str]:
    """The name without a kept honorific ("Lord Dannatt" -> ["Dannatt"])."""
    t = p.name.split()
    return t[1:] if len(t) == 2 and t[0] in HONORIFICS else t


def _most_common(values: list[str | None]) -> str | None:
    """The most frequent non-empty value; the first seen among equals."""
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


MAX_CANDIDATES = 50  # groups compared for one short form: merging stays linear


class _Group:
    __slots__ = ("tokens", "persons", "id")

    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.persons: list[Person] = []
        self.id = ""


class _GroupIndex:
    """Groups of one person's forms, indexed by first name and surname so that merging a
    large corpus does not compare every person with every other."""

    def __init__(self):
        self.groups: list[_Group] = []
        self.by_first: dict[str, list[_Group]] = {}  # full names by first token
        self.by_last: dict[str, list[_Group]] = {}  # full names by last token
        self.by_both: dict[tuple[str, str, int], list[_Group]] = {}  # (first, initial, length)
        self.by_pair: dict[tuple[str, str], _Group] = {}  # (first, last): the first such group
        self.by_shape: dict[tuple[str, int], list[_Group]] = {}  # surnames by (initial, length)
        self.singles: dict[tuple[str, int], list[_Group]] = {}  # one-word names, same key

    def add(self, t: list[str]) -> _Group:
        g = _Group(t)
        self.groups.append(g)
        if len(t) >= 2:
            self.by_first.setdefault(t[0], []).append(g)
            self.by_last.setdefault(t[-1], []).append(g)
            self.by_shape.setdefault((t[-1][:1], len(t[-1])), []).append(g)
            self.by_both.setdefault((t[0], t[-1][:1], len(t[-1])), []).append(g)
            self.by_pair.setdefault((t[0], t[-1]), g)
        elif t:
            self.singles.setdefault((t[0][:1], len(t[0])), []).append(g)
        return g

    def _shaped(self, table, tok: str) -> list[_Group]:
        out: list[_Group] = []
        for n in (len(tok) - 1, len(tok), len(tok) + 1):
            out.extend(table.get((tok[:1], n), ()))
        return out

    def find(self, t: list[str], p: Person) -> _Group | None:
        if not t:
            return None
        if len(t) >= 2:
            last = t[-1]
            exact = self.by_pair.get((t[0], last))
            if exact is not None:
                return exact
            for n in (len(last), len(last) - 1, len(last) + 1):
                for g in self.by_both.get((t[0], last[:1], n), ()):
                    if _similar_surname(g.tokens[-1], last):
                        return g  # same first name, same surname or a one-letter variant
            for g in self.by_last.get(last, ()):
                if _contains(g.tokens, t):
                    return g  # "Donald J. Trump" for "Donald Trump", "Ursula von der Leyen"
            return None
        tok = t[0]
        hits = list(self.by_last.get(tok, ()))
        if not hits:
            hits = [g for g in self._shaped(self.by_shape, tok)[:MAX_CANDIDATES * 4]
                    if _similar_surname(g.tokens[-1], tok)]
        if not hits and p.name.split()[0] in ("Sir", "Dame") and len(p.name.split()) == 2:
            hits = list(self.by_first.get(tok, ()))  # "Sir Keir"
        if not hits:
            hits = [g for g in self._shaped(self.singles, tok) if g.tokens[0] == tok]
        if not hits:
            return None
        # the most seen ("Clinton": Hillary rather than Bill); the first among equals
        return max(hits[:MAX_CANDIDATES], key=lambda g: len(g.persons))


def _canonical_name(persons: list[Person]) -> str:
    """The fullest name; among equals the most frequent."""
    counts: dict[str, int] = {}
    for p in persons:
        counts[p.name] = counts.get(p.name, 0) + p.mentions + 1

    def key(n: str):
        t = n.split()
        single_hon = len(t) == 2 and t[0] in HONORIFICS
        return (0 if single_hon else len(t), counts[n])

    return max(counts, key=key)
