"""Input files: finding them, and reading one into rows ready for the tables.

``load_files`` is what the build's worker processes run: bytes to articles to extracted
people, quotations and shingles, with no database in sight, so it can use every core.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit, urlunsplit

from ..text.articles import Article, WebPage, split_articles
from ..text.decode import SkipFile, decode_bytes
from ..text.frontmatter import FrontMatter, read_front_matter
from ..text.sites import domain, known_site, site_and_title
from ..text.webpage import HTML_SUFFIXES, is_web_page, page_to_markdown
from .extraction import Extracted, extract, extract_shingles

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", *HTML_SUFFIXES)
# Hex digits of an article id: 64 bits, no collision in any archive of realistic size.
ID_LENGTH = 16
# Files over this many bytes are skipped (``--max-file-size`` sets another limit). An article
# file is a few kilobytes and an export of a whole archive in one file a few hundred megabytes
# at most; past this, a file is a dump or a mistake, and a worker reading it whole would hold
# several times its size in memory (its bytes, its text, its articles).
MAX_FILE_SIZE = 256 * 1024 * 1024
SIZE_SKIP = "over the file size limit"  # in the reason of a file skipped for its size


class MissingInput(Exception):
    """A file or folder given on the command line does not exist."""


class NameClash(Exception):
    """Two input files would be stored under one name: one of them would be lost."""


@dataclass(frozen=True)
class Source:
    """An input file: where it is, and the name it is known by in the database."""

    path: Path
    name: str
    problem: str | None = None  # why it is not read: the file is skipped with this reason
    warning: str | None = None  # told with the file's other warnings
    max_size: int | None = None  # bytes: a larger file is skipped


def is_size_skip(reason: str | None) -> bool:
    """Whether a file was skipped for its size (and is looked at again by the next build)."""
    return bool(reason) and SIZE_SKIP in reason


def size_problem(size: int, limit: int) -> str:
    return f"{size:,} bytes, {SIZE_SKIP} of {limit:,} bytes (--max-file-size): not read"


def collect_sources(inputs: Iterable[str | Path], max_size: int | None = None) -> list[Source]:
    """Every article file under the given files and folders. A file in a folder is named by
    the folder's own name and its path inside it (``seeds/deep/x.md``), so equal file names
    in two folders are two files; a file given by itself is known by its file name.

    Raises ``MissingInput`` for an input that does not exist and ``NameClash`` when two
    different files would get one name (two folders of one name, two lone files of one name).
    A file over ``max_size`` bytes is skipped, with its size and the limit as its reason.
    """
    sources: dict[str, Source] = {}
    for given in inputs:
        given = Path(given)
        if given.is_dir():
            folder = given.resolve().name
            found = [
                _source(path, f"{folder}/{path.relative_to(given).as_posix()}", max_size, given)
                for path in sorted(given.rglob("*"))
                if path.suffix.lower() in ARTICLE_SUFFIXES
                and not path.is_dir()
                and not any(part.startswith(".") for part in path.relative_to(given).parts)
            ]
        elif given.exists():
            found = [_source(given, given.name, max_size)]
        else:
            raise MissingInput(f"no such file or folder: {given}")
        for source in found:
            other = sources.setdefault(source.name, source)
            if other.path.resolve() != source.path.resolve():
                raise NameClash(
                    f"{other.path} and {source.path} would both be stored as {source.name}: "
                    "rename one of their folders or files"
                )
    return list(sources.values())


def _source(path: Path, name: str, max_size: int | None, folder: Path | None = None) -> Source:
    """An input file, with what keeps it from being read: a link leading out of the folder it
    was found in (``folder``), something that is not a regular file (a FIFO would wait
    forever), or a size over ``max_size``. A name that is not valid UTF-8 is stored in a safe
    spelling, with a warning."""
    safe = os.fsencode(name).decode("utf-8", "backslashreplace")
    warning = f"the file name is not valid UTF-8: stored as {safe}" if safe != name else None
    problem = None
    try:
        target = path.resolve(strict=True)
        found = target.stat()
        mode = found.st_mode
    except (OSError, RuntimeError):
        problem = "a broken link or an unreadable path: not read"
    else:
        if folder is not None and not target.is_relative_to(folder.resolve()):
            problem = "a link to a file outside the folder given: not read"
        elif not stat.S_ISREG(mode):
            problem = "not a regular file (a FIFO, a device or a socket): not read"
        elif max_size is not None and found.st_size > max_size:
            problem = size_problem(found.st_size, max_size)
    return Source(path, safe, problem, warning, max_size)


@dataclass
class ParsedFile:
    articles: list[Article]
    meta: FrontMatter
    warnings: list[str]


def parse_file(data: bytes, suffix: str = "") -> ParsedFile:
    """A file's bytes to its articles, its front matter and the warnings worth telling the user.

    A saved web page (``suffix`` ``.html``, or text that starts as HTML) is first turned into
    Markdown with front matter. Front matter wins over what the text suggests: its title names
    the file's first article, its outlet, url, author and date apply to every article in the
    file. A file with a web address, or a web page, is read as one: one article, its furniture
    filed as noise, the site's name cut off its title and made its outlet.
    Raises ``SkipFile`` when there is nothing to load.
    """
    decoded = decode_bytes(data)
    text = decoded.text
    from_web = is_web_page(text, suffix)
    if from_web:
        text = page_to_markdown(text)
    meta, text, meta_warnings = read_front_matter(text)
    web = WebPage(meta.subtitle, meta.author) if from_web or meta.url else None
    title, title_site = site_and_title(meta.title, meta.url, meta.outlet)
    articles = split_articles(text, title=title, web=web)
    if not articles:
        raise SkipFile("no article text found")
    host = domain(meta.url) or meta.hostname
    for article in articles:
        if web is not None and article.title and article.title != title:
            article.title, found_site = site_and_title(article.title, meta.url, meta.outlet)
            title_site = title_site or found_site
        article.published = meta.published or article.published or meta.clipped
        article.author = meta.author or article.author
        article.outlet = meta.outlet or title_site or known_site(host) or host or article.outlet
        article.url = meta.url or article.url
        article.tags = meta.tags
        article.front_matter = meta.extra
    return ParsedFile(articles, meta, decoded.warnings + meta_warnings)


def article_ids(source_name: str, articles: list[Article]) -> list[str]:
    """Each article's id, from what identifies it rather than from its text, so that a
    corrected typo keeps the article's links: its web address when no other article of the
    file has it; else its file and headline when the headline is the file's only one of that
    wording; else its file and position."""
    urls = Counter(_normal_url(article.url) for article in articles if article.url)
    titles = Counter(article.title for article in articles if article.title)
    ids = []
    for position, article in enumerate(articles, 1):
        url = _normal_url(article.url) if article.url else None
        if url and urls[url] == 1:
            key = f"url\x1f{url}"
        elif article.title and titles[article.title] == 1:
            key = f"title\x1f{source_name}\x1f{article.title}"
        else:
            key = f"position\x1f{source_name}\x1f{position}"
        ids.append(_digest(key))
    return ids


def is_url_id(row: dict) -> bool:
    """Whether an article row's id comes from its web address (and so may be another file's too)."""
    return bool(row["url"]) and row["id"] == _digest(f"url\x1f{_normal_url(row['url'])}")


def fallback_id(source_name: str, position: int) -> str:
    """The id of an article whose web address another file's different article already has."""
    return _digest(f"position\x1f{source_name}\x1f{position}")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_LENGTH]


def _normal_url(url: str) -> str:
    """One address however it was copied: no fragment, no trailing slash, lower-case host."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))


def article_row(article: Article, article_id: str, source_name: str, first_seen: str) -> dict:
    """The ``articles`` row of one article."""
    return {
        "id": article_id,
        "content_hash": article.content_hash,
        "source_file": source_name,
        "position": article.position,
        "title": article.title,
        "display_title": article.display_title,
        "subtitle": article.subtitle,
        "dateline": article.dateline,
        "outlet": article.outlet,
        "url": article.url,
        "author": article.author,
        "published": article.published,
        "body": article.body,
        "word_count": article.word_count,
        "people": "[]",
        "images": json.dumps([vars(image) for image in article.images], ensure_ascii=False),
        "captions": json.dumps(article.captions, ensure_ascii=False),
        "credits": json.dumps(article.credits, ensure_ascii=False),
        "noise": json.dumps(list(dict.fromkeys(article.noise)), ensure_ascii=False),
        "tags": json.dumps(article.tags, ensure_ascii=False),
        "front_matter": json.dumps(article.front_matter, ensure_ascii=False, default=str),
        "first_seen": first_seen,
    }


@dataclass
class LoadedFile:
    """One input file read: its state, and its articles with what was extracted from each
    (or why it was skipped)."""

    name: str
    sha256: str = ""
    size: int = 0
    mtime_ns: int = 0
    articles: list[tuple[dict, Extracted]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: str | None = None


def load_file(source: Source, first_seen: str, known_sha256: str | None = None) -> LoadedFile:
    """Read, parse and extract one file; a file whose bytes hash to ``known_sha256`` (touched
    but unchanged) is not parsed again."""
    loaded = LoadedFile(source.name, warnings=[source.warning] if source.warning else [])
    if source.problem:
        loaded.skipped = source.problem
        return loaded
    try:
        stat = source.path.stat()
        if source.max_size is not None and stat.st_size > source.max_size:  # grown since it was found
            loaded.skipped = size_problem(stat.st_size, source.max_size)
            return loaded
        data = source.path.read_bytes()
    except OSError as error:
        loaded.skipped = f"cannot read: {error.strerror or error}"
        return loaded
    loaded.sha256, loaded.size, loaded.mtime_ns = hashlib.sha256(data).hexdigest(), stat.st_size, stat.st_mtime_ns
    if loaded.sha256 == known_sha256:
        return loaded
    try:
        parsed = parse_file(data, source.path.suffix)
    except SkipFile as skip:
        loaded.skipped = str(skip)
        return loaded
    loaded.warnings += parsed.warnings
    ids = article_ids(source.name, parsed.articles)
    for position, (article, article_id) in enumerate(zip(parsed.articles, ids), 1):
        row = article_row(article, article_id, source.name, first_seen)
        loaded.articles.append((row, _extract_or_warn(row, position, loaded.warnings)))
    return loaded


def _extract_or_warn(row: dict, position: int, warnings: list[str]) -> Extracted:
    """The article's people and quotations; if the extractor fails on it, the article is still
    loaded (text, search, stories) and the failure becomes a warning of its file."""
    try:
        return extract(row)
    except Exception as error:  # any extractor bug: reported, and the rest of the file loads
        warnings.append(f"article {position}: people and quotations not extracted ({type(error).__name__}: {error})")
        return extract_shingles(row)


def load_files(jobs: list[tuple[Source, str, str | None]]) -> list[LoadedFile]:
    """``load_file`` over a batch: the unit of work sent to a worker process."""
    return [load_file(*job) for job in jobs]
