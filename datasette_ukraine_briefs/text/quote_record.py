"""The record of one quotation, as the quotation finder (``quotes.extract_quotes``) gives it."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Quote"]


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
