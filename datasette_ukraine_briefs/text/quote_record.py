"""The record of one quotation, as the quotation finder (``quotes.extract_quotes``) gives it,
and what each value of ``Quote.speaker_how`` means."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SPEAKER_HOW", "SPEAKER_HOW_TO_CHECK", "HowFound", "Quote"]


@dataclass(frozen=True)
class HowFound:
    """One way the finder decides a quotation's speaker."""

    meaning: str  # what the finder read, in a reader's words
    check: bool  # True: the speaker is inferred, not stated beside the quotation: look twice
    label: str  # shown beside the quotation on the pages when check is True


# The values of Quote.speaker_how (and of the quotes.speaker_how column), each set where the
# finder decides a speaker (quote_paragraphs, attribution, speaker_refs, quotes). None: the
# quotation has no speaker (or, in an archive built before schema 6, the way was not recorded).
SPEAKER_HOW: dict[str, HowFound] = {
    "verb": HowFound("named as the subject or object of a reporting verb beside the quotation: "
                     "“X said”, “said X”, “according to X”, “X’s remark”, “X, who warned”", False, ""),
    "byline": HowFound("named after a dash right after the quotation: “…” ― X", False, ""),
    "transcript": HowFound("the speaker label of a transcript line: “PENCE: …”", False, ""),
    "organisation": HowFound("a named body beside a reporting verb: “the Kremlin said”, "
                             "“according to Reuters”", False, ""),
    "subject": HowFound("the person named in the quotation’s sentence, which has no reporting verb",
                        True, "speaker named in the sentence, no reporting verb"),
    "pronoun": HowFound("a pronoun (“he said”, “what it called”) resolved to the person or body the "
                        "text was about", True, "speaker inferred from a pronoun"),
    "description": HowFound("a description (“the former prime minister said”) resolved to a person "
                            "named before", True, "speaker inferred from a description"),
    "carried": HowFound("no attribution of its own: the speaker of the quotation before it, in its "
                        "paragraph or running on from the paragraph before", True,
                        "speaker carried over from the quotation before"),
    "context": HowFound("no attribution near it: the person the text was about at that point",
                        True, "speaker guessed from the person the text is about"),
    "headline": HowFound("a headline quotation: the person the headline names first (or before its "
                         "colon)", True, "speaker taken from the name in the headline"),
}
SPEAKER_HOW_TO_CHECK = frozenset(how for how, found in SPEAKER_HOW.items() if found.check)


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
    # How the speaker was found: a key of SPEAKER_HOW, or None when there is no speaker.
    speaker_how: str | None = None
