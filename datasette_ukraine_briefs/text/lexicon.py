"""Word lists as data: ``text/lexicons/NAME.txt``, one entry a line, read once.

Lines starting with ``#`` say where a list comes from and what it is for; blank lines are
skipped. Entries are case-sensitive as written (a list of capitalised words is read against
capitalised text). ``tests/test_lexicons.py`` keeps every file sorted and free of duplicates.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["entries", "words"]


@cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of one list, in file order."""
    text = (files(__package__) / "lexicons" / f"{name}.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def words(name: str) -> frozenset[str]:
    """One list as a set, for membership tests."""
    return frozenset(entries(name))
