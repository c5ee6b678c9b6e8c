"""SQL functions: the extractor and renderer, callable from any query.

Thin wrappers over ``text``: what ``briefs_quotes(body)`` returns is exactly what the loader
stored. Each returns NULL for NULL input and never raises, whatever the text: SQLite turns a
Python exception into a failed query.

Datasette's time limit cannot stop a function once SQLite has called it, so each caps its
input (``LIMITS``) and returns NULL past the cap: below it, each costs at most a fraction of
Datasette's default one-second limit on this machine's slowest input (``scripts/soak.py``).
"""

from __future__ import annotations

import functools
import json
import sqlite3
from dataclasses import asdict

from ..text.people import extract_people
from ..text.quotes import extract_quotes
from ..text.render import render_markdown
from ..text.similarity import quote_diff, similarity, tokens

# Each function's cap: a longer argument gives NULL. Measured worst cases at the cap, on
# hostile input (runs of brackets, unclosed tags; quotations of one repeated word):
LIMITS = {
    "briefs_markdown": 50_000,  # characters; markdown-it and nh3 are linear (raw HTML is text): about 0.7 s
    "briefs_quotes": 50_000,  # characters; about 0.3 s
    "briefs_people": 50_000,  # characters; about 0.1 s
    "briefs_similarity": 500_000,  # characters; shingle sets, linear: about 0.3 s
    "briefs_quote_diff": 400,  # words a side; the word alignment is cubic at worst: about 0.1 s
}


def _words(text: str) -> int:
    """Words as the diff aligns them, as written and as tokens ("a,a,a" is one of the first,
    three of the second): the cap holds for both."""
    return max(len(text.split()), len(tokens(text)))


# How each function's argument is measured against its cap: characters, unless named here.
MEASURES = {"briefs_quote_diff": _words}


def null_safe(function):
    """NULL in, NULL out; anything odd in (numbers, blobs, bad bytes), or past the function's
    cap, NULL out too."""
    limit, size = LIMITS[function.__name__], MEASURES.get(function.__name__, len)

    @functools.wraps(function)
    def wrapper(*args):
        if any(arg is None for arg in args):
            return None
        texts = [arg if isinstance(arg, str) else _as_text(arg) for arg in args]
        if any(size(text) > limit for text in texts):
            return None
        try:
            return function(*texts)
        except Exception:  # SQLite would fail the whole query; the docstring promises NULL
            return None

    return wrapper


def _as_text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


@null_safe
def briefs_markdown(md: str) -> str:
    return render_markdown(md)


@null_safe
def briefs_quotes(text: str) -> str:
    people = extract_people(None, text)
    return _json([asdict(quote) for quote in extract_quotes(None, text, people)])


@null_safe
def briefs_people(text: str) -> str:
    return _json([asdict(person) for person in extract_people(None, text)])


@null_safe
def briefs_similarity(a: str, b: str) -> float:
    return similarity(a, b)


@null_safe
def briefs_quote_diff(a: str, b: str) -> str:
    return _json(quote_diff(a, b))


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


FUNCTIONS = {
    "briefs_markdown": (briefs_markdown, 1),
    "briefs_quotes": (briefs_quotes, 1),
    "briefs_people": (briefs_people, 1),
    "briefs_similarity": (briefs_similarity, 2),
    "briefs_quote_diff": (briefs_quote_diff, 2),
}


def register(conn: sqlite3.Connection) -> None:
    for name, (function, arity) in FUNCTIONS.items():
        conn.create_function(name, arity, function, deterministic=True)
