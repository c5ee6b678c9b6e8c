"""The loader: a folder of article files in, a full-text-searchable ``briefs.db`` out.

The build is incremental and atomic. Files are hashed; only new and changed files are
parsed, and a file that disappeared takes its articles with it. The work happens in a
temporary database beside the target (a copy of it, when it exists) which replaces the target
only once complete, so a crash, a kill or Ctrl-C leaves the previous database as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import sqlite_utils

from .extraction import forget_orphans, merge_corpus, store_extraction
from .schema import ensure_schema
from .stories import build_stories, store_shingles
from .text.articles import Article, split_articles
from .text.decode import SkipFile, decode_bytes, split_front_matter

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, builds are not guarded against each other
    fcntl = None

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")


class BuildError(Exception):
    """A build that cannot go ahead; the message is meant for the person running it."""


@dataclass(frozen=True)
class Source:
    """An input file: where it is, and the name it is known by in the database."""

    path: Path
    name: str


@dataclass
class BuildReport:
    files_read: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    articles_added: int = 0
    articles_removed: int = 0
    articles_total: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.files_read - self.files_unchanged or self.files_removed)

    def summary(self) -> str:
        lines = [
            f"{self.files_read} files read ({self.files_unchanged} unchanged, "
            f"{self.files_removed} removed), {self.articles_total} articles "
            f"({self.articles_added} added, {self.articles_removed} removed), "
            f"{len(self.skipped)} files skipped"
        ]
        lines += [f"skipped {name}: {reason}" for name, reason in self.skipped]
        return "\n".join(lines)


# --- finding the input files ---------------------------------------------------------------


def collect_sources(inputs: Iterable[str | Path]) -> list[Source]:
    """Every article file under the given files and folders, named relative to the folder
    given (a file given by itself is known by its file name)."""
    sources: dict[str, Source] = {}
    for given in inputs:
        given = Path(given)
        if given.is_dir():
            found = [
                Source(path, path.relative_to(given).as_posix())
                for path in sorted(given.rglob("*"))
                if path.suffix.lower() in ARTICLE_SUFFIXES
                and path.is_file()
                and not any(part.startswith(".") for part in path.relative_to(given).parts)
            ]
        elif given.exists():
            found = [Source(given, given.name)]
        else:
            raise BuildError(f"no such file or folder: {given}")
        for source in found:
            sources.setdefault(source.name, source)
    return list(sources.values())


# --- parsing one file ----------------------------------------------------------------------


@dataclass
class ParsedFile:
    articles: list[Article]
    meta: dict
    warnings: list[str]


def parse_file(data: bytes) -> ParsedFile:
    """A file's bytes to its articles, its front matter and the warnings worth telling the user.

    Front matter wins over what the text suggests: its title names the file's first article,
    its outlet, url, author and date apply to every article in the file.
    Raises ``SkipFile`` when there is nothing to load.
    """
    decoded = decode_bytes(data)
    meta, text, meta_warnings = split_front_matter(decoded.text)
    articles = split_articles(text)
    if not articles:
        raise SkipFile("no article text found")
    if meta.get("title"):
        articles[0].title = meta["title"]
    for article in articles:
        article.published = meta.get("published") or article.published
        article.author = meta.get("author") or article.author
        article.outlet = meta.get("outlet") or article.outlet
        article.url = meta.get("url") or article.url
    return ParsedFile(articles, meta, decoded.warnings + meta_warnings)


def article_row(article: Article, source: Source, first_seen: str) -> dict:
    """The ``articles`` row of one article."""
    return {
        "id": article.content_id,
        "source_file": source.name,
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
        "first_seen": first_seen,
    }


# --- the database --------------------------------------------------------------------------


def stored_files(db_path: Path) -> dict[str, tuple[str, str | None]]:
    """path -> (sha256, reason it was skipped or None) for the files the existing database
    was built from; empty when there is no usable database yet."""
    if not db_path.exists():
        return {}
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return {path: (sha, reason) for path, sha, reason in conn.execute("select path, sha256, reason from files")}
        finally:
            conn.close()
    except sqlite3.Error:
        return {}


def build(
    db_path: str | Path,
    inputs: Iterable[str | Path],
    on_file: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Bring ``db_path`` up to date with the article files under ``inputs``.

    The database mirrors the inputs: new and changed files are (re)loaded, files no longer
    given lose their articles. Nothing is written when nothing changed, and the target is
    only replaced by a complete build.
    """
    db_path = Path(db_path)
    sources = collect_sources(inputs)
    if not db_path.parent.exists():
        raise BuildError(f"no such folder for the database: {db_path.parent}")
    report = BuildReport()
    with _build_lock(db_path):
        _remove_stale_temporaries(db_path)
        previous = stored_files(db_path)
        contents = {}
        for source in sources:
            try:
                data = source.path.read_bytes()
            except OSError as error:
                report.skipped.append((source.name, f"cannot read: {error.strerror or error}"))
                continue
            contents[source.name] = (source, data, hashlib.sha256(data).hexdigest())
        report.files_read = len(contents)
        for name, (_, _, sha) in contents.items():
            if previous.get(name, ("",))[0] == sha:
                report.files_unchanged += 1
                if previous[name][1]:
                    report.skipped.append((name, previous[name][1]))
        report.files_removed = len(set(previous) - set(contents))
        if previous and not report.changed:
            report.articles_total = _count_articles(db_path)
            return report
        with _temporary_copy(db_path) as temp_path:
            db = sqlite_utils.Database(temp_path)
            _fast_writes(db)
            ensure_schema(db)
            _apply_changes(db, contents, previous, report, on_file)
            report.articles_total = db["articles"].count
            if report.articles_total == 0:
                raise BuildError("nothing could be loaded: no articles found in " + ", ".join(map(str, inputs)))
            db.conn.commit()
            db.close()
    return report


def _apply_changes(db, contents, previous, report: BuildReport, on_file) -> None:
    started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    before = {row[0] for row in db.execute("select id from articles")}
    known = set(before)
    for name in set(previous) - set(contents):
        _forget_file(db, name)
    for done, (name, (source, data, sha)) in enumerate(contents.items(), start=1):
        if on_file:
            on_file(done, len(contents))
        if previous.get(name, ("",))[0] == sha:
            continue
        _forget_file(db, name)
        try:
            parsed = parse_file(data)
        except SkipFile as skip:
            report.skipped.append((name, str(skip)))
            db["files"].insert({"path": name, "sha256": sha, "bytes": len(data), "status": "skipped",
                                "reason": str(skip), "articles": 0, "warnings": "[]"})
            continue
        report.warnings += [(name, warning) for warning in parsed.warnings]
        rows = [article_row(article, source, started) for article in parsed.articles]
        for row in rows:
            if row["id"] not in known:  # an article already stored keeps what was found in it
                known.add(row["id"])
                articles = db["articles"].insert(row, pk="id")
                store_extraction(db, row)
                store_shingles(db, articles.last_rowid, row["body"])
        db["article_sources"].insert_all(
            {"source_file": name, "position": row["position"], "article_id": row["id"]} for row in rows
        )
        db["files"].insert({"path": name, "sha256": sha, "bytes": len(data), "status": "loaded",
                            "reason": None, "articles": len(rows),
                            "warnings": json.dumps(parsed.warnings, ensure_ascii=False)})
    # Articles no file holds any more go; the rest name their first source.
    db.execute("delete from articles where id not in (select article_id from article_sources)")
    db.execute(
        """update articles set (source_file, position) = (
             select source_file, position from article_sources s
             where s.article_id = articles.id order by source_file, position limit 1)"""
    )
    forget_orphans(db)
    merge_corpus(db)
    build_stories(db)
    after = {row[0] for row in db.execute("select id from articles")}
    report.articles_added = len(after - before)
    report.articles_removed = len(before - after)


def _forget_file(db, name: str) -> None:
    db.execute("delete from article_sources where source_file = ?", [name])
    db.execute("delete from files where path = ?", [name])


def _count_articles(db_path: Path) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("select count(*) from articles").fetchone()[0]
    finally:
        conn.close()


def _fast_writes(db) -> None:
    """The temporary database is thrown away on any failure, so it needs no journal."""
    db.execute("pragma journal_mode = off")
    db.execute("pragma synchronous = off")
    db.execute("pragma temp_store = memory")
    db.execute("pragma cache_size = -200000")


# --- atomic replacement and locking --------------------------------------------------------


def _temp_prefix(db_path: Path) -> str:
    return f".{db_path.name}.building-"


@contextlib.contextmanager
def _temporary_copy(db_path: Path) -> Iterator[Path]:
    """A copy of the target to build in, moved over the target only if the block completes."""
    temp_path = db_path.with_name(f"{_temp_prefix(db_path)}{os.getpid()}")
    try:
        if db_path.exists():
            source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
            target = sqlite3.connect(temp_path)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
        yield temp_path
        with open(temp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp_path, db_path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp_path.unlink()


def _remove_stale_temporaries(db_path: Path) -> None:
    """A build that was killed leaves its temporary file; holding the lock, it is ours to clear."""
    for stale in db_path.parent.glob(_temp_prefix(db_path) + "*"):
        with contextlib.suppress(OSError):
            stale.unlink()


@contextlib.contextmanager
def _build_lock(db_path: Path) -> Iterator[None]:
    """One build per target at a time: a second one is told so instead of racing the first."""
    if fcntl is None:
        yield
        return
    lock_path = db_path.with_name(f".{db_path.name}.lock")
    try:
        handle = open(lock_path, "a")
    except OSError as error:
        raise BuildError(f"cannot write beside {db_path}: {error.strerror or error}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build of {db_path} is running; try again when it has finished") from None
        yield
