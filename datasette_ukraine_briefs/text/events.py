"""What an article is about: the terms that tell one event's reports from another's.

Independent reports of one event rarely share a sentence, but they share what they are about:
the people, places and things they name and the words they use for what happened. Each article
becomes a weighted bag of terms (content words and pairs of adjacent content words), and two
articles are as alike as the cosine of their weighted bags, in the manner of the topic detection
and tracking work on news (Allan et al., 1998). Pairs of words carry most of it: "malaysia
airlines", "first lady", "peace talks" name an event's things far better than either word.

Pure: text in, terms out; ``build/events.py`` keeps them per article and groups the articles.
"""

from __future__ import annotations

import math
import zlib
from array import array
from collections import Counter
from collections.abc import Mapping

from . import lexicon
from .similarity import tokens

__all__ = ["cosine", "event_terms", "idf_weights", "pack_terms", "shared_cosine", "unpack_terms", "weigh"]

STOP_WORDS = lexicon.words("stop_words")
MIN_LETTERS = 3  # "us", "eu", "st": short tokens are function words or ambiguous abbreviations
TITLE_WEIGHT = 2  # a headline's terms count twice: the headline says what the report is about
# A pair of adjacent words weighs twice a single word: it names the event's things ("indian
# ocean", "new democracy") where either word alone belongs to many events.
PAIR_WEIGHT = 2.0
# idf is softened (its square root): the words every report of a big event repeats ("plane",
# "search", "bailout") are common in a corpus full of that event, yet they are what its reports
# share. Full idf lets words that two unrelated reports happen to share outweigh them.
IDF_POWER = 0.5
MAX_COUNT = 65_535  # counts are stored in 16 bits; a term repeated more often is capped
PAIR_FLAG = 1  # the low bit of a stored term's hash: 1 for a pair of words, 0 for one word


def event_terms(title: str | None, body: str) -> Counter[str]:
    """The article's content words and adjacent pairs of them, with how often each occurs
    (headline terms counted ``TITLE_WEIGHT`` times). Pairs are written "word word"."""
    counts: Counter[str] = Counter()
    for text, weight in ((title or "", TITLE_WEIGHT), (body or "", 1)):
        words = tokens(text)
        content = [_content(word) for word in words]
        for word, is_content in zip(words, content):
            if is_content:
                counts[word] += weight
        for first, second, is_content in zip(words, words[1:], content):
            if is_content and _follows(second):
                counts[f"{first} {second}"] += weight
    return counts


def _content(word: str) -> bool:
    return len(word) >= MIN_LETTERS and not word.isdigit() and word not in STOP_WORDS


def _follows(word: str) -> bool:
    """The second word of a pair may be short or a number: "galaxy s5", "flight 370"."""
    return len(word) >= 2 and word not in STOP_WORDS


def term_hash(term: str) -> int:
    """A stable 32-bit hash of a term, its low bit saying whether it is a pair of words."""
    return (zlib.crc32(term.encode("utf-8")) & ~1) | (PAIR_FLAG if " " in term else 0)


def pack_terms(counts: Mapping[str, int]) -> bytes:
    """Terms and counts as bytes to store: the hashes (32 bits each), then the counts (16 bits)."""
    hashed: Counter[int] = Counter()
    for term, count in counts.items():
        hashed[term_hash(term)] += count
    keys = sorted(hashed)
    return array("I", keys).tobytes() + array("H", (min(hashed[key], MAX_COUNT) for key in keys)).tobytes()


def unpack_terms(packed: bytes) -> dict[int, int]:
    """``pack_terms`` read back: term hash -> count."""
    n = len(packed) // 6
    return dict(zip(array("I", packed[: 4 * n]), array("H", packed[4 * n:])))


def idf_weights(document_frequency: Mapping[int, int], documents: int) -> dict[int, float]:
    """Each term's idf ** IDF_POWER, pairs of words ``PAIR_WEIGHT`` times more (computed once
    for the corpus); a term every article has weighs nothing and is left out."""
    return {
        term: math.log(documents / df) ** IDF_POWER * (PAIR_WEIGHT if term & PAIR_FLAG else 1.0)
        for term, df in document_frequency.items() if 0 < df < documents
    }


# 1 + log(count) for the counts most terms have, looked up rather than computed
_LOG_COUNT = [0.0] + [1 + math.log(count) for count in range(1, 256)]


def weigh(counts: Mapping[int, int], document_frequency: Mapping[int, int], idf: Mapping[int, float]) -> dict[int, float]:
    """Unit-length weights of an article's terms: (1 + log count) x ``idf_weights``. The length
    counts every term, but only the terms another article has too are kept: the rest cannot make
    two articles alike. So two short reports on different things that happen to share a common
    word stay far apart, as their own words weigh in the length."""
    squares, kept = 0.0, {}
    for term, count in counts.items():
        weight = (_LOG_COUNT[count] if count < 256 else 1 + math.log(count)) * idf.get(term, 0.0)
        if weight:
            squares += weight * weight
            if document_frequency[term] >= 2:
                kept[term] = weight
    if not squares:
        return {}
    scale = 1 / math.sqrt(squares)
    return {term: weight * scale for term, weight in kept.items()}


def cosine(a: Mapping[int, float], b: Mapping[int, float]) -> float:
    """The cosine of two unit-length weightings (``weigh``)."""
    return sum(a[term] * b[term] for term in a.keys() & b.keys())  # the set of shared terms is built in C


def shared_cosine(a: Mapping[int, float], b: Mapping[int, float]) -> float:
    """The cosine over the terms other articles have too, as if each article said nothing
    else: how alike two texts are in what they share, an excerpt as much as its source."""
    lengths = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return cosine(a, b) / lengths if lengths else 0.0
