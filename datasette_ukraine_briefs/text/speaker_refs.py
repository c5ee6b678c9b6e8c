"""Speakers referred to rather than named: "he said", "the former prime minister said",
"his spokesperson said", "what it called".

``State`` keeps who the text has been about so far; a pronoun or a definite description
resolves to the person it most likely stands for, an unnamed source stays a description.
"""
from __future__ import annotations

from .cues import NATIONALITIES, REPORT_VERBS
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
        places = {w for w in words if w in PLACE_WORDS}
        recent = [(p, person) for p, person, _ in state.points[:-RECENT:-1] if person and p <= pos]
        for p, person in recent:
            if head in state.roles.get(person, "") and not _other_place(state, person, places):
                return person, None, "description"
        for p, person in recent:
            if not _other_place(state, person, places):
                return person, None, "description"
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
