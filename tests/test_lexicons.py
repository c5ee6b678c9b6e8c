"""The word lists under text/lexicons: data, kept tidy, and what the extractor reads."""

import pytest

from datasette_ukraine_briefs.text import cues, lexicon, quote_patterns

from .conftest import ROOT

FOLDER = ROOT / "datasette_ukraine_briefs" / "text" / "lexicons"
LISTS = sorted(path.stem for path in FOLDER.glob("*.txt"))


def test_there_are_lists():
    assert len(LISTS) > 20


@pytest.mark.parametrize("name", LISTS)
def test_each_list_is_described_sorted_and_without_duplicates(name):
    lines = (FOLDER / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# "), "a list starts with a line saying what it is for"
    entries = lexicon.entries(name)
    assert entries, name
    assert list(entries) == sorted(set(entries)), f"{name}: keep it sorted, one entry a line, no repeats"
    assert all(entry == entry.strip() and "\t" not in entry for entry in entries)


def test_the_extractor_reads_the_lists():
    assert cues.HONORIFICS == lexicon.words("honorifics")
    assert ("Uncle", "Sam") in cues.PERSONIFICATIONS
    assert "spokesman" in quote_patterns.UNNAMED_HEADS
