"""YAML front matter as web clippers, crawlers and static-site tools write it.

Obsidian Web Clipper writes ``source`` (the URL), ``author`` as a list of ``[[wiki links]]``,
``published``, ``created`` and ``description``; MarkDownload ``source``, ``author`` and
``created``; Jekyll and Hugo ``date``, ``authors``, ``categories`` and ``tags``; trafilatura
``url``, ``hostname``, ``sitename``, ``date`` and ``description``. Each of those keys is read
into the field it means; every other key is kept, as written, in ``extra``: nothing a file
says is lost.

Front matter is read safely, whatever a file holds: no YAML tags that run code, no aliases
(363 bytes of nested aliases expand to hundreds of megabytes), no more than
MAX_FRONT_MATTER_CHARS, no nesting past Python's recursion limit; a date or number YAML cannot
make a value of stays the text it is. A refused front matter is a warning, and the article
loads without it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

from .dates import parse_date
from .headlines import MAX_TITLE_CHARS, bounded_title

# Clippers write a few hundred characters of front matter, a long description a few thousand:
# a block longer than this is not front matter (a file opening with a rule, then prose).
MAX_FRONT_MATTER_CHARS = 64_000

# Field: the keys that give it, best first (a key is compared lower-cased, "-" read as "_").
# ``source`` is a URL for clippers and an outlet's name for people: it is read by its value.
FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "og_title"),
    "subtitle": ("subtitle", "standfirst", "deck", "dek", "description", "summary", "excerpt"),
    "url": ("url", "canonical", "canonical_url", "link", "permalink", "source_url", "original_url", "source"),
    "outlet": ("outlet", "publication", "publisher", "site_name", "sitename", "site", "website",
               "newspaper", "source"),
    "published": ("published", "date", "published_at", "publication_date", "date_published", "pubdate"),
    # When the page was changed or clipped: a date to fall back on when neither the front
    # matter nor the page itself says when it was published.
    "clipped": ("updated", "modified", "date_modified", "created", "date_created", "clipped"),
    "author": ("author", "authors", "byline", "by", "creator", "creators", "writer"),
    "tags": ("tags", "keywords", "categories", "category", "topics"),
}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_WEB_ADDRESS = re.compile(r"^https?://\S+$", re.I)
_WIKI_LINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")  # [[Name]] or [[page|Name]]
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass
class FrontMatter:
    title: str | None = None
    subtitle: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    clipped: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    hostname: str | None = None  # trafilatura's name of the site's host, when no URL says it
    extra: dict = field(default_factory=dict)


def read_front_matter(text: str) -> tuple[FrontMatter, str, list[str]]:
    """Split an optional ``---`` YAML block off the top of a file.

    Returns (front matter, remaining text, warnings). Dates become ISO dates when they parse
    as one (``unknown`` is no date, and the next key is tried).
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return FrontMatter(), text, []
    if len(match.group(1)) > MAX_FRONT_MATTER_CHARS:
        return FrontMatter(), text, [
            f"a front matter block of {len(match.group(1)):,} characters, over the limit of "
            f"{MAX_FRONT_MATTER_CHARS:,}: read as text"
        ]
    rest = text[match.end():]
    try:
        raw = yaml.load(match.group(1), Loader=_SafeLoader)  # a SafeLoader, stricter still
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        return FrontMatter(), rest, [f"front matter is not valid YAML{where}: {problem}: ignored"]
    except RecursionError:
        return FrontMatter(), rest, ["front matter nested too deeply to read: ignored"]
    if raw is None:
        return FrontMatter(), rest, []
    if not isinstance(raw, dict):
        return FrontMatter(), rest, ["front matter is not a mapping of keys to values: ignored"]
    meta = _fields(raw)
    warnings = []
    if meta.title and len(meta.title) > MAX_TITLE_CHARS:  # kept whole among the other keys
        meta.extra.setdefault("title", meta.title)
        meta.title = bounded_title(meta.title)
        warnings.append(f"the front matter's title is longer than {MAX_TITLE_CHARS} characters: cut")
    return meta, rest, warnings


class _SafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` without aliases, and with dates and numbers that cannot be made
    (``2025-02-30``, a number of 5,000 digits) read as the text they are."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not read", mark)
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            return self.construct_scalar(node)


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _SafeLoader.construct_yaml_timestamp)
_SafeLoader.add_constructor("tag:yaml.org,2002:int", _SafeLoader.construct_yaml_int)


def _fields(raw: dict) -> FrontMatter:
    values = {_key(key): value for key, value in raw.items()}
    meta = FrontMatter()
    used: set[str] = set()
    for name, keys in FIELD_KEYS.items():
        for key in keys:
            value = _value(name, values.get(key))
            if value is not None and _means(key, name, value):
                setattr(meta, name, value)
                used.add(key)
                break
    meta.hostname = _text(values.get("hostname"))
    used.add("hostname")
    # Whatever gave no field is kept as written: unknown keys, and known ones that lost to a
    # better key (a clipping's ``created`` beside the page's ``published``) or said nothing.
    meta.extra = {str(key): _plain(value) for key, value in raw.items() if _key(key) not in used}
    return meta


def _means(key: str, name: str, value) -> bool:
    """Whether the key's value is that field: ``source`` is the URL when it is a web address,
    the outlet when it is not."""
    if key != "source":
        return True
    return (name == "url") == bool(_WEB_ADDRESS.match(value))


def _key(key) -> str:
    return str(key).strip().lower().replace("-", "_").replace(" ", "_")


def _value(name: str, value) -> str | list[str] | None:
    if value is None:
        return None
    if name == "tags":
        items = value if isinstance(value, (list, tuple)) else str(value).split(",")
        tags = [tag for tag in (_text(item) for item in items) if tag]
        return tags or None
    if name in ("published", "clipped"):
        return iso_date(value)
    if name == "author":  # a list, or names joined by semicolons as trafilatura writes them
        items = value if isinstance(value, (list, tuple)) else str(value).split(";")
        names = [_text(item) for item in items]
        return ", ".join(name for name in names if name) or None
    return _text(value)


def _text(value) -> str | None:
    """A value as one line of text: wiki and Markdown links read as their text, a mapping by its
    ``name`` (``author: {name: …}``), a list joined with commas."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
    if isinstance(value, (list, tuple)):
        value = ", ".join(filter(None, map(_text, value)))
    if value is None or isinstance(value, bool):
        return None
    text = _MARKDOWN_LINK.sub(r"\1", _WIKI_LINK.sub(r"\1", str(value)))
    text = " ".join(text.split())
    return text or None


def _plain(value):
    """A YAML value as JSON can hold it (dates as ISO strings)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def iso_date(value) -> str | None:
    """An ISO date (or date-time) string from a YAML value, or None when it is not one."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return parse_date(str(value))
