"""Who is the subject of a reporting verb, and which verb a quotation belongs to.

Every reporting verb outside quotations ("said", "told", "according to", "X's remark")
becomes an ``Event`` whose subject is found before the verb ("X said", "X, a former NATO
commander, said", "X, who warned") or after it ("said X", "said the spokesman",
"according to X"); ``pick`` gives a quotation the nearest event of its own sentence.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .cues import REMARK_NOUNS
from .organisations import ORG_CONNECTORS, org_subject
from .quote_patterns import (
    AFTER_STOP_RE,
    AUX_TAIL_RE,
    BY_RE,
    CLAUSE_BREAK,
    IT_BEFORE_RE,
    NEAR,
    OF_TAIL_RE,
    PARTICIPLE_LEAD_RE,
    PREP_TAIL_RE,
    ROLE_HEADS,
    SPEAKER_PRONOUNS,
    UNNAMED_HEADS,
    VERB_OBJECT_RE,
    WHO_TAIL_RE,
)
from .speaker_refs import NOBODY, State, descriptor, pronoun_at_end, recent_org, resolve_descr, resolve_pronoun


@dataclass(slots=True)
class Paragraph:
    """One paragraph (or the headline) as attribution reads it; offsets are relative to ps."""

    masked: str  # the paragraph with quotation interiors blanked
    ps: int  # where the paragraph starts in its text
    ments: list[tuple[int, int, str]]  # (start, end, name) of people named outside quotations
    by_end: dict[int, str]  # the name of the mention ending at an offset
    by_start: dict[int, str]  # the name of the mention starting at an offset
    sents: list[tuple[int, int]]  # sentence spans
    state: State
    about_someone: bool | None = None  # does it name or refer to a person? (asked once)


@dataclass
class Event:
    pos: int  # where the reporting verb is (absolute in its text)
    end: int
    speaker: str | None
    descr: str | None
    verb: str | None
    how: str | None  # how the speaker was found: a key of quote_record.SPEAKER_HOW


def pick(events, ev_pos, window, quote, opens_sentence):
    """The attribution event of a quotation within its sentence: window is the sentence's
    (start, end), quote the quotation's (open, close), absolute."""
    (s_start, s_end), (q_open, q_close) = window, quote
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


def clause_subject(masked, start, end, ments, before=None):
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


def event(para: Paragraph, m, events):
    """Who is the subject of the reporting verb (or remark noun) at m?"""
    masked, ments, by_start, ps, state = para.masked, para.ments, para.by_start, para.ps, para.state
    verb = m.group()
    lv = verb.lower()
    v0 = m.start()
    s0 = 0
    for a, b in para.sents:
        if a <= v0 <= b:
            s0 = a
            break
    # passive: "was echoed by X"
    by = BY_RE.match(masked, m.end())
    if by and by_start.get(by.end()):
        return Event(ps + v0, ps + m.end(), by_start[by.end()], None, verb, "verb")
    # a participle ("..., adding that", "and called it") shares its clause's subject
    if lv.endswith("ing") or PARTICIPLE_LEAD_RE.search(masked, max(s0, v0 - 8), v0):
        for e in reversed(events):
            if e.pos < ps + s0:
                break
            if e.speaker or e.descr:
                return Event(ps + v0, ps + m.end(), e.speaker, e.descr, verb, e.how)
        if lv.endswith("ing"):  # "Trump saying, “…”"
            pre = masked[max(s0, v0 - 80):v0]
            cut = len(pre.rstrip())
            hit = subject_at(para, pre, cut, max(s0, v0 - 80))
            if hit is not None and hit[0]:
                return Event(ps + v0, ps + m.end(), hit[0], None, verb, hit[2])
            org = None if ments and ments[0][0] < v0 else org_subject(masked, s0, v0)
            if org:  # "the Council issued a statement calling the test “…”"
                return Event(ps + v0, ps + m.end(), None, org, verb, "verb")
            return None
        subj = clause_subject(masked, s0, v0, ments, v0)
        if subj:
            return Event(ps + v0, ps + m.end(), subj, None, verb, "verb")
    if lv in REMARK_NOUNS:
        return remark_event(para, m, s0)
    if lv == "according to":
        spk, descr, how = subject_after(para, m.end())
        if spk or descr:
            return Event(ps + v0, ps + m.end(), spk, descr, verb, how)
        return None
    spk, descr, how = subject_before(para, s0, v0)
    if spk is None and descr is None and IT_BEFORE_RE.search(masked, max(s0, v0 - 40), v0):
        descr = org_subject(masked, s0, v0) or recent_org(state, ps + v0)  # "what it called"
        how = "pronoun"
    if spk is None and descr is None:
        spk, descr, how = subject_after(para, m.end())
    if spk is None and descr is None:
        return None
    return Event(ps + v0, ps + m.end(), spk, descr, verb, how)


def remark_event(para: Paragraph, m, s0):
    """ "X's remark that ...", "his comments" """
    masked = para.masked
    pre = masked[s0:m.start()]
    stripped = pre.rstrip()
    # possessive mention: "Hegseth’s remark"
    for suf in ("’s", "'s", "’", "'"):
        if stripped.endswith(suf):
            end = s0 + len(stripped) - len(suf)
            name = para.by_end.get(end)
            if name:
                if VERB_OBJECT_RE.search(masked, max(s0, end - 80), end):
                    return None  # "called Mr. Obama's remarks ...": the object, not the source
                return Event(para.ps + m.start(), para.ps + m.end(), name, None, m.group(), "verb")
    return None


def subject_before(para: Paragraph, s0, v0):
    """The subject of a verb, looking left past auxiliaries, "(D-Wis.)" and appositives:
    (speaker, descr, how) as speaker_refs returns them."""
    base = max(s0, v0 - 240)
    pre = para.masked[base:v0]
    am = AUX_TAIL_RE.search(pre, max(0, len(pre) - 80))
    cut = am.start() if am else len(pre.rstrip())
    # a relative clause: "X, who warned"
    rel = WHO_TAIL_RE.search(pre, max(0, cut - 12), cut)
    if rel:
        return para.by_end.get(base + rel.start()), None, "verb"
    first_cut = cut
    appositive_at = -1  # where "NP, appositive," begins its appositive
    for _ in range(3):
        cut = skip_parens(pre, cut)
        hit = subject_at(para, pre, cut, base)
        if hit is not None:
            return hit
        if cut > 0 and pre[cut - 1] == ",":  # "X, a former NATO commander, said"
            comma = pre.rfind(",", 0, cut - 1)
            if comma < 0 or cut - comma > 160:
                break
            appositive_at = comma
            hit = subject_at(para, pre, len(pre[:comma].rstrip()), base)
            if hit is not None:
                return hit
            cut = comma + 1
            continue
        break
    # "Mr. Morgan of the Sierra Club said"
    of = OF_TAIL_RE.search(pre, max(0, first_cut - 70), first_cut)
    if of:
        hit = subject_at(para, pre, of.start(), base)
        if hit is not None:
            return hit
    cut = first_cut
    while cut > 0 and pre[cut - 1] in " ,":
        cut -= 1
    found = descriptor(pre[:cut], para.state, para.ps + base + cut)
    if found == NOBODY and appositive_at > 0:  # "The French president, who spoke, told"
        cut = len(pre[:appositive_at].rstrip())
        found = descriptor(pre[:cut], para.state, para.ps + base + cut)
    return found


def skip_parens(pre: str, cut: int) -> int:
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


def subject_at(para: Paragraph, pre, cut, base):
    """A named person or a pronoun ending at pre[:cut] (pre starts at base), else None."""
    name = para.by_end.get(base + cut)
    if name:
        return name, None, "verb"
    pro = pronoun_at_end(pre[:cut])
    if pro:
        return pro(para.state, para.ps + base + cut)
    return None


def subject_after(para: Paragraph, v1):
    """ "said X", "said the spokesman", "according to X" """
    masked, by_start, ps, state = para.masked, para.by_start, para.ps, para.state
    rest = masked[v1:v1 + 120]
    lead = len(rest) - len(rest.lstrip(" "))
    name = by_start.get(v1 + lead)
    if name:
        return name, None, "verb"
    # "said MSNBC host Chris Matthews": a name a few words on, before any punctuation
    stop = AFTER_STOP_RE.search(rest, lead)
    limit = v1 + (stop.start() if stop else len(rest))
    for pos in range(v1 + lead, min(limit, v1 + 60)):
        if pos in by_start and (pos == 0 or masked[pos - 1] == " "):
            return by_start[pos], None, "verb"
    words = rest.split()
    if not words:
        return NOBODY
    w0 = words[0].strip(",.;:").lower()
    if w0 in SPEAKER_PRONOUNS and (len(words) == 1 or words[0][-1] in ",.;:"):  # "said he."
        return resolve_pronoun(state, ps + v1, w0)
    if w0 in ("the", "a", "an", "his", "her", "their", "one", "two", "several", "some"):
        np = []
        for w in words[:7]:
            cw = w.strip(",.;:")
            np.append(cw)
            if cw != w or cw.lower() in CLAUSE_BREAK and len(np) > 1:
                break
        text = " ".join(np)
        if np and np[-1].lower().rstrip("s") in (ROLE_HEADS | UNNAMED_HEADS):
            return resolve_descr(text, state, ps + v1)
        # "according to the local authorities"
        for w in reversed(np):
            if w.lower() in UNNAMED_HEADS or w.lower() in ROLE_HEADS:
                return resolve_descr(text, state, ps + v1)
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
        return None, " ".join(np), "verb"
    return NOBODY
