"""Named bodies as sources of quotations: "The New York Post reports", "the Kremlin said",
"according to the White House", "the Trump campaign said", "what it called".

``organisation_name`` tells a body's name ("Kremlin", "New York Post") from a description
of people ("his spokesperson", "officials", "the Indiana governor"); ``org_subject`` finds
a body that is the subject of a clause.
"""
from __future__ import annotations

import re

from . import lexicon
from .cues import (
    GIVEN_NAMES,
    HONORIFICS,
    NATIONALITIES,
    ORG_WORDS,
    ROLE_NOUNS,
    STOP_CAPS,
    TITLE_WORDS,
)
from .quote_patterns import NEAR

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


class TextWords:
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


def organisation_name(descr: str, lexicon: TextWords | None = None) -> str | None:
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


ORG_PHRASE_RE = re.compile(
    r"(?<![\w’'-])(?:[Tt]he\s+)?[A-Z][\w&’'.-]*(?:\s+(?:(?:of|for|and|the)\s+)*[A-Z][\w&’'.-]*)*")
PREP_BEFORE_RE = re.compile(
    r"\b(?:of|to|in|at|from|with|by|for|on|against|about|into|over|after|before|than|as|"
    r"following|during|like|between|toward|towards|under|called|named)\s+$", re.IGNORECASE)


def org_subject(masked, s0, v0):
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
