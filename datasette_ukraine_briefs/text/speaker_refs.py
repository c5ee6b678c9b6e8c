"""Speakers referred to rather than named: "he said", "the former prime minister said",
"his spokesperson said", "what it called".

``State`` keeps who the text has been about so far; a pronoun or a definite description
resolves to the person it most likely stands for, an unnamed source stays a description.
"""
from __future__ import annotations

import re

from .cues import NATIONALITIES, PREPOSITIONS, REPORT_VERBS
from .organisations import organisation_name
from .quote_patterns import (
    CLAUSE_BREAK,
    DETERMINERS,
    INDEFINITE,
    NP_WORD_RE,
    PLACE_WORDS,
    RECENT,
    ROLE_HEADS,
    SPEAKER_PRONOUNS,
    UNNAMED_HEADS,
)


class State:
    """What the text is about so far: for pronouns and unattributed quotations; ``text`` and
    its ``mentions`` (start, end, name) tell who a description cannot stand for."""

    def __init__(self, roles: dict[str, str], text: str = "", mentions=()):
        self.roles = roles
        self.text = text
        self.mentions = mentions
        self._others: dict[str, frozenset[str]] = {}
        self.by_upper = {n.split()[-1].upper(): n for n in roles if n}
        self.points: list[tuple[int, str | None, str | None]] = []  # (pos, person, descr)
        self.last_quote_speaker: tuple[str | None, str | None] | None = None
        self.last_person: str | None = None

    def note(self, pos: int, person: str | None, descr: str | None) -> None:
        self.points.append((pos, person, descr))
        if person:
            self.last_person = person

    def others(self, phrase: str) -> frozenset[str]:
        """The people a sentence names beside "the <phrase>" as someone else (see OTHER_GAP)."""
        hit = self._others.get(phrase)
        if hit is None:
            hit = self._others[phrase] = frozenset(_named_apart(self.text, self.mentions, phrase))
        return hit

    def about(self, pos: int) -> tuple[str | None, str | None]:
        for p, person, descr in self.points[:-RECENT:-1]:
            if p <= pos:
                return person, descr
        return None, None


# What the subject finders return: (speaker, descr, how), how a key of quote_record.SPEAKER_HOW.
NOBODY = (None, None, None)


def resolve_pronoun(state, pos, pro):
    person, descr = state.about(pos)
    if person or descr:
        return person, descr, "pronoun"
    return state.last_person, None, "pronoun"


def pronoun_at_end(s: str):
    w = s[-5:].rsplit(None, 1)
    last = w[-1] if w else ""
    if len(s) >= len(last) + 1 and s[-len(last) - 1:-len(last)].isalnum():
        return None
    low = last.lower()
    if low in SPEAKER_PRONOUNS:
        return lambda state, pos: resolve_pronoun(state, pos, low)
    if low in ("they", "we", "i"):
        return lambda state, pos: (None, low, "pronoun")
    return None


def recent_org(state, pos):
    """The organisation the text was last about (for "it")."""
    for p, person, descr in state.points[:-RECENT:-1]:
        if p <= pos:  # only if the text is about it now, not about someone since
            return descr if descr and not person and organisation_name(descr) else None
    return None


def descriptor(pre: str, state, pos):
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
        return NOBODY
    np.reverse()
    text = " ".join(np)
    head = np[-1].lower()
    if head in ("it", "this", "that", "which", "there", "you", "who"):
        return NOBODY
    return resolve_descr(text, state, pos)


# "Brown said he had discussed it with the prime minister", "accused the prime minister and
# Mr Brown": a description after a preposition, or joined by "and" to a name, is someone other
# than the people its sentence names, unless one stands right beside it ("the prime minister,
# Ann Bell", "Ann Bell, the prime minister"): at most this many characters between them.
OTHER_GAP = 3
SENTENCE_END_RE = re.compile(r"[.!?\n]")


def _named_apart(text: str, mentions, phrase: str):
    """Names of the people a sentence of ``text`` names apart from "the <phrase>"."""
    if not phrase:
        return
    low = text.lower()
    at = low.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        pre = low[max(0, at - 30):at].split()
        edge = (at == 0 or not low[at - 1].isalnum()) and not low[end:end + 1].isalnum()
        if edge and len(pre) >= 2 and pre[-1] == "the" and (
                pre[-2] in PREPOSITIONS or pre[-2] == "and" or low.startswith(" and ", end)):
            start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at)) + 1
            stop = SENTENCE_END_RE.search(text, end)
            stop = stop.start() if stop else len(text)
            for s, e, name in mentions:
                if start <= s < stop and not (0 <= s - end <= OTHER_GAP or 0 <= at - 4 - e <= OTHER_GAP):
                    yield name
        at = low.find(phrase, end)


def _role_has(role: str, head: str) -> bool:
    """The stored role holds the description's head, in full or cut short ("Vermont Sen.")."""
    return head in role or any(len(w) > 2 and w.endswith(".") and head.startswith(w[:-1])
                               for w in role.split())


def _other_place(state, person: str, places: set[str]) -> bool:
    """Does the person's role tie them to another country than the description's?"""
    if not places:
        return False
    theirs = {w for w in state.roles.get(person, "").replace("’s", "").replace("'s", "").split()
              if w in PLACE_WORDS}
    return bool(theirs) and not theirs & places


def resolve_descr(text, state, pos):
    """A description beside a verb: a person of that role named before ("description"), an
    unnamed source or a named body as the description itself ("verb": stated there), or NOBODY."""
    words = text.lower().split()
    head = words[-1].rstrip(",.") if words else ""
    if words and words[0] not in INDEFINITE and head in ROLE_HEADS:
        # "the prime minister": the person of that role, else whoever the text is about,
        # unless their role names another country ("the French president" is not
        # "Hungary's prime minister")
        # or of another role, or named beside it as someone else: then no one (see OTHER_GAP)
        places = {w for w in words if w in PLACE_WORDS}
        others = state.others(" ".join(words[1:])) if state.text else frozenset()
        recent = [(p, person) for p, person, _ in state.points[:-RECENT:-1]
                  if person and p <= pos and person not in others]
        for p, person in recent:
            if _role_has(state.roles.get(person, ""), head) and not _other_place(state, person, places):
                return person, None, "description"
        if recent and not state.roles.get(recent[0][1]):
            return recent[0][1], None, "description"
    if head.endswith(("’s", "'s")):
        return NOBODY
    if any(w in UNNAMED_HEADS or w.rstrip("s") in UNNAMED_HEADS or w in ROLE_HEADS
           for w in words):
        return None, text, "verb"
    # a named organisation: "the Kremlin", "AFP", "No. 10"
    first = text.split()[0]
    if first.lower() in DETERMINERS:
        rest = text.split()[1:]
        if rest and rest[0][:1].isupper():
            return None, text, "verb"
        return NOBODY
    if first[:1].isupper() and first not in NATIONALITIES:
        return None, text, "verb"
    return NOBODY
