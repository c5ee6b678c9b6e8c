"""How much two texts share, and how one version of a quotation differs from another.

Copies of a story are reworded and synonym-spun and often cover only part of the report,
so the measure combines word shingles (exact copies, light edits) with character shingles
(which survive re-inflection and spelling changes) and counts overlap against the shorter
text (containment), so a piece of a report scores high against the whole of it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
WORD_SHINGLE = 3
CHAR_SHINGLE = 5


def tokens(text: str) -> list[str]:
    """Lower-case word tokens with accents and apostrophe styles folded."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).replace("’", "'")
    return TOKEN.findall(folded.lower())


def word_shingles(words: list[str], size: int = WORD_SHINGLE) -> set[str]:
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def char_shingles(words: list[str], size: int = CHAR_SHINGLE) -> set[str]:
    joined = " ".join(words)
    if len(joined) < size:
        return {joined} if joined else set()
    return {joined[i:i + size] for i in range(len(joined) - size + 1)}


def containment(a: set, b: set) -> float:
    """Share of the smaller set found in the larger."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def similarity(a: str, b: str) -> float:
    """0 (nothing shared) to 1 (the same text, or one wholly inside the other).

    The mean of word-shingle and character-shingle containment: a byte-for-byte copy scores 1,
    a reworded copy keeps most character shingles and some word shingles, and two texts that
    only share a topic keep few of either.
    """
    wa, wb = tokens(a or ""), tokens(b or "")
    if not wa or not wb:
        return 0.0
    score = (containment(word_shingles(wa), word_shingles(wb)) + containment(char_shingles(wa), char_shingles(wb))) / 2
    return round(score, 4)


def quote_diff(a: str, b: str) -> dict:
    """The word-level difference between two versions of a quotation.

    ``removed`` and ``added`` list the words (as written) that only one side has; ``ops``
    walks both texts in order as equal / delete / insert / replace steps; ``similarity`` is
    the share of words the two have in common, in order.
    """
    words_a, words_b = (a or "").split(), (b or "").split()
    keys_a = [" ".join(tokens(w)) or w for w in words_a]
    keys_b = [" ".join(tokens(w)) or w for w in words_b]
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    ops, removed, added = [], [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = " ".join(words_a[i1:i2]), " ".join(words_b[j1:j2])
        ops.append({"op": tag, "a": old, "b": new})
        if tag in ("delete", "replace"):
            removed.append(old)
        if tag in ("insert", "replace"):
            added.append(new)
    return {"removed": removed, "added": added, "ops": ops, "similarity": round(matcher.ratio(), 4)}
