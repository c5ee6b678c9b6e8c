"""How much two texts share, and how one version of a quotation differs from another.

Copies of a story are reworded and synonym-spun and often cover only part of the report.
Two texts are compared by their word 3-shingles (runs of three words) counted against the
shorter text (containment), so a piece of a report scores high against the whole of it: a
spun copy keeps a fifth to a third of its 3-shingles, two reports that only share a topic
keep a few percent. Quotations, which are short, are compared word by word and by
character 3-grams, whichever says more.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
WORD_SHINGLE = 3


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens with accents and apostrophe styles folded."""
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).replace("’", "'")
    return TOKEN.findall(text.lower())


def word_shingles(words: list[str], size: int = WORD_SHINGLE) -> set[str]:
    """The text's runs of ``size`` words, each joined by spaces."""
    return set(map(" ".join, _runs(words, size)))


def _runs(words: list[str] | list[bytes], size: int) -> Iterable[tuple]:
    """Each run of ``size`` consecutive words; a shorter text is one run of all its words."""
    if len(words) < size:
        return [tuple(words)] if words else []
    return zip(*(words[i:] for i in range(size)))


def containment(a: set, b: set) -> float:
    """Share of the smaller set found in the larger."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def similarity(a: str, b: str) -> float:
    """0 (nothing shared) to 1 (the same text, or one wholly inside the other): the share of
    the shorter text's word 3-shingles that the other text has too."""
    return round(containment(word_shingles(tokens(a or "")), word_shingles(tokens(b or ""))), 4)


def shingle_hashes(text: str) -> set[int]:
    """The stable (crc32) hashes of the text's word 3-shingles: its fingerprint, small enough
    to store, so texts are compared without being read and split again."""
    # each word is encoded once: the UTF-8 of a shingle is its words' UTF-8 joined by spaces
    words = [word.encode("utf-8") for word in tokens(text or "")]
    return {zlib.crc32(b" ".join(run)) for run in _runs(words, WORD_SHINGLE)}


def sample(hashes: set[int], one_in: int) -> set[int]:
    """About one in ``one_in`` of the shingle hashes.

    The sample is chosen by hash value, so a shingle two texts share is kept in both or in
    neither: shared sampled hashes find related texts without comparing every pair.
    """
    return {h for h in hashes if h % one_in == 0}


def quote_similarity(a: str, b: str, at_least: float = 0.0) -> float:
    """0 to 1: how alike two quotations are, by words in order or by character 3-grams.

    Character 3-grams catch synonym-spun words that keep their stems ("security" /
    "secure"); the word measure catches reordered clauses. A pair that cheap upper bounds
    put below ``at_least`` scores 0.0 without the costly word alignment.
    """
    words_a, counts_a, grams_a = _quote_profile(a or "")
    words_b, counts_b, grams_b = _quote_profile(b or "")
    if not words_a or not words_b:
        return 0.0
    by_chars = 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))
    bar = at_least - 0.00005  # scores are rounded to four places
    if by_chars < bar:
        # difflib's quick ratios, from lengths and then word counts, bound the word measure
        size = len(words_a) + len(words_b)
        if 2 * min(len(words_a), len(words_b)) < bar * size or 2 * (counts_a & counts_b).total() < bar * size:
            return 0.0
    by_words = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).ratio()
    return round(max(by_words, by_chars), 4)


@functools.lru_cache(maxsize=4096)
def _quote_profile(text: str) -> tuple[tuple[str, ...], Counter, frozenset[str]]:
    """A quotation's words, word counts and character 3-grams: a quotation is compared with
    many others."""
    words = tokens(text)
    return tuple(words), Counter(words), frozenset(_char_grams(" ".join(words)))


def _char_grams(text: str, size: int = 3) -> set[str]:
    return {text[i:i + size] for i in range(max(1, len(text) - size + 1))}


def quote_changes(a: str, b: str) -> dict:
    """The word-level difference between two versions of a quotation.

    ``removed`` and ``added`` list the words (as written) that only one side has; ``ops``
    walks both texts in order as equal / delete / insert / replace steps.
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
    return {"removed": removed, "added": added, "ops": ops}


def quote_diff(a: str, b: str) -> dict:
    """``quote_changes`` with the pair's ``quote_similarity``."""
    return {**quote_changes(a, b), "similarity": quote_similarity(a, b)}
