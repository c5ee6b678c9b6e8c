"""The patterns and word lists the quotation finder reads, compiled once.

Reporting verbs and remark nouns (from ``cues``), the shapes around them (auxiliaries,
prepositions, appositives, bylines, transcripts), sentence bounds, and the heads of
descriptions of people (``text/lexicons``).
"""
from __future__ import annotations

import re

from . import lexicon
from .cues import ABBREVIATIONS, COUNTRIES, NATIONALITIES, REMARK_NOUNS, REPORT_VERBS


def trie_regex(words) -> str:
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


_VERB_ALT = trie_regex(REPORT_VERBS | REMARK_NOUNS)
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
IT_BEFORE_RE = re.compile(r"\b[Ii]t(?:\s+(?:has|had|was|is|will|would|also|then|later|had|"
                          r"earlier|previously|[a-z]{3,}ly))*\s+$")
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
