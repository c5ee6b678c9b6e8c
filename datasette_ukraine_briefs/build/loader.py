"""The loader: a folder of article files in, a full-text-searchable ``briefs.db`` out.

The build is incremental, parallel and atomic:

- a file whose size and modification time are as recorded is not read again; a changed one
  is hashed, and only changed content is parsed; a file that disappeared takes its articles;
- files are read and their articles extracted in worker processes (``files.load_files``),
  a batch at a time, while this process writes rows in batches;
- the work happens in a temporary database beside the target (a copy of it, when it exists)
  which replaces the target only once complete, so a crash, a kill or Ctrl-C leaves the
  previous database as it was. A lock keeps two builds of one target apart.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import datetime as dt
import json
import multiprocessing
import os
import shutil
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

import sqlite_utils

from ..tables import SCHEMA_VERSION
from .extraction import fill_missing_fingerprints, forget_removed_articles, merge_corpus, store
from .files import LoadedFile, MissingInput, Source, collect_sources, load_files
from .schema import ensure_schema, full_text_deferred, indexes_deferred, insert_rows
from .stories import build_stories

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, builds are not guarded against each other
    fcntl = None

BATCH_FILES = 32  # files per task sent to a worker
PARALLEL_FROM = 64  # fewer changed files than this are read in this process
WRITE_EVERY = 500  # articles buffered before they are written
# Files loaded by a build whose schema is older than this are read again, changed or not:
# version 3 reads saved web pages, clippers' front matter and web furniture.
REREAD_BELOW = 3


class BuildError(Exception):
    """A build that cannot go ahead; the message is meant for the person running it."""


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


@dataclass(frozen=True)
class FileState:
    """What the database knows of an input file from the last build."""

    sha256: str
    size: int
    mtime_ns: int
    reason: str | None  # why it was skipped, if it was


def stored_files(db_path: Path) -> dict[str, FileState]:
    """The files the existing database was built from; empty when there is none yet."""
    if not db_path.exists():
        return {}
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = conn.execute("select path, sha256, bytes, mtime_ns, reason from files")
            return {path: FileState(sha, size, mtime or 0, reason) for path, sha, size, mtime, reason in rows}
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
    inputs = list(inputs)
    try:
        sources = collect_sources(inputs)
    except MissingInput as missing:
        raise BuildError(str(missing)) from None
    if not db_path.parent.exists():
        raise BuildError(f"no such folder for the database: {db_path.parent}")
    report = BuildReport(files_read=len(sources))
    with _build_lock(db_path):
        _remove_stale_temporaries(db_path)
        previous = stored_files(db_path)
        if previous and _read_value(db_path, "pragma user_version") < REREAD_BELOW:
            previous = {name: replace(state, sha256="", size=-1) for name, state in previous.items()}
        to_load = []
        for source in sources:
            state = previous.get(source.name)
            if state and _same_stat(source.path, state):
                report.files_unchanged += 1
                if state.reason:
                    report.skipped.append((source.name, state.reason))
            else:
                to_load.append(source)
        removed = set(previous) - {source.name for source in sources}
        report.files_removed = len(removed)
        if previous and not to_load and not removed and _read_value(db_path, "pragma user_version") == SCHEMA_VERSION:
            report.articles_total = _read_value(db_path, "select count(*) from articles")
            return report
        with _temporary_copy(db_path) as temp_path:
            loaded = _load_in_parallel(to_load, previous, on_file)
            db = sqlite_utils.Database(temp_path)
            try:
                _fast_writes(db)
                ensure_schema(db)
                _apply_changes(db, loaded, removed, previous, report)
                report.articles_total = db["articles"].count
                if report.articles_total == 0:
                    raise BuildError("nothing could be loaded: no articles found in " + ", ".join(map(str, inputs)))
                db.conn.commit()
            finally:
                db.close()
    return report


def _same_stat(path: Path, state: FileState) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return stat.st_size == state.size and stat.st_mtime_ns == state.mtime_ns


def _load_in_parallel(sources: list[Source], previous: dict[str, FileState], on_file) -> Iterator[LoadedFile]:
    """Loaded files in input order, read by worker processes when there are many; at most a
    few batches are in flight, so memory stays flat whatever the size of the corpus."""
    first_seen = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    jobs = [(source, first_seen, previous[source.name].sha256 if source.name in previous else None) for source in sources]
    batches = [jobs[i:i + BATCH_FILES] for i in range(0, len(jobs), BATCH_FILES)]
    workers = os.cpu_count() or 1
    if len(jobs) < PARALLEL_FROM or workers < 2:
        results = (load_files(batch) for batch in batches)
    else:
        results = _bounded_map(load_files, batches, workers)
    done = 0
    for batch in results:
        for loaded in batch:
            done += 1
            if on_file:
                on_file(done, len(jobs))
            yield loaded


def _bounded_map(function, items: list, workers: int) -> Iterator:
    """``function`` over ``items`` in worker processes, in order, with a bounded backlog.

    Workers are spawned fresh (never forked), so they hold neither the build lock nor the
    database; they are the build's own children, and die with it if it is killed.
    """
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_die_with_parent, initargs=(os.getpid(),)
    ) as executor:
        pending = collections.deque()
        try:
            for item in items:
                pending.append(executor.submit(function, item))
                if len(pending) >= workers * 3:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _die_with_parent(parent: int) -> None:
    """Linux: a worker whose build is killed gets SIGKILL too, instead of waiting forever for
    work. A build killed while the worker was starting is gone before it could ask: it exits."""
    with contextlib.suppress(Exception):
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def _apply_changes(db, loaded: Iterator[LoadedFile], removed: set[str], previous, report: BuildReport) -> None:
    before = {row[0] for row in db.execute("select id from articles")}
    first_build = not before  # index each table once, after loading, rather than row by row
    with full_text_deferred(db, first_build):
        with indexes_deferred(db, first_build):
            _write_files(db, loaded, removed, previous, report, known=set(before))
        forget_removed_articles(db)
        # Each article names its first source.
        db.execute(
            """with first as (
                 select article_id, source_file, position,
                        row_number() over (partition by article_id order by source_file, position) as n
                 from article_sources)
               update articles set source_file = first.source_file, position = first.position from first
               where first.article_id = articles.id and first.n = 1
                 and (articles.source_file is not first.source_file or articles.position is not first.position)"""
        )
        fill_missing_fingerprints(db)
        build_stories(db, people_changed=merge_corpus(db))
    after = {row[0] for row in db.execute("select id from articles")}
    report.articles_added = len(after - before)
    report.articles_removed = len(before - after)


def _write_files(db, loaded: Iterator[LoadedFile], removed: set[str], previous, report: BuildReport, known: set[str]) -> None:
    """Forget removed and changed files, and write what was loaded from new and changed ones."""
    writer = _Writer(db, known)
    for name in removed:
        _forget_file(db, name)
    for file in loaded:
        state = previous.get(file.name)
        if file.skipped is None and state and file.sha256 == state.sha256:
            report.files_unchanged += 1  # touched, not changed: remember the new time
            db.execute("update files set mtime_ns = ? where path = ?", [file.mtime_ns, file.name])
            if state.reason:
                report.skipped.append((file.name, state.reason))
            continue
        _forget_file(db, file.name)
        report.warnings += [(file.name, warning) for warning in file.warnings]
        if file.skipped:
            report.skipped.append((file.name, file.skipped))
        writer.add(file)
    writer.flush()


class _Writer:
    """Buffers loaded files and writes them a few hundred articles at a time."""

    def __init__(self, db, known: set[str]):
        self.db, self.known = db, known
        self.files: list[dict] = []
        self.sources: list[dict] = []
        self.articles: list[tuple[dict, object]] = []

    def add(self, file: LoadedFile) -> None:
        self.files.append({
            "path": file.name, "sha256": file.sha256, "bytes": file.size, "mtime_ns": file.mtime_ns,
            "status": "skipped" if file.skipped else "loaded", "reason": file.skipped,
            "articles": len(file.articles), "warnings": json.dumps(file.warnings, ensure_ascii=False),
        })
        for row, extracted in file.articles:
            self.sources.append({"source_file": file.name, "position": row["position"], "article_id": row["id"]})
            if row["id"] not in self.known:  # an article already stored keeps what was found in it
                self.known.add(row["id"])
                self.articles.append((row, extracted))
        if len(self.articles) >= WRITE_EVERY:
            self.flush()

    def flush(self) -> None:
        db = self.db
        insert_rows(db, "articles", [row for row, _ in self.articles])
        ids = [row["id"] for row, _ in self.articles]
        rowids = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rowids.update(db.execute(
                "select id, rowid from articles where id in (select value from json_each(?))", [json.dumps(chunk)]
            ).fetchall())
        store(db, [(rowids[row["id"]], extracted) for row, extracted in self.articles])
        db["article_sources"].insert_all(self.sources, pk=("source_file", "position"), replace=True)
        db["files"].insert_all(self.files, pk="path", replace=True, alter=True)
        self.files, self.sources, self.articles = [], [], []


def _forget_file(db, name: str) -> None:
    db.execute("delete from article_sources where source_file = ?", [name])
    db.execute("delete from files where path = ?", [name])


def _read_value(db_path: Path, sql: str):
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def _fast_writes(db) -> None:
    """The temporary database is thrown away on any failure, so it needs no journal. Temporary
    tables and sorts stay in files (the default): in memory they would grow with the corpus."""
    db.execute("pragma journal_mode = off")
    db.execute("pragma synchronous = off")
    db.execute("pragma cache_size = -64000")


# --- atomic replacement and locking --------------------------------------------------------


def _temp_prefix(db_path: Path) -> str:
    return f".{db_path.name}.building-"


@contextlib.contextmanager
def _temporary_copy(db_path: Path) -> Iterator[Path]:
    """A copy of the target to build in, moved over the target only if the block completes."""
    temp_path = db_path.with_name(f"{_temp_prefix(db_path)}{os.getpid()}")
    try:
        if db_path.exists():
            _copy_consistent(db_path, temp_path)
        yield temp_path
        with open(temp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp_path, db_path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp_path.unlink()


def _copy_consistent(db_path: Path, copy_path: Path) -> None:
    """Copy a database file while holding a read transaction on it, so no writer can commit
    half-way through; a plain file copy is several times faster than the backup API."""
    source = sqlite3.connect(db_path, isolation_level=None)
    try:
        source.execute("begin")
        source.execute("select count(*) from sqlite_master").fetchone()  # takes the shared lock
        shutil.copyfile(db_path, copy_path)
        source.execute("rollback")
    finally:
        source.close()


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
