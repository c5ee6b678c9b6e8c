"""Merging the people of many articles into the people of the corpus.

Full names first, then short forms ("Sir Keir", "Starmer") join the one full name they can
belong to; an index by first name and surname keeps the merge linear in the corpus.
"""

from __future__ import annotations

from .cues import HONORIFICS
from .people import CanonicalPerson, Person, best_role, contains_tokens, similar_surname, slugify


def merge_people(
    per_article: list[list[Person]],
) -> tuple[list[CanonicalPerson], list[dict[str, str]]]:
    """Canonical people across articles and, per article, a map Person.name -> id.

    Full names are placed first (longest first), so that a surname alone ("Starmer"),
    an honorific and first name ("Sir Keir") or a one-letter variant ("Zelenskyy") finds
    the person it shortens.  Two full names only merge when their first names are equal
    and their surnames are equal or one letter apart: "Donald Trump" and "Donald Tusk"
    stay apart.  Deterministic: the same input gives the same ids.
    """
    flat = [(ai, p) for ai, people in enumerate(per_article) for p in people]
    index = _GroupIndex()
    order = sorted(range(len(flat)), key=lambda i: -len(_name_tokens(flat[i][1])))
    assign: dict[int, _Group] = {}
    for i in order:
        p = flat[i][1]
        t = _name_tokens(p)
        g = index.find(t, p)
        if g is None:
            g = index.add(t)
        g.persons.append(p)
        assign[i] = g

    canon: list[CanonicalPerson] = []
    used: set[str] = set()
    for g in index.groups:
        name = _canonical_name(g.persons)
        slug = base = slugify(name)
        n = 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        g.id = slug
        aliases = list(dict.fromkeys(a for p in g.persons for a in p.aliases))
        canon.append(CanonicalPerson(slug, name, _most_common([p.honorific for p in g.persons]),
                                     best_role([p.role for p in g.persons if p.role]), aliases))
    maps: list[dict[str, str]] = [{} for _ in per_article]
    for i, (ai, p) in enumerate(flat):
        maps[ai][p.name] = assign[i].id
    return canon, maps


def _name_tokens(p: Person) -> list[str]:
    """The name without a kept honorific ("Lord Dannatt" -> ["Dannatt"])."""
    t = p.name.split()
    return t[1:] if len(t) == 2 and t[0] in HONORIFICS else t


def _most_common(values: list[str | None]) -> str | None:
    """The most frequent non-empty value; the first seen among equals."""
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


MAX_CANDIDATES = 50  # groups compared for one short form: merging stays linear


class _Group:
    __slots__ = ("tokens", "persons", "id")

    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.persons: list[Person] = []
        self.id = ""


class _GroupIndex:
    """Groups of one person's forms, indexed by first name and surname so that merging a
    large corpus does not compare every person with every other."""

    def __init__(self):
        self.groups: list[_Group] = []
        self.by_first: dict[str, list[_Group]] = {}  # full names by first token
        self.by_last: dict[str, list[_Group]] = {}  # full names by last token
        self.by_both: dict[tuple[str, str, int], list[_Group]] = {}  # (first, initial, length)
        self.by_pair: dict[tuple[str, str], _Group] = {}  # (first, last): the first such group
        self.by_shape: dict[tuple[str, int], list[_Group]] = {}  # surnames by (initial, length)
        self.singles: dict[tuple[str, int], list[_Group]] = {}  # one-word names, same key

    def add(self, t: list[str]) -> _Group:
        g = _Group(t)
        self.groups.append(g)
        if len(t) >= 2:
            self.by_first.setdefault(t[0], []).append(g)
            self.by_last.setdefault(t[-1], []).append(g)
            self.by_shape.setdefault((t[-1][:1], len(t[-1])), []).append(g)
            self.by_both.setdefault((t[0], t[-1][:1], len(t[-1])), []).append(g)
            self.by_pair.setdefault((t[0], t[-1]), g)
        elif t:
            self.singles.setdefault((t[0][:1], len(t[0])), []).append(g)
        return g

    def _shaped(self, table, tok: str) -> list[_Group]:
        out: list[_Group] = []
        for n in (len(tok) - 1, len(tok), len(tok) + 1):
            out.extend(table.get((tok[:1], n), ()))
        return out

    def find(self, t: list[str], p: Person) -> _Group | None:
        if not t:
            return None
        if len(t) >= 2:
            last = t[-1]
            exact = self.by_pair.get((t[0], last))
            if exact is not None:
                return exact
            for n in (len(last), len(last) - 1, len(last) + 1):
                for g in self.by_both.get((t[0], last[:1], n), ()):
                    if similar_surname(g.tokens[-1], last):
                        return g  # same first name, same surname or a one-letter variant
            for g in self.by_last.get(last, ()):
                if contains_tokens(g.tokens, t):
                    return g  # "Donald J. Trump" for "Donald Trump", "Ursula von der Leyen"
            return None
        tok = t[0]
        hits = list(self.by_last.get(tok, ()))
        if not hits:
            hits = [g for g in self._shaped(self.by_shape, tok)[:MAX_CANDIDATES * 4]
                    if similar_surname(g.tokens[-1], tok)]
        if not hits and p.name.split()[0] in ("Sir", "Dame") and len(p.name.split()) == 2:
            hits = list(self.by_first.get(tok, ()))  # "Sir Keir"
        if not hits:
            hits = [g for g in self._shaped(self.singles, tok) if g.tokens[0] == tok]
        if not hits:
            return None
        # the most seen ("Clinton": Hillary rather than Bill); the first among equals
        return max(hits[:MAX_CANDIDATES], key=lambda g: len(g.persons))


def _canonical_name(persons: list[Person]) -> str:
    """The fullest name; among equals the most frequent."""
    counts: dict[str, int] = {}
    for p in persons:
        counts[p.name] = counts.get(p.name, 0) + p.mentions + 1

    def key(n: str):
        t = n.split()
        single_hon = len(t) == 2 and t[0] in HONORIFICS
        return (0 if single_hon else len(t), counts[n])

    return max(counts, key=key)
