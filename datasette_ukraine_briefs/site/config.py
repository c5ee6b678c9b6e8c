"""The site owner's settings, from the ``plugins:`` block of Datasette's metadata or config.

    plugins:
      datasette-ukraine-briefs:
        databases: [briefs]
        search_page_size: 20

Every setting is declared once below with its default (what the plugin did before it could be
configured), its bounds and the reason for them. The settings are read and checked once, at
startup: an unknown key or a bad value stops Datasette with a message naming it
(``StartupError``), so a typo never goes unnoticed and no request ever fails on one.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, fields

from datasette.utils import StartupError

PLUGIN = "datasette-ukraine-briefs"


@dataclass(frozen=True)
class Settings:
    # The databases the plugin serves (pages, links, canned queries, table settings); None: every
    # briefs database attached.
    databases: tuple[str, ...] | None = None
    # Results of each kind (articles, quotations, people) on one page of search results.
    search_page_size: int = 20
    # The deepest row a page may start at: FTS5 ranks every match up to it, so deep pages cost
    # more; past it, narrow the search or use the tables' JSON API.
    max_offset: int = 2000
    # People on the search page before anything is typed.
    most_quoted: int = 15
    # Articles on the search page before anything is typed.
    latest_articles: int = 15
    # Newest quotations and articles on a person page; the rest through the tables.
    person_list_size: int = 100
    # Altered quotations on one page of /altered.
    altered_page_size: int = 200
    # Entries of the newest_articles and person_feed canned queries (and their Atom feeds).
    feed_length: int = 50
    # Where the plugin's pages live: /-/briefs/<database>/search and so on.
    url_prefix: str = "/-/briefs"
    # Whether the plugin gives briefs tables their facets, sort orders, search, labels,
    # descriptions and hidden flags (see site/browsing.py).
    table_settings: bool = True


# Each number's bounds: at least one row, and at most what one page or query can show without
# the page growing past what a reader scrolls or the time limit allows.
BOUNDS = {
    "search_page_size": (1, 200),
    "max_offset": (0, 100_000),
    "most_quoted": (0, 200),
    "latest_articles": (0, 200),
    "person_list_size": (1, 2000),
    "altered_page_size": (1, 1000),
    "feed_length": (1, 1000),
}
DEFAULTS = Settings()
_read: "weakref.WeakKeyDictionary[object, Settings]" = weakref.WeakKeyDictionary()


def parse_settings(raw) -> Settings:
    """The settings a ``plugins:`` entry gives, checked; StartupError names what is wrong."""
    if raw is None:
        return DEFAULTS
    if not isinstance(raw, dict):
        raise StartupError(f"{PLUGIN}: its plugin configuration must be a mapping of settings")
    known = {field.name for field in fields(Settings)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise StartupError(f"{PLUGIN}: unknown setting {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    values = {}
    for name, value in raw.items():
        if name == "databases":
            values[name] = _databases(value)
        elif name == "url_prefix":
            values[name] = _url_prefix(value)
        elif name == "table_settings":
            if not isinstance(value, bool):
                raise StartupError(f"{PLUGIN}: table_settings must be true or false, not {value!r}")
            values[name] = value
        else:
            values[name] = _number(name, value)
    return Settings(**values)


def _databases(value) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(name, str) and name for name in value):
        raise StartupError(f"{PLUGIN}: databases must be a list of database names, not {value!r}")
    return tuple(value)


# Under /-/, where Datasette keeps its own pages and plugins add theirs: anywhere else a prefix
# could shadow a database's or a table's pages. One or more path segments of URL-safe letters.
URL_PREFIX = re.compile(r"^/-(?:/[A-Za-z0-9._~-]+)+$")


def _url_prefix(value) -> str:
    if not isinstance(value, str) or not URL_PREFIX.match(value.rstrip("/")):
        raise StartupError(f"{PLUGIN}: url_prefix must be a path under /-/, such as /-/briefs, not {value!r}")
    return value.rstrip("/")


def _number(name: str, value) -> int:
    low, high = BOUNDS[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise StartupError(f"{PLUGIN}: {name} must be a whole number from {low} to {high}, not {value!r}")
    return value


def settings_for(datasette) -> Settings:
    """This Datasette's settings, read and checked on first use (at startup) and kept.

    On Datasette 0.65 reading the plugin's configuration runs every ``get_metadata`` hook,
    this plugin's too, which asks for the settings: while they are being read, they are the
    defaults (``reading``)."""
    if datasette in _read:
        return _read[datasette]
    if datasette in _reading:
        return DEFAULTS
    _reading.add(datasette)
    try:
        settings = parse_settings(datasette.plugin_config(PLUGIN))
    finally:
        _reading.discard(datasette)
    _read[datasette] = settings
    return settings


def check(datasette) -> Settings:
    """The settings, read at startup; a database named that is not attached stops Datasette."""
    settings = settings_for(datasette)
    missing = [name for name in settings.databases or () if name not in datasette.databases]
    if missing:
        raise StartupError(f"{PLUGIN}: databases names {', '.join(missing)}, which Datasette does not serve")
    return settings


def reading(datasette) -> bool:
    return datasette in _reading


_reading: "weakref.WeakSet[object]" = weakref.WeakSet()
