"""Which site a web page comes from, and its headline without the site's name.

A page's title usually carries its site: "Headline | Section | The Site", "Headline - Site",
"Site | Headline". The same story clipped twice then only shares a title once that is cut off,
and the cut-off part is the outlet. The site is recognised by the page's own word for it (its
``site_name``), by the news sites of ``lexicons/news_sites.txt``, or by its letters matching
the page's domain ("Kyiv Wire" on kyivwire.com); never by guessing from the words alone.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from .lexicon import entries

# " | ", " - ", " – ", " — ", " :: ", " · ", " • ": separators with a space either side, so
# hyphenated words and "10-day" are not cut.
SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•)\s+")
# A section name between headline and site ("World news", "Europe"): this many words at most.
MAX_SECTION_WORDS = 3
# Host labels that are not the site's own name: "www.", mobile and AMP editions, language
# editions ("en.", "edition.").
HOST_PREFIXES = frozenset({"www", "m", "mobile", "amp", "edition", "en", "eng", "english", "news"})
# What a site adds to its domain's name when it names itself: "BBC News" on bbc.co.uk.
NAME_TAILS = ("", "news", "online", "today", "daily", "media", "live", "com", "uk")
WEB_SCHEMES = ("http", "https")


def domain(url: str | None) -> str | None:
    """The host of a web address without ``www.`` and edition prefixes, or None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    labels = parts.hostname.lower().rstrip(".").split(".")
    while len(labels) > 2 and labels[0] in HOST_PREFIXES:
        labels = labels[1:]
    return ".".join(labels)


def known_site(host: str | None) -> str | None:
    """The outlet's name for a host in the table of news sites, trying parent domains too
    ("news.sky.com" is sky.com)."""
    if not host:
        return None
    labels = host.split(".")
    for start in range(len(labels) - 1):
        name = _sites().get(".".join(labels[start:]))
        if name:
            return name
    return None


def site_and_title(title: str | None, url: str | None = None, site_name: str | None = None) -> tuple[str | None, str | None]:
    """(headline without the site's suffix or prefix, the site's name as the title gives it).

    >>> site_and_title("Talks resume in Geneva | Europe | The Guardian", "https://www.theguardian.com/x")
    ('Talks resume in Geneva', 'The Guardian')
    """
    if not title:
        return title, None
    parts = SEPARATOR.split(title.strip())
    if len(parts) < 2:
        return title, None
    host = domain(url)
    names = {_squeeze(name) for name in (site_name, known_site(host)) if name}
    for at_end in (True, False):
        site = parts[-1] if at_end else parts[0]
        if _is_site(site, names, host):
            rest = parts[:-1] if at_end else parts[1:]
            rest = _without_sections(rest, at_end)
            headline = _rejoin(title, rest)
            if len(headline.split()) >= 2:
                return headline, site.strip()
    return title, None


def outlet_of(url: str | None, site_name: str | None = None, title_site: str | None = None) -> str | None:
    """The outlet of a web page: its own name for itself, the site the title names, the news
    site its domain belongs to, else the domain itself."""
    host = domain(url)
    return site_name or title_site or known_site(host) or host


def _is_site(segment: str, names: set[str], host: str | None) -> bool:
    key = _squeeze(segment)
    if not key:
        return False
    if key in names or key in _site_names():
        return True
    if host:  # the site's name spelled by its domain: "Kyiv Wire" on kyivwire.com
        label = _squeeze(host.split(".")[0])
        bare = key.removeprefix("the")
        return len(label) >= 3 and any(label + tail in (key, bare) for tail in NAME_TAILS)
    return False


def _without_sections(rest: list[str], at_end: bool) -> list[str]:
    """Drop the section names that sit between the headline and the site's name."""
    rest = list(rest)
    while len(rest) > 1:
        section = rest[-1] if at_end else rest[0]
        if len(section.split()) > MAX_SECTION_WORDS or len(section) >= max(len(part) for part in rest):
            break
        rest.pop(-1 if at_end else 0)
    return rest


def _rejoin(title: str, parts: list[str]) -> str:
    """The parts kept, with the separators the title had between them."""
    first, last = parts[0], parts[-1]
    start = title.find(first)
    end = title.rfind(last) + len(last)
    return title[start:end].strip() if start >= 0 and end > start else " ".join(parts)


def _squeeze(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@cache
def _sites() -> dict[str, str]:
    pairs = (entry.split(" ", 1) for entry in entries("news_sites"))
    return {host: name for host, name in pairs}


@cache
def _site_names() -> frozenset[str]:
    return frozenset(_squeeze(name) for name in _sites().values())
