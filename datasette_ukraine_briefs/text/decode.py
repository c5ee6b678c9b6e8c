"""Bytes to text: encodings, byte-order marks and line endings (front matter: ``frontmatter``).

Article files are copied from browsers, word processors and e-mail, so the same folder mixes
UTF-8, UTF-8 with a BOM, Windows line endings and cp1252. Everything here is pure: bytes or
str in, plain values out, and problems come back as warnings (or a ``SkipFile``) for the
loader to report with the file's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Bytes below 32 other than tab, line feed, form feed and carriage return.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")


class SkipFile(Exception):
    """The file holds nothing that can be loaded; the message says why."""


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(data: bytes) -> Decoded:
    """Decode a file's bytes to text with ``\\n`` line endings.

    Raises ``SkipFile`` for empty and binary files. Anything else decodes: UTF-8, and any line
    that is not UTF-8 as cp1252 (a superset of Latin-1 for printable text, so a stray 0xA3
    becomes '£').
    """
    if not data.strip():
        raise SkipFile("empty file")
    if looks_binary(data):
        raise SkipFile("binary file (not text)")
    warnings = []
    encoding = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        warnings.append("removed a UTF-8 byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, encoding, bad, total = _decode_by_line(data)
        where = f"line {bad[0]}" if len(bad) == 1 else f"{len(bad)} of {total} lines (first: line {bad[0]})"
        warnings.append(f"not valid UTF-8: decoded as {encoding} on {where}")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        warnings.append("converted Windows line endings")
    text = _CONTROL.sub("", text)
    if not text.strip():
        raise SkipFile("no text after decoding")
    return Decoded(text, encoding, warnings)


def _decode_by_line(data: bytes) -> tuple[str, str, list[int], int]:
    """Text whose lines are UTF-8 except a few: each line that is not is read as cp1252 (or,
    for the five bytes cp1252 leaves undefined, Latin-1), so one stray byte costs one line,
    not the file's curly quotes. Returns the text, the fallback used, the line numbers that
    needed it, and the number of lines."""
    lines, bad, encoding = [], [], "cp1252"
    for number, line in enumerate(data.split(b"\n"), 1):
        try:
            lines.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            bad.append(number)
        try:
            lines.append(line.decode("cp1252"))
        except UnicodeDecodeError:
            encoding = "latin-1"
            lines.append(line.decode("latin-1"))
    return "\n".join(lines), encoding, bad, len(lines)


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control bytes, in the first 8 KiB mean this is not an article."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(_CONTROL_BYTES.findall(head))
    return controls > max(8, len(head) // 100)
