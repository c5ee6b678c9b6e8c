"""Find quotations in a news article and who said them.

Rules over text, paragraph by paragraph:

1. quotation marks are paired by context (``people.quote_spans``), never past
   the end of a paragraph;
2. quotation interiors are masked so that names, verbs and full stops inside
   a quotation never take part in attribution;
3. every reporting verb outside quotations ("said", "told", "according to",
   "X's remark") becomes an attribution event whose subject is a named
   person, a pronoun resolved to the person the text is about, or an unnamed
   source ("his spokesperson");
4. each quotation takes the nearest event of its own sentence (after it when
   the quotation opens the sentence, before it otherwise), else the speaker of
   the previous quotation, else the person the text is about;
5. a source that is a named body ("The New York Post reports", "the Kremlin said",
   "according to the White House", "the Trump campaign said", "what it called")
   becomes a speaker of kind "organisation" (``Quote.speaker_kind``), named as
   written without a leading "the"; descriptions of people ("a minister",
   "officials", "the Indiana governor") keep speaker None and speaker_descr.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from . import lexicon
from .cues import (
    ABBREVIATIONS,
    COUNTRIES,
    GIVEN_NAMES,
    HONORIFICS,
    NATIONALITIES,
    ORG_WORDS,
    REMARK_NOUNS,
    REPORT_VERBS,
    ROLE_NOUNS,
    STOP_CAPS,
    TITLE_WORDS,
)
from .people import Person, analyse
from .spans import in_spans, quote_spans, split_paragraphs

__all__ = ["Quote", "extract_quotes"]


@dataclass
class Quote:
    """One quotation; text == body[start:end] (or title[start:end] if in_headline)."""

    text: str
    start: int
    end: int
    paragraph: int
    in_headline: bool
    speaker: str | None
    speaker_descr: str | None
    verb: str | None
    words: int
    # "person": speaker is a Person.name; "organisation": speaker is a named body as
    # written without a leading "the" ("Kremlin", "New York Post", "Trump campaign");
    # None: no named speaker (speaker_descr may hold an unnamed source).
    speaker_kind: str | None = None


# --------------------------------------------------------------------------
# Patterns, compiled once

def _trie_regex(words) -> str:
    """An alternation of words as a prefix tree: the regex engine follows one branch."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return emit(tree)


_VERB_ALT = _trie_regex(REPORT_VERBS | REMARK_NOUNS)
VERB_RE = re.compile(rf"\b(?:according to|{_VERB_ALT})\b")
VERB_RE_I = re.compile(rf"\b(?:according to|{_VERB_ALT})\b", re.IGNORECASE)
AUX_TAIL_RE = re.compile(
    r"(?:\s+(?:has|have|had|is|was|were|are|will|would|could|should|may|might|must|also|not|"
    r"never|earlier|previously|later|then|again|once|repeatedly|meanwhile|recently|already|further|"
    r"reportedly|still|even|just|first|often|been|did|does|do|publicly|privately|"
    r"[a-z]{3,}ly))+\s*$"
)
VERB_OBJECT_RE = re.compile(
    rf"\b(?:{_VERB_ALT}|of|about|to|on|with|for)\s+(?:[\w.’'-]+\s+){{0,3}}[\w.’'-]+$")
PREP_TAIL_RE = re.compile(
    r"\b(?:for|with|to|of|by|about|against|among|on|at|from|than|into|toward|towards|"
    r"between|like|over|under|versus|vs\.|and|or)\s+(?:the\s+)?$", re.IGNORECASE)
OF_TAIL_RE = re.compile(r" (?:of|from|at|with) [^,.;:!?~]{2,60}$")
AFTER_STOP_RE = re.compile(
    r"[,;:!?~\"“”]|(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z][a-z])\.|"
    r"\b(?:that|and|but|who|when|as|in|on|at|to|of)\b")
NEXT_ATTR_RE = re.compile(  # after a quotation: "Vitter demanded", "said Vitter"
    rf"[^\S\n]+(?:(?:[A-Z][\w.’'-]*[^\S\n]+){{1,4}}(?:{_VERB_ALT})"
    rf"|(?:{_VERB_ALT})[^\S\n]+[A-Z])\b")
HEADLINE_SINGLE_RE = re.compile(r"(?<![\w'])'(\w[^']{0,150}?[\w.,!?])'(?!\w)")
TRANSCRIPT_RE = re.compile(r"(?:[A-Z][A-Z’'-]+ )?([A-Z][A-Z’'-]{2,}):\s")
DASH_BYLINE_RE = re.compile(r"[^\S\n]*,?[^\S\n]*[―—–-]{1,2}[^\S\n]*")
WHO_TAIL_RE = re.compile(r",\s+who$")
BY_RE = re.compile(r"\s+by\s+")
PARTICIPLE_LEAD_RE = re.compile(r"(?:,|\band)\s+$")
SENT_BOUND_RE = re.compile(r"[.!?][\"”’')\]]*\s+(?=[^a-z\s])|\n")
WORD_RE = re.compile(r"[\w’'-]+")
NP_WORD_RE = re.compile(r"[\w’'.-]+$")
CLAUSE_BREAK = lexicon.words("clause_breaks")
ABBREV_END = frozenset(
    "mr mrs ms dr prof gen sen rep gov col capt lt st jr sr no vs u.s u.k sept oct nov dec "
    "jan feb aug inc co corp ft mt del sens reps rev sgt maj adm cmdr brig".split()
) | frozenset(a.lower().rstrip(".") for a in ABBREVIATIONS)
# Heads of definite descriptions that stand for a person already named.
ROLE_HEADS = lexicon.words("role_heads")
UNNAMED_HEADS = lexicon.words("unnamed_heads")
SPEAKER_PRONOUNS = frozenset(["he", "she"])
SPEAKER_PRONOUN_HINT_RE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
SUBJECT_PRONOUN_RE = re.compile(r"\b([Hh]e|[Ss]he)\s+(?!said\b)[a-z]+")
PLACE_WORDS = frozenset(w.lower() for w in NATIONALITIES | COUNTRIES)
INDEFINITE = lexicon.words("indefinites")
DETERMINERS = lexicon.words("determiners")


NEAR = 400  # an attribution is looked for this many characters around a quotation
RECENT = 60  # how many of the latest people or sources a pronoun may refer back to


# --------------------------------------------------------------------------
# Public API


def extract_quotes(title: str | None, body: str, people: list[Person] | None = None) -> list[Quote]:
    """Every quotation of an article, with its speaker (a Person.name) or an unnamed source."""
    return _extract(title or "", body or "", people)


# --------------------------------------------------------------------------
# Internals


@dataclass
class _Event:
    pos: int  # where the reporting verb is (absolute in its text)
    end: int
    speaker: str | None
    descr: str | None
    verb: str


def _extract(title: str, body: str, people: list[Person] | None) -> list[Quote]:
    found_people, spans, para_quotes = analyse(title or None, body)
    if people is None:
        people = found_people
    names = {p.name for p in people}
    spans = [s for s in spans if s[3] in names]
    missing = names - {s[3] for s in spans}
    if missing:
        spans.extend(_alias_spans(title, body, [p for p in people if p.name in missing]))
        spans.sort(key=lambda s: (s[2], s[0]))
    roles = {p.name: (p.role or "").lower() for p in people}
    body_mentions = [(s, e, n) for s, e, in_t, n in spans if not in_t]
    title_mentions = [(s, e, n) for s, e, in_t, n in spans if in_t]

    out: list[Quote] = []
    state = _State(roles)
    mi = 0
    for pi, (ps, pe) in enumerate(split_paragraphs(body)):
        while mi < len(body_mentions) and body_mentions[mi][0] < ps:
            mi += 1
        mj = mi
        while mj < len(body_mentions) and body_mentions[mj][0] < pe:
            mj += 1
        if pe > ps:
            quotes = para_quotes.get((ps, pe))
            if quotes is None:
                quotes = quote_spans(body, ps, pe)
            _paragraph(body, ps, pe, pi, quotes, body_mentions[mi:mj], state, out, headline=False)
        mi = mj
    if title:
        head: list[Quote] = []
        hstate = _State(roles)
        _paragraph(title, 0, len(title), 0, quote_spans(title), title_mentions, hstate, head,
                   headline=True)
        first = title_mentions[0][2] if title_mentions else None
        lead = None  # "Jane Doe: Plan ‘Reeks of Fear’": the name before a colon speaks
        if title_mentions and title_mentions[0][0] == len(title) - len(title.lstrip()) and \
                title.startswith(":", title_mentions[0][1]):
            lead = first
        for q in head:
            if lead and q.start > title_mentions[0][1]:
                q.speaker, q.speaker_descr, q.verb = lead, None, None
            elif q.speaker is None and q.speaker_descr is None:
                q.speaker = first
        out = head + out
    person_words = None
    lexicon = _Lexicon(body)
    orgs: dict[str, str | None] = {}  # one look per description, however many quotations
    for q in out:
        if q.speaker:
            q.speaker_kind = "person"
        elif q.speaker_descr:
            org = orgs.get(q.speaker_descr, "")
            if org == "":
                org = orgs[q.speaker_descr] = organisation_name(q.speaker_descr, lexicon)
            if org and person_words is None:  # words of the names of people, found or given
                person_words = {w for p in found_people + people for a in [p.name] + p.aliases
                                for w in a.split()}
            if org and org.split()[-1] not in person_words:
                q.speaker, q.speaker_kind = org, "organisation"
    return out


# Words that open a capitalised phrase without naming anything ("Some Democrats said").
QUANTIFIERS = lexicon.words("quantifiers")
# Lower-case heads after a capitalised name that make the whole a body: "the Trump campaign".
BODY_HEADS = lexicon.words("body_heads")
# Plural heads of groups of people, never a body's name ("Officials", "Protesters").
GROUP_HEADS = lexicon.words("group_heads")
# Sentence openers that may precede a subject ("Even China warned", "But Reuters said").
LEAD_WORDS = lexicon.words("lead_words")
MONTHS_DAYS = lexicon.words("months_days")
# What a body publishes: "the Kremlin's statement" is the Kremlin's.
DOC_NOUNS = lexicon.words("document_nouns")
ORG_CONNECTORS = lexicon.words("organisation_connectors")


class _Lexicon:
    """Lower-case words of a text, read once and only if asked: is a capitalised word a
    common noun here ("Police said" when the text also says "the police")?"""

    def __init__(self, text: str):
        self.text = text
        self.words: set[str] | None = None
        self.after_the: set[str] | None = None

    def common(self, word: str, after_the: bool) -> bool:
        if self.words is None:
            self.words = set(LOWER_WORD_RE.findall(self.text))
            self.after_the = set(AFTER_THE_RE.findall(self.text))
        return word in (self.after_the if after_the else self.words)


LOWER_WORD_RE = re.compile(r"\b[a-z][a-z’'-]*\b")
AFTER_THE_RE = re.compile(r"\bthe ([a-z][a-z’'-]*)\b")


def organisation_name(descr: str, lexicon: _Lexicon | None = None) -> str | None:
    """The name of a named body in an attribution phrase, without a leading "the":
    "The New York Post" -> "New York Post", "the Trump campaign" -> "Trump campaign",
    "Reuters" -> "Reuters"; None for descriptions of people ("his spokesperson", "UK
    government insiders", "the Indiana governor", "Officials")."""
    toks = descr.replace("\u00a0", " ").strip(" ,.;:").split()
    while toks and (toks[0].lower() in ("the", "a", "an") or toks[0] in LEAD_WORDS):
        toks = toks[1:]  # "Even China", "the IMF"
    if not toks or len(toks) > 8:
        return None
    if len(toks) >= 2 and toks[-1] in DOC_NOUNS and toks[-2].endswith(("’s", "'s")):
        toks = toks[:-1]  # "the Trump campaign's website": the campaign
        toks[-1] = toks[-1][:-2]
    if any(t.endswith(("’s", "'s", "’", "'")) for t in toks):
        return None  # "Obama's former campaign strategist", "Ivana Trump's brief"
    first, last = toks[0], toks[-1]
    if first in QUANTIFIERS or first in HONORIFICS or first in GIVEN_NAMES:
        return None
    if not first[:1].isupper():
        return None
    if last.islower():
        if last not in BODY_HEADS or len(toks) < 2 or not all(
                t[:1].isupper() for t in toks[:-1]):
            return None
        return " ".join(toks)  # "the Trump campaign"
    for t in toks[1:-1]:
        if not t[:1].isupper() and t not in ORG_CONNECTORS:
            return None
    low = last.lower()
    if low in GROUP_HEADS or (low in ROLE_NOUNS or low.rstrip("s") in ROLE_NOUNS) and \
            last not in ORG_WORDS:
        return None  # "Kremlin Spokesman", "Officials", "Senior Aides", "Democrats"
    if last in TITLE_WORDS and last not in ORG_WORDS and not last.isupper():
        return None  # "the Russian President"
    if len(toks) == 1:
        if first in STOP_CAPS and first not in ORG_WORDS:
            return None  # "Demonstrators", "Critics"
        if first in NATIONALITIES:
            return None
        if first in MONTHS_DAYS:
            return None
        if lexicon is not None and not first.isupper() and \
                lexicon.common(first.lower(), first in ORG_WORDS):
            return None  # a common noun opening a sentence: "Police", "Demonstrators"
    elif all(t in NATIONALITIES or t in TITLE_WORDS for t in toks) and \
            not any(t in ORG_WORDS for t in toks):
        return None  # "Russian Defence Minister", not "Security Council"
    return " ".join(toks)


def _alias_spans(title: str, body: str, people: list[Person]):
    """Mention spans for people given by the caller but not found by analyse()."""
    forms = sorted({a for p in people for a in p.aliases + [p.name] if a}, key=len, reverse=True)
    if not forms:
        return []
    owner = {}
    for p in people:
        for a in p.aliases + [p.name]:
            owner.setdefault(a, p.name)
    rx = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b")
    res = []
    for in_t, text in ((True, title), (False, body)):
        for m in rx.finditer(text):
            res.append((m.start(), m.end(), in_t, owner[m.group()]))
    return res


class _State:
    """What the text is about so far: for pronouns and unattributed quotations."""

    def __init__(self, roles: dict[str, str]):
        self.roles = roles
        self.by_upper = {n.split()[-1].upper(): n for n in roles if n}
        self.points: list[tuple[int, str | None, str | None]] = []  # (pos, person, descr)
        self.last_quote_speaker: tuple[str | None, str | None] | None = None
        self.last_person: str | None = None

    def note(self, pos: int, person: str | None, descr: str | None) -> None:
        self.points.append((pos, person, descr))
        if person:
            self.last_person = person

    def about(self, pos: int) -> tuple[str | None, str | None]:
        for p, person, descr in self.points[:-RECENT:-1]:
            if p <= pos:
                return person, descr
        return None, None


def _mask(text: str, start: int, end: int, quotes) -> str:
    """The paragraph with quotation interiors blanked (a final . ! ? is kept)."""
    parts, pos = [], start
    for qs, qe, _ in quotes:
        parts.append(text[pos:qs])
        inner = qe - qs
        if inner > 0 and text[qe - 1] in ".!?":
            parts.append("~" * (inner - 1) + text[qe - 1])
        else:
            parts.append("~" * inner)
        pos = qe
    parts.append(text[pos:end])
    return "".join(parts)


def _sentences(masked: str) -> list[tuple[int, int]]:
    """Sentence spans of a masked paragraph (relative offsets)."""
    spans, pos = [], 0
    for m in SENT_BOUND_RE.finditer(masked):
        end = m.start() if m.group() == "\n" else m.start() + 1  # after the full stop
        # no break after an abbreviation or an initial ("U.S.", "Mr.", "J.")
        w = masked[max(pos, end - 5):end].rsplit(None, 1)
        last = w[-1].lower().rstrip(".!?\"”’')]") if w else ""
        if end > m.start() and (last in ABBREV_END or (len(last) == 1 and last.isalpha())):
            continue
        spans.append((pos, end))
        pos = m.end()
    spans.append((pos, len(masked)))
    return spans


def _paragraph(text, ps, pe, pi, quotes, mentions, state, out, headline):
    """Quotations of one paragraph (or the headline), appended to out."""
    if headline and not quotes:  # headlines also quote with straight single marks
        quotes = [(m.start(1), m.end(1), True) for m in HEADLINE_SINGLE_RE.finditer(text, ps, pe)]
    masked = _mask(text, ps, pe, quotes) if quotes else text[ps:pe]
    verb_re = VERB_RE_I if headline else VERB_RE
    # mentions in this paragraph, outside quotations
    ments = [(s - ps, e - ps, n) for s, e, n in mentions
             if ps <= s < pe and not (quotes and in_spans(quotes, s))]
    # "The New York Times reports:" introduces the quotation of the next paragraph
    lead_in = not quotes and not headline and masked.rstrip().endswith(":") and \
        verb_re.search(masked) is not None
    if not quotes and not ments and not lead_in:
        state.last_quote_speaker = None
        return
    if not quotes and len(ments) == 1 and not lead_in:
        state.note(ps + ments[0][0], ments[0][2], None)  # nothing else to learn here
        state.last_quote_speaker = None
        return
    by_end = {e: n for s, e, n in ments}
    by_start = {s: n for s, e, n in ments}
    sents = _sentences(masked)

    # salience: the first named person of each sentence
    points = []
    si = 0
    for s, e, n in ments:
        while si < len(sents) and sents[si][1] < s:
            si += 1
        if si < len(sents) and (not points or points[-1][0] < sents[si][0]):
            points.append((sents[si][0], s, n))
    pidx = 0

    events: list[_Event] = []
    # without quotations only the salience matters: who each sentence is about
    for m in verb_re.finditer(masked) if quotes or lead_in else ():
        while pidx < len(points) and points[pidx][1] <= m.start():
            state.note(ps + points[pidx][1], points[pidx][2], None)
            pidx += 1
        ev = _event(masked, m, sents, ments, by_end, by_start, ps, state, events)
        if ev is not None and headline and not ev.speaker:
            ev = None
        if ev is not None:
            events.append(ev)
            if ev.speaker or ev.descr:
                state.note(ev.pos, ev.speaker, ev.descr)
    for _, s, n in points[pidx:]:
        state.note(ps + s, n, None)
    if lead_in:
        last = sents[-1][0]
        named = [e for e in events if e.pos >= ps + last and (e.speaker or e.descr)]
        state.last_quote_speaker = (named[-1].speaker, named[-1].descr) if named else None
        return

    prev_q: Quote | None = None
    about_someone = None  # does the paragraph name or refer to a person? (computed once)
    ev_pos = [e.pos for e in events]
    sent_starts = [a for a, _ in sents]
    for qi, (qs, qe, closed) in enumerate(quotes):
        rs, re_ = qs - ps, qe - ps
        sent = sents[max(0, bisect_right(sent_starts, max(0, rs - 1)) - 1)]
        opens_sentence = rs - sent[0] < NEAR and not masked[sent[0]:max(sent[0], rs - 1)].strip(
            " \t—–-:(")
        s_end = sent[1]
        nxt = NEXT_ATTR_RE.match(masked, re_ + 1)
        if opens_sentence and nxt:  # “… regulate?” Vitter demanded.
            s_end = max(s_end, nxt.end())
        ev = _pick(events, ev_pos, ps + sent[0], ps + s_end, qs - 1, qe + 1, opens_sentence)
        speaker = descr = verb = None
        dash = DASH_BYLINE_RE.match(masked, re_ + 1)
        if dash and by_start.get(dash.end()):  # “…” ― Name
            ev = _Event(qe, qe, by_start[dash.end()], None, None)
        tr = TRANSCRIPT_RE.match(text, qs)
        if tr and tr.group(1) in state.by_upper:  # a transcript: "PENCE: Well, ..."
            ev = _Event(qs, qs, state.by_upper[tr.group(1)], None, None)
        if ev is not None:
            speaker, descr, verb = ev.speaker, ev.descr, ev.verb
        else:
            if about_someone is None:
                about_someone = bool(ments or SPEAKER_PRONOUN_HINT_RE.search(masked))
            speaker, descr = _fallback(masked, sent, rs, ments, prev_q, qi == 0 and rs - 1 <= 2,
                                       state, ps, about_someone)
        body_text = text[qs:qe]
        q = Quote(body_text, qs, qe, 0 if headline else pi, headline, speaker, descr, verb,
                  len(WORD_RE.findall(body_text)))
        out.append(q)
        prev_q = q
        if speaker or descr or not closed:
            state.last_quote_speaker = (speaker, descr)
        if speaker:
            state.note(qs, speaker, None)
    if not quotes:
        # a paragraph without quotations breaks a run of continued quotations
        state.last_quote_speaker = None


def _pick(events, ev_pos, s_start, s_end, q_open, q_close, opens_sentence):
    """The attribution event of a quotation within its sentence."""
    s_start, s_end = max(s_start, q_open - NEAR), min(s_end, q_close + NEAR)
    lo, hi = bisect_left(ev_pos, s_start), bisect_right(ev_pos, s_end)
    window = events[lo:hi]
    before = [e for e in window if e.pos < q_open and (e.speaker or e.descr)]
    after = [e for e in window if q_close <= e.pos and (e.speaker or e.descr)]
    if opens_sentence and after:
        return after[0]
    named = [e for e in before if e.speaker]
    if named:
        return named[-1]
    if before:
        return before[-1]
    if after:
        return after[0]
    return None


def _fallback(masked, sent, rs, ments, prev_q, starts_para, state, ps, about_someone):
    """Speaker of a quotation whose sentence has no reporting verb."""
    # the subject of its sentence: a person named there, not after a preposition
    subj = _clause_subject(masked, sent[0], sent[1], ments, rs)
    if subj:
        return subj, None
    # "He was reluctant to say what he meant by a “safeguard”"
    pro = SUBJECT_PRONOUN_RE.search(masked, max(sent[0], rs - NEAR), max(sent[0], rs - 1))
    if pro:
        return _resolve_pronoun(state, ps + pro.start(), pro.group(1).lower())
    if prev_q is not None and (prev_q.speaker or prev_q.speaker_descr):
        return prev_q.speaker, prev_q.speaker_descr
    if starts_para and state.last_quote_speaker is not None:
        return state.last_quote_speaker  # a quotation running on from the last paragraph
    if not about_someone and not starts_para:
        return None, None  # a paragraph about no one: the quotation stays unattributed
    person, descr = state.about(ps + rs)
    if person or descr:
        return person, descr
    return state.last_person, None


def _clause_subject(masked, start, end, ments, before=None):
    """The first person named in masked[start:end] who is not a prepositional object."""
    later = None
    if before is not None:
        start = max(start, before - NEAR)
    lo = bisect_left(ments, (start,))
    for s, e, n in ments[lo:]:
        if s >= end:
            break
        if PREP_TAIL_RE.search(masked, max(start, s - 12), s):
            continue
        if before is None or s < before:
            return n
        if later is None:
            later = n
        if s > before + NEAR:
            break
    return later


def _event(masked, m, sents, ments, by_end, by_start, ps, state, events):
    """Who is the subject of the reporting verb (or remark noun) at m?"""
    verb = m.group()
    lv = verb.lower()
    v0 = m.start()
    s0 = 0
    for a, b in sents:
        if a <= v0 <= b:
            s0 = a
            break
    # passive: "was echoed by X"
    by = BY_RE.match(masked, m.end())
    if by and by_start.get(by.end()):
        return _Event(ps + v0, ps + m.end(), by_start[by.end()], None, verb)
    # a participle ("..., adding that", "and called it") shares its clause's subject
    if lv.endswith("ing") or PARTICIPLE_LEAD_RE.search(masked, max(s0, v0 - 8), v0):
        for e in reversed(events):
            if e.pos < ps + s0:
                break
            if e.speaker or e.descr:
                return _Event(ps + v0, ps + m.end(), e.speaker, e.descr, verb)
        if lv.endswith("ing"):  # "Trump saying, “…”"
            pre = masked[max(s0, v0 - 80):v0]
            cut = len(pre.rstrip())
            hit = _subject_at(pre, cut, max(s0, v0 - 80), by_end, ps, state)
            if hit is not None and hit[0]:
                return _Event(ps + v0, ps + m.end(), hit[0], None, verb)
            org = None if ments and ments[0][0] < v0 else _org_subject(masked, s0, v0)
            if org:  # "the Council issued a statement calling the test “…”"
                return _Event(ps + v0, ps + m.end(), None, org, verb)
            return None
        subj = _clause_subject(masked, s0, v0, ments, v0)
        if subj:
            return _Event(ps + v0, ps + m.end(), subj, None, verb)
    if lv in REMARK_NOUNS:
        return _remark_event(masked, m, s0, by_end, ps, state)
    if lv == "according to":
        spk, descr = _subject_after(masked, m.end(), by_start, ps, state)
        if spk or descr:
            return _Event(ps + v0, ps + m.end(), spk, descr, verb)
        return None
    spk, descr = _subject_before(masked, s0, v0, by_end, ps, state)
    if spk is None and descr is None and IT_BEFORE_RE.search(masked, max(s0, v0 - 40), v0):
        descr = _org_subject(masked, s0, v0) or _recent_org(state, ps + v0)  # "what it called"
    if spk is None and descr is None:
        spk, descr = _subject_after(masked, m.end(), by_start, ps, state)
    if spk is None and descr is None:
        return None
    return _Event(ps + v0, ps + m.end(), spk, descr, verb)


IT_BEFORE_RE = re.compile(r"\b[Ii]t(?:\s+(?:has|had|was|is|will|would|also|then|later|had|"
                          r"earlier|previously|[a-z]{3,}ly))*\s+$")
ORG_PHRASE_RE = re.compile(
    r"(?<![\w’'-])(?:[Tt]he\s+)?[A-Z][\w&’'.-]*(?:\s+(?:(?:of|for|and|the)\s+)*[A-Z][\w&’'.-]*)*")
PREP_BEFORE_RE = re.compile(
    r"\b(?:of|to|in|at|from|with|by|for|on|against|about|into|over|after|before|than|as|"
    r"following|during|like|between|toward|towards|under|called|named)\s+$", re.IGNORECASE)


def _org_subject(masked, s0, v0):
    """A named body that is the subject of the clause before v0 ("The United Nations
    Security Council on Friday made ... what it called"): the first capitalised phrase of
    the sentence that names an organisation and follows no preposition."""
    for m in ORG_PHRASE_RE.finditer(masked, max(s0, v0 - NEAR), v0):
        phrase = m.group()
        if PREP_BEFORE_RE.search(masked, max(s0, m.start() - 12), m.start()):
            continue
        if organisation_name(phrase):
            return phrase
    return None


def _recent_org(state, pos):
    """The organisation the text was last about (for "it")."""
    for p, person, descr in state.points[:-RECENT:-1]:
        if p <= pos:  # only if the text is about it now, not about someone since
            return descr if descr and not person and organisation_name(descr) else None
    return None


def _remark_event(masked, m, s0, by_end, ps, state):
    """ "X's remark that ...", "his comments" """
    pre = masked[s0:m.start()]
    stripped = pre.rstrip()
    # possessive mention: "Hegseth’s remark"
    for suf in ("’s", "'s", "’", "'"):
        if stripped.endswith(suf):
            end = s0 + len(stripped) - len(suf)
            name = by_end.get(end)
            if name:
                if VERB_OBJECT_RE.search(masked, max(s0, end - 80), end):
                    return None  # "called Mr. Obama's remarks ...": the object, not the source
                return _Event(ps + m.start(), ps + m.end(), name, None, m.group())
    return None


def _subject_before(masked, s0, v0, by_end, ps, state):
    """The subject of a verb, looking left past auxiliaries, "(D-Wis.)" and appositives."""
    base = max(s0, v0 - 240)
    pre = masked[base:v0]
    am = AUX_TAIL_RE.search(pre, max(0, len(pre) - 80))
    cut = am.start() if am else len(pre.rstrip())
    # a relative clause: "X, who warned"
    rel = WHO_TAIL_RE.search(pre, max(0, cut - 12), cut)
    if rel:
        return by_end.get(base + rel.start()), None
    first_cut = cut
    appositive_at = -1  # where "NP, appositive," begins its appositive
    for _ in range(3):
        cut = _skip_parens(pre, cut)
        hit = _subject_at(pre, cut, base, by_end, ps, state)
        if hit is not None:
            return hit
        if cut > 0 and pre[cut - 1] == ",":  # "X, a former NATO commander, said"
            comma = pre.rfind(",", 0, cut - 1)
            if comma < 0 or cut - comma > 160:
                break
            appositive_at = comma
            hit = _subject_at(pre, len(pre[:comma].rstrip()), base, by_end, ps, state)
            if hit is not None:
                return hit
            cut = comma + 1
            continue
        break
    # "Mr. Morgan of the Sierra Club said"
    of = OF_TAIL_RE.search(pre, max(0, first_cut - 70), first_cut)
    if of:
        hit = _subject_at(pre, of.start(), base, by_end, ps, state)
        if hit is not None:
            return hit
    cut = first_cut
    while cut > 0 and pre[cut - 1] in " ,":
        cut -= 1
    found = _descriptor(pre[:cut], state, ps + base + cut)
    if found == (None, None) and appositive_at > 0:  # "The French president, who spoke, told"
        cut = len(pre[:appositive_at].rstrip())
        found = _descriptor(pre[:cut], state, ps + base + cut)
    return found


def _skip_parens(pre: str, cut: int) -> int:
    """Step left over a parenthesis right before cut: "Rep. Gwen Moore (D-Wis.)"."""
    while cut > 0 and pre[cut - 1] == " ":
        cut -= 1
    if cut > 0 and pre[cut - 1] == ")":
        opener = pre.rfind("(", max(0, cut - 60), cut)
        if opener >= 0:
            cut = opener
            while cut > 0 and pre[cut - 1] == " ":
                cut -= 1
    return cut


def _subject_at(pre, cut, base, by_end, ps, state):
    """A named person or a pronoun ending at pre[:cut], else None."""
    name = by_end.get(base + cut)
    if name:
        return name, None
    pro = _pronoun_at_end(pre[:cut])
    if pro:
        return pro(state, ps + base + cut)
    return None


def _pronoun_at_end(s: str):
    w = s[-5:].rsplit(None, 1)
    last = w[-1] if w else ""
    if len(s) >= len(last) + 1 and s[-len(last) - 1:-len(last)].isalnum():
        return None
    low = last.lower()
    if low in SPEAKER_PRONOUNS:
        return lambda state, pos: _resolve_pronoun(state, pos, low)
    if low in ("they", "we", "i"):
        return lambda state, pos: (None, low)
    return None


def _resolve_pronoun(state, pos, pro):
    person, descr = state.about(pos)
    if person or descr:
        return person, descr
    return state.last_person, None


def _subject_after(masked, v1, by_start, ps, state):
    """ "said X", "said the spokesman", "according to X" """
    rest = masked[v1:v1 + 120]
    lead = len(rest) - len(rest.lstrip(" "))
    name = by_start.get(v1 + lead)
    if name:
        return name, None
    # "said MSNBC host Chris Matthews": a name a few words on, before any punctuation
    stop = AFTER_STOP_RE.search(rest, lead)
    limit = v1 + (stop.start() if stop else len(rest))
    for pos in range(v1 + lead, min(limit, v1 + 60)):
        if pos in by_start and (pos == 0 or masked[pos - 1] == " "):
            return by_start[pos], None
    words = rest.split()
    if not words:
        return None, None
    w0 = words[0].strip(",.;:").lower()
    if w0 in SPEAKER_PRONOUNS and (len(words) == 1 or words[0][-1] in ",.;:"):  # "said he."
        return _resolve_pronoun(state, ps + v1, w0)
    if w0 in ("the", "a", "an", "his", "her", "their", "one", "two", "several", "some"):
        np = []
        for w in words[:7]:
            cw = w.strip(",.;:")
            np.append(cw)
            if cw != w or cw.lower() in CLAUSE_BREAK and len(np) > 1:
                break
        text = " ".join(np)
        if np and np[-1].lower().rstrip("s") in (ROLE_HEADS | UNNAMED_HEADS):
            return _resolve_descr(text, state, ps + v1)
        # "according to the local authorities"
        for w in reversed(np):
            if w.lower() in UNNAMED_HEADS or w.lower() in ROLE_HEADS:
                return _resolve_descr(text, state, ps + v1)
    # "according to Politifact", "according to the White House": a named body
    np = []
    for x, w in enumerate(words[:8]):
        cw = w.strip(",.;:)")
        if not cw or "~" in cw:
            break
        if x == 0 and cw.lower() in ("the", "a", "an") and cw != w:
            break
        if not (cw[:1].isupper() or (x == 0 and cw.lower() in ("the", "a", "an"))
                or (np and cw in ORG_CONNECTORS)):
            break
        np.append(cw)
        if cw != w:
            break
    while np and (np[-1] in ORG_CONNECTORS or np[-1].lower() in ("the", "a", "an")):
        np.pop()
    if np and np[0] != "I":
        return None, " ".join(np)
    return None, None


def _descriptor(pre: str, state, pos):
    """The noun phrase just before a verb: "his spokesperson", "UK government insiders"."""
    toks = pre.split()
    np: list[str] = []
    for w in reversed(toks[-7:]):
        lw = w.lower()
        if not NP_WORD_RE.match(w) or lw in CLAUSE_BREAK or "~" in w or lw in REPORT_VERBS:
            break
        np.append(w)
        if lw in ("the", "a", "an", "his", "her", "their", "its", "our"):
            break
    if not np:
        return None, None
    np.reverse()
    text = " ".join(np)
    head = np[-1].lower()
    if head in ("it", "this", "that", "which", "there", "you", "who"):
        return None, None
    return _resolve_descr(text, state, pos)


def _other_place(state, person: str, places: set[str]) -> bool:
    """Does the person's role tie them to another country than the description's?"""
    if not places:
        return False
    theirs = {w for w in state.roles.get(person, "").replace("’s", "").replace("'s", "").split()
              if w in PLACE_WORDS}
    return bool(theirs) and not theirs & places


def _resolve_descr(text, state, pos):
    words = text.lower().split()
    head = words[-1].rstrip(",.") if words else ""
    if words and words[0] not in INDEFINITE and head in ROLE_HEADS:
        # "the prime minister": the person of that role, else whoever the text is about,
        # unless their role names another country ("the French president" is not
        # "Hungary's prime minister")
        places = {w for w in words if w in PLACE_WORDS}
        recent = [(p, person) for p, person, _ in state.points[:-RECENT:-1] if person and p <= pos]
        for p, person in recent:
            if head in state.roles.get(person, "") and not _other_place(state, person, places):
                return person, None
        for p, person in recent:
            if not _other_place(state, person, places):
                return person, None
    if head.endswith("’s") or head.endswith("'s"):
        return None, None
    if any(w in UNNAMED_HEADS or w.rstrip("s") in UNNAMED_HEADS or w in ROLE_HEADS
           for w in words):
        return None, text
    # a named organisation: "the Kremlin", "AFP", "No. 10"
    first = text.split()[0]
    if first.lower() in DETERMINERS:
        rest = text.split()[1:]
        if rest and rest[0][:1].isupper():
            return None, text
        return None, None
    if first[:1].isupper() and first not in NATIONALITIES:
        return None, text
    return None, None
