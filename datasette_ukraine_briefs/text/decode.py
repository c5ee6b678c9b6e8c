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

    Raises ``SkipFile`` for empty and binary files. Anything else decodes: UTF-8 first, then
    cp1252 (a superset of Latin-1 for printable text, so a stray 0xA3 becomes '£').
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
        encoding = "cp1252"
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
            encoding = "latin-1"
            text = data.decode("latin-1")
        warnings.append(f"not valid UTF-8: decoded as {encoding}")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        warnings.append("converted Windows line endings")
    text = _CONTROL.sub("", text)
    if not text.strip():
        raise SkipFile("no text after decoding")
    return Decoded(text, encoding, warnings)


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control bytes, in the first 8 KiB mean this is not an article."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(_CONTROL_BYTES.findall(head))
    return controls > max(8, len(head) // 100)
