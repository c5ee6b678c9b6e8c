"""The people of one article: candidate mentions (``names``) clustered into people.

1. the mentions of one article are clustered: full names first, then surnames,
   "Sir" + first name and one-letter variants join the full name they shorten;
2. headlines and headings, being title case, only name people found in the body;
3. each person keeps every surface form, an honorific, the best role the text gives and
   a mention count; ``merge`` does the same across articles.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from .cues import COURTESY, GIVEN_NAMES, INITIALS_RE, KEEP_HONORIFIC, ROLE_NOUNS
from .lexicon import words
from .names import MEDIUM, STRONG, Candidate, at_sentence_start, scan
from .spans import is_heading, quote_spans, split_paragraphs

__all__ = [
    "Person",
    "CanonicalPerson",
    "analyse",
    "best_role",
    "contains_tokens",
    "extract_people",
    "find_mentions",
    "similar_surname",
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


NOT_SLUG_RE = re.compile(r"[^a-z0-9]+")


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def slugify(name: str) -> str:
    """A stable URL slug of a name: "Ursula von der Leyen" -> "ursula-von-der-leyen"."""
    return NOT_SLUG_RE.sub("-", _fold(name)).strip("-") or "person"


# --------------------------------------------------------------------------
# Clustering mentions into people of one article


class _Cluster:
    __slots__ = ("tokens", "honorifics", "roles", "aliases", "cands", "strength")

    def __init__(self, cand: Candidate):
        self.tokens = list(cand.tokens)
        self.honorifics: list[str] = []
        self.roles: list[str] = []
        self.aliases: list[str] = []
        self.cands: list[Candidate] = []
        self.strength = 0
        self.add(cand)

    def add(self, cand: Candidate) -> None:
        if len(cand.tokens) > len(self.tokens):
            self.tokens = list(cand.tokens)
        self.honorifics.extend(h for h in cand.honorifics if h not in self.honorifics)
        if cand.role:
            self.roles.append(cand.role)
        if cand.surface not in self.aliases:
            self.aliases.append(cand.surface)
        self.cands.append(cand)
        self.strength = max(self.strength, cand.evidence)


def similar_surname(a: str, b: str) -> bool:
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
    return a[0] == b[0] and similar_surname(a[-1], b[-1])


def _cluster(cands: list[Candidate]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    # full names first (two or more tokens), then single tokens as aliases
    for cand in sorted((c for c in cands if len(c.tokens) >= 2 and not c.only_alias),
                       key=lambda c: -len(c.tokens)):
        for cl in clusters:
            if _full_match(cl, cand.tokens) or contains_tokens(cl.tokens, cand.tokens):
                cl.add(cand)
                break
        else:
            clusters.append(_Cluster(cand))
    singles = [c for c in cands if len(c.tokens) == 1 or c.only_alias]
    pending: list[Candidate] = []
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
            if len(cl.tokens) == 1 and similar_surname(cl.tokens[0], tok):
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
    if cl.strength >= MEDIUM or cl.tokens[0] in GIVEN_NAMES or _initials_and_surname(cl.tokens):
        return True
    # a full name picked up again by surname alone
    return any(len(c.tokens) == 1 and not c.only_alias for c in cl.cands)


def _initials_and_surname(tokens: list[str]) -> bool:
    """ "P. Simmons", "J. R. Hale": initials before a surname are how a person is shortened."""
    return not INITIALS_RE.match(tokens[-1]) and all(INITIALS_RE.match(t) for t in tokens[:-1])


# "chief of Acme", "analyst at Acme": what a role is held in is an organisation, not a person.
HELD_IN_RE = re.compile(r"(?:^|\s)([a-z-]+)\s+(?:of|at)\s+$")


def _an_organisation(body: str, cl: _Cluster) -> bool:
    """A one-word name the article also gives as where someone holds a role."""
    if len(cl.tokens) != 1 or cl.honorifics:
        return False
    tok = cl.tokens[0]
    at = body.find(tok)
    while at >= 0:
        m = HELD_IN_RE.search(body, max(0, at - 30), at)
        if m and m.group(1) in ROLE_NOUNS and _word_edge(body, at, at + len(tok)):
            return True
        at = body.find(tok, at + len(tok))
    return False


# Plural nouns for people: "Traders said", "Eyewitnesses told" open a sentence in capitals.
PEOPLE_NOUNS = ROLE_NOUNS | words("group_heads") | words("unnamed_heads")
# Agent and group plurals ("dealers", "brokers", "Marxists", "migrants", "residents"); a
# surname of that shape ("Sanders") is taken only with a name, honorific or mid-sentence use.
PLURAL_NOUN_ENDINGS = ("ers", "ors", "ists", "ants", "ents", "esses")
LOWER_WORD = r"(?<![\w'’-]){}(?![\w'’-])"


def _plural_noun(body: str, cl: _Cluster) -> bool:
    """A one-word "person" that is a plural common noun opening its sentences: "Traders said"
    where the text also prints "traders", or whose singular names people ("dealer", "aide"),
    or that has a plural noun's ending."""
    if len(cl.tokens) != 1 or cl.honorifics or not all(
            not c.in_title and at_sentence_start(body, c.start) for c in cl.cands):
        return False
    tok = cl.tokens[0]
    if len(tok) < 4 or not tok.endswith("s") or tok.endswith("ss") or tok in GIVEN_NAMES:
        return False
    low = tok.lower()
    singular = low[:-2] if low.endswith("esses") else low[:-1]
    if low in PEOPLE_NOUNS or singular in PEOPLE_NOUNS or low.endswith(PLURAL_NOUN_ENDINGS):
        return True
    return re.search(LOWER_WORD.format(re.escape(low)), body) is not None


def contains_tokens(big: list[str], small: list[str]) -> bool:
    """small is big with middle names dropped or big is small plus particles."""
    if len(small) > len(big):
        return False
    return small[0] == big[0] and small[-1] == big[-1] or small == big[-len(small):]


def _match_single(clusters: list[_Cluster], cand: Candidate) -> _Cluster | None:
    toks = cand.tokens
    if len(toks) >= 2:
        for cl in clusters:
            if _full_match(cl, toks) or contains_tokens(cl.tokens, toks):
                return cl
        return None
    tok = toks[0]
    multi = [cl for cl in clusters if len(cl.tokens) >= 2]
    hits = [cl for cl in multi if cl.tokens[-1] == tok]
    if not hits:
        hits = [cl for cl in multi if similar_surname(cl.tokens[-1], tok)]
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
                forms[form].add(Candidate(base + at, base + end, in_title, [], [], form, 0, None,
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


def best_role(roles: list[str]) -> str | None:
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


# A heading with an ordinary word in lower case ("Ann Bell (Canada) beat Joan Lee 6-3") is
# in sentence case: its capitals mark names as in prose. Title case leaves only these small
# words in lower case.
TITLE_SMALL = words("title_case_small_words")
WORD_RE = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]*")
# A title-case line with numbers, commas or asides is a row of a table or a list ("285 Ann
# Bell (Canada) 71 73", "Scorers: Ann Bell (5th), Joan Lee"): a name set off from its
# neighbours by them is a name as in prose; a headline's run of capitals is not.
TABLE_ROW_RE = re.compile(r"[\d,(]")
SET_OFF_BEFORE = re.compile(r"(?:^|[^\w\s'’-]|\d)\s*$")
SET_OFF_AFTER = re.compile(r"\s*(?:$|[^\w\s'’-]|\d)")


def _sentence_case(para: str) -> bool:
    """A heading line whose capitals are informative: an ordinary word is in lower case."""
    return any(w[0].islower() and w not in TITLE_SMALL for w in WORD_RE.findall(para))


def _table_row_names(para: str, base: int, quotes, out: list[Candidate]) -> None:
    """The names of a title-case table or list row that punctuation or numbers set off."""
    found: list[Candidate] = []
    scan(para, base, False, found, quotes)
    for cand in found:
        a, b = cand.start - base, cand.end - base
        if SET_OFF_BEFORE.search(para, 0, a) and SET_OFF_AFTER.match(para, b):
            out.append(cand)


def _analyse(title: str, body: str):
    cands: list[Candidate] = []
    headings: list[tuple[int, int]] = []
    para_quotes: dict[tuple[int, int], list[tuple[int, int, bool]]] = {}
    for start, end in split_paragraphs(body):
        para = body[start:end]
        found = para_quotes[(start, end)] = quote_spans(body, start, end)
        quotes = [(a - start, b - start, c) for a, b, c in found]
        if not para.strip() or para.lstrip().startswith("![") or (
                is_heading(para) and not _sentence_case(para)):
            if TABLE_ROW_RE.search(para):
                _table_row_names(para, start, quotes, cands)
            else:
                headings.append((start, end))  # title case: only names people found elsewhere
            continue
        scan(para, start, False, cands, quotes)
    clusters = [cl for cl in _unique_names(_cluster(cands))
                if not _an_organisation(body, cl) and not _plural_noun(body, cl)]
    if clusters:
        if title:
            _title_mentions(title, 0, clusters, True)
        for start, end in headings:
            _title_mentions(body[start:end], start, clusters, False)
    people: list[Person] = []
    spans: list[tuple[int, int, bool, str]] = []
    for cl in clusters:
        name = _display_name(cl)
        p = Person(name=name, honorific=_best_honorific(cl), role=best_role(cl.roles),
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
