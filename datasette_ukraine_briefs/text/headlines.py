"""What a headline looks like: a title-case line of a few words that is not a sentence.

``text.articles`` asks it of a line standing where a headline may stand, and of a line printed
twice beside an image (a headline is not that image's caption).
"""

from __future__ import annotations

import re

# A sentence ending inside the line, another starting: prose, not a headline.
SENTENCE_BREAK = re.compile(r"[a-z]{2}[.!?][\"”’]?\s+[A-Z]")
MAX_HEADLINE_WORDS = 30  # longer lines are prose, however capitalised
# Headlines run well under this many characters; a longer line is prose (or a slip), never a
# title, and a title given longer (by front matter) is cut to it.
MAX_TITLE_CHARS = 300
# Words a title-case headline leaves in lower case.
SMALL_WORDS = frozenset(
    "a an the and or but nor of to in on at by for from with as is are was be vs v via per "
    "into onto over after before than amid about up out off so if".split()
)


def is_headline(text: str) -> bool:
    """A title-case line of a few words that is not a sentence: "Starmer Urges Stronger …"."""
    if len(text) > MAX_TITLE_CHARS:
        return False
    words = text.split(maxsplit=MAX_HEADLINE_WORDS)  # a long paragraph is not split whole
    if not 2 <= len(words) <= MAX_HEADLINE_WORDS or text.endswith((":", ",", ";")):
        return False
    if SENTENCE_BREAK.search(text):
        return False
    content = [w.strip("‘’'\"“”(),.:;!?") for w in words]
    content = [w for w in content if w and w.lower() not in SMALL_WORDS and w[0].isalpha()]
    if len(content) < 2:
        return False
    if text.endswith(".") and len(words) > 20:  # a long sentence full of names
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.85


def bounded_title(title: str) -> str:
    """The title, or its opening words up to MAX_TITLE_CHARS and "…" when it is longer."""
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title.rfind(" ", 0, MAX_TITLE_CHARS)
    return title[:cut if cut > 0 else MAX_TITLE_CHARS].rstrip() + " …"
