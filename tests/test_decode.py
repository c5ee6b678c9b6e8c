import pytest

from datasette_ukraine_briefs.text.dates import parse_date
from datasette_ukraine_briefs.text.decode import SkipFile, decode_bytes
from datasette_ukraine_briefs.text.frontmatter import FrontMatter, read_front_matter


def test_utf8_passes_through_without_warnings():
    decoded = decode_bytes("Kyiv – “quoted” £5\n".encode("utf-8"))
    assert decoded.text == "Kyiv – “quoted” £5\n"
    assert decoded.encoding == "utf-8"
    assert decoded.warnings == []


def test_byte_order_mark_is_removed_with_a_warning():
    decoded = decode_bytes(b"\xef\xbb\xbfHeadline\n\nBody text.")
    assert decoded.text == "Headline\n\nBody text."
    assert any("byte-order mark" in w for w in decoded.warnings)


def test_windows_line_endings_become_newlines():
    decoded = decode_bytes(b"Headline\r\n\r\nBody text.\r\nMore.\rLast.")
    assert decoded.text == "Headline\n\nBody text.\nMore.\nLast."
    assert any("line endings" in w for w in decoded.warnings)


def test_cp1252_bytes_decode_with_a_warning():
    decoded = decode_bytes(b"It cost \xa35bn, he said \x93today\x94.")
    assert decoded.text == "It cost £5bn, he said “today”."
    assert decoded.encoding == "cp1252"
    assert any("cp1252" in w for w in decoded.warnings)


@pytest.mark.parametrize("data", [b"", b"   \n\n\t ", b"\xef\xbb\xbf\r\n"])
def test_empty_files_are_skipped(data):
    with pytest.raises(SkipFile, match="empty|no text"):
        decode_bytes(data)


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4])
def test_binary_files_are_skipped(data):
    with pytest.raises(SkipFile, match="binary"):
        decode_bytes(data)


def test_front_matter_gives_known_fields():
    text = "---\ntitle: A headline\nsource: The Outlet\ndate: 2025-02-17\nurl: https://example.com/a\nauthor: [Ann Lee, Bo Ray]\nextra: kept\n---\nBody.\n"
    meta, rest, warnings = read_front_matter(text)
    assert (meta.title, meta.outlet, meta.published, meta.url, meta.author) == (
        "A headline", "The Outlet", "2025-02-17", "https://example.com/a", "Ann Lee, Bo Ray")
    assert meta.extra == {"extra": "kept"}
    assert rest == "Body.\n"
    assert warnings == []


def test_front_matter_with_a_written_date():
    meta, _, _ = read_front_matter("---\npublished: 17 February 2025\n---\nBody.")
    assert meta.published == "2025-02-17"


def test_invalid_front_matter_is_ignored_with_a_warning():
    meta, rest, warnings = read_front_matter("---\ntitle: [unclosed\n---\nBody.")
    assert meta == FrontMatter()
    assert rest == "Body."
    assert "not valid YAML" in warnings[0]


def test_text_without_front_matter_is_untouched():
    text = "Headline\n\n---\n\nBody after a rule."
    assert read_front_matter(text) == (FrontMatter(), text, [])


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Tuesday 6 January 2026", "2026-01-06"),
        ("Feb. 17, 2025", "2025-02-17"),
        ("Published 2025-02-17T09:30:00Z", "2025-02-17"),
        ("Feb 17", None),  # no year: not stated
        ("03/04/2025", None),  # day-first or month-first: ambiguous
        ("31 February 2025", None),
        ("", None),
    ],
)
def test_only_unambiguous_dates_are_parsed(text, expected):
    assert parse_date(text) == expected
