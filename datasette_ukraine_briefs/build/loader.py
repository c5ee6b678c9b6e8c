"""The loader: a folder of article files in, a full-text-searchable ``briefs.db`` out.

The build is incremental, parallel and safe:

- a file whose size and modification time are as recorded is not read again; a changed one
  is hashed, and only changed content is parsed;
- files are read and their articles extracted in worker processes (``files.load_files``),
  a batch at a time, while this process writes rows in batches;
- articles keep their ids when their text is corrected (``files.article_ids``); an id that
  changes anyway leaves a redirect in ``article_redirects``;
- nothing is lost by a slip: a file no longer given keeps its articles until a build is run
  with ``prune``, and ``dry_run`` tells what a build would do without writing;
- the database is written in one transaction (``storage``), so a served site sees the new
  build at once and a failed build leaves the previous one as it was.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import datetime as dt
import json
import multiprocessing
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

import sqlite_utils

from ..tables import SCHEMA_VERSION
from .extraction import fill_missing_fingerprints, forget_articles, merge_corpus, rekey, store
from .files import (
    MAX_FILE_SIZE,
    LoadedFile,
    MissingInput,
    NameClash,
    Source,
    collect_sources,
    fallback_id,
    is_size_skip,
    is_url_id,
    load_files,
)
from .preview import planned_changes
from .progress import Progress
from .schema import ensure_schema, full_text_deferred, indexes_deferred, insert_rows
from .storage import BuildError, build_lock, open_target, read_rows, read_value, remove_stale_temporaries
from .stories import build_stories

__all__ = ["BuildError", "BuildOptions", "BuildReport", "build"]

BATCH_FILES = 32  # files per task sent to a worker
PARALLEL_FROM = 64  # fewer changed files than this are read in this process
WRITE_EVERY = 500  # articles buffered before they are written
# Files loaded by a build whose schema is older than this are read again, changed or not:
# version 4 gives articles ids that survive edits, and names files with their folder.
REREAD_BELOW = 4
# Before version 4 a file in a folder was named without the folder's own name.
FOLDER_NAMES_FROM = 4


@dataclass
class BuildReport:
    files_read: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    # Files an earlier build loaded that this one was not given: their articles are kept.
    files_missing: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    articles_added: int = 0
    articles_changed: int = 0
    articles_removed: int = 0
    articles_total: int = 0
    redirects: int = 0
    inputs: list[str] = field(default_factory=list)  # what was read: given, or recorded by earlier builds
    planned: list[str] | None = None  # a dry run: what a build would do, one line a file

    @property
    def changed(self) -> bool:
        return bool(self.files_read - self.files_unchanged or self.files_removed)

    def summary(self) -> str:
        lines = [
            f"{self.files_read} files read ({self.files_unchanged} unchanged, "
            f"{self.files_removed} removed), {self.articles_total} articles "
            f"({self.articles_added} added, {self.articles_changed} changed, {self.articles_removed} removed), "
            f"{len(self.skipped)} files skipped"
        ]
        if self.redirects:
            lines.append(f"{self.redirects} article ids changed: their old links lead to the new ones")
        lines += [f"skipped {name}: {reason}" for name, reason in self.skipped]
        lines += self.missing_lines()
        return "\n".join(lines)

    def missing_lines(self) -> list[str]:
        if not self.files_missing:
            return []
        shown = self.files_missing[:MISSING_LISTED]
        more = len(self.files_missing) - len(shown)
        return [
            f"{len(self.files_missing)} files loaded before were not given; their articles are kept "
            "(give their folders again, or build with --prune to remove them):",
            *(f"  missing {name}" for name in shown),
            *([f"  … and {more} more"] if more else []),
        ]


MISSING_LISTED = 20  # missing files named one by one; a forgotten folder can hold thousands
SKIPPED_LISTED = 20  # skipped files named one by one when nothing at all could be loaded


@dataclass(frozen=True)
class BuildOptions:
    """How a build runs: ``prune`` removes the articles of files no longer given, ``dry_run``
    writes nothing and tells what would change, ``progress`` is told how far it got, and files
    over ``max_file_size`` bytes are skipped with their reason."""

    prune: bool = False
    dry_run: bool = False
    progress: Progress | None = None
    max_file_size: int = MAX_FILE_SIZE


@dataclass(frozen=True)
class FileState:
    """What the database knows of an input file from the last build."""

    sha256: str
    size: int
    mtime_ns: int
    reason: str | None  # why it was skipped, if it was


def stored_files(db_path: Path) -> dict[str, FileState]:
    """The files the existing database was built from; empty when there is none yet."""
    rows = read_rows(db_path, "select path, sha256, bytes, mtime_ns, reason from files")
    return {path: FileState(sha, size, mtime or 0, reason) for path, sha, size, mtime, reason in rows}


def recorded_inputs(db_path: Path) -> list[Path]:
    """The files and folders earlier builds of ``db_path`` were given."""
    return [db_path.parent / path for path, in read_rows(db_path, "select path from build_inputs order by path")]


def build(
    db_path: str | Path,
    inputs: Iterable[str | Path] = (),
    options: BuildOptions | None = None,
    **settings,
) -> BuildReport:
    """Bring ``db_path`` up to date with the article files under ``inputs`` (by default, the
    inputs earlier builds were given).

    New and changed files are (re)loaded; files no longer given keep their articles unless
    ``prune``. Nothing is written when nothing changed or with ``dry_run`` (the report then
    says what a build would do), and the database changes in one transaction. ``options`` (a
    ``BuildOptions``) says how; its fields may also be given by name: ``prune=True``.
    """
    options = replace(options or BuildOptions(), **settings)
    db_path = Path(db_path)
    prune, dry_run = options.prune, options.dry_run
    progress = options.progress or Progress()
    report = BuildReport()
    inputs = _inputs(db_path, list(inputs), report)
    try:
        sources = collect_sources(inputs, options.max_file_size)
    except (MissingInput, NameClash) as error:
        raise BuildError(str(error)) from None
    if not db_path.parent.exists():
        raise BuildError(f"no such folder for the database: {db_path.parent}")
    report.files_read = len(sources)
    if dry_run:
        plan = _plan(db_path, sources, prune, report)
        report.planned = planned_changes(db_path, plan.to_load, plan.previous, plan.removed)
        return report
    with build_lock(db_path):
        remove_stale_temporaries(db_path)
        plan = _plan(db_path, sources, prune, report)
        up_to_date = not plan.to_load and not plan.removed and plan.version == SCHEMA_VERSION
        if plan.previous and up_to_date and _recorded_as(db_path, inputs, prune):
            report.articles_total = read_value(db_path, "select count(*) from articles", 0)
            return report
        by_name = {source.name: source for source in sources}
        # Closed however the block ends, so that its worker processes are stopped here, by this
        # thread, and not by the interpreter on its way out (a second traceback after the error).
        with contextlib.closing(_load_in_parallel(plan.to_load, plan.previous, progress)) as loaded:
            try:
                with open_target(db_path) as db:
                    ensure_schema(db)
                    _rename_files(db, plan.renames)
                    _apply_changes(db, _Changes(loaded, plan.removed, plan.previous, by_name), report, progress)
                    _record_inputs(db, db_path, inputs, prune)
                    report.articles_total = db["articles"].count
                    if report.articles_total == 0:
                        raise BuildError(nothing_loaded(inputs, report))
            finally:
                progress.finish()
    return report


def nothing_loaded(inputs: list[Path], report: BuildReport) -> str:
    """Why a build found no article at all: the files it skipped, each with its reason."""
    message = "nothing could be loaded: no articles found in " + ", ".join(map(str, inputs))
    if not report.skipped:
        return message + " (no article files in them)" if not report.files_read else message
    shown = report.skipped[:SKIPPED_LISTED]
    more = len(report.skipped) - len(shown)
    lines = [f"{message}; {len(report.skipped)} files skipped:"]
    lines += [f"  skipped {name}: {reason}" for name, reason in shown]
    return "\n".join(lines + ([f"  … and {more} more"] if more else []))


@dataclass
class _Plan:
    version: int  # the schema version the database was built with (0: no database yet)
    previous: dict[str, FileState]  # what the database knows of each file, by its current name
    renames: dict[str, str]  # names an older build gave files, to their names now
    to_load: list[Source]  # new files, and files whose size or time changed
    removed: set[str]  # files whose articles go


def _plan(db_path: Path, sources: list[Source], prune: bool, report: BuildReport) -> _Plan:
    version = read_value(db_path, "pragma user_version", 0)
    previous = stored_files(db_path)
    renames = legacy_names(previous, sources) if previous and version < FOLDER_NAMES_FROM else {}
    previous = {renames.get(name, name): state for name, state in previous.items()}
    if previous and version < REREAD_BELOW:
        previous = {name: replace(state, sha256="", size=-1) for name, state in previous.items()}
    to_load = _changed_sources(sources, previous, report)
    missing = sorted(set(previous) - {source.name for source in sources})
    report.files_removed = len(missing) if prune else 0
    report.files_missing = [] if prune else missing
    return _Plan(version, previous, renames, to_load, set(missing) if prune else set())


def _inputs(db_path: Path, given: list, report: BuildReport) -> list[Path]:
    """The inputs given, or else those recorded by earlier builds that still exist."""
    if given:
        report.inputs = [str(path) for path in given]
        return [Path(path) for path in given]
    recorded = recorded_inputs(db_path)
    if not recorded:
        raise BuildError(f"no files or folders given, and {db_path} records none from an earlier build")
    found = [path for path in recorded if path.exists()]
    report.warnings += [(str(path), "recorded by an earlier build, no longer there: its files are kept")
                        for path in recorded if not path.exists()]
    report.inputs = [str(path) for path in found]
    return found


def _changed_sources(sources: list[Source], previous: dict[str, FileState], report: BuildReport) -> list[Source]:
    to_load = []
    for source in sources:
        state = previous.get(source.name)
        # A file skipped for its size is looked at again: the limit may have changed.
        if state and _same_stat(source.path, state) and not is_size_skip(state.reason):
            report.files_unchanged += 1
            if state.reason:
                report.skipped.append((source.name, state.reason))
        else:
            to_load.append(source)
    return to_load


def legacy_names(previous: dict[str, FileState], sources: list[Source]) -> dict[str, str]:
    """Names an older build gave files (relative to their folder, without the folder's own
    name) mapped to the names they have now, where exactly one input file fits."""
    current = {source.name for source in sources}
    by_rest = collections.defaultdict(list)
    for name in current:
        folder, _, rest = name.partition("/")
        if rest:
            by_rest[rest].append(name)
    return {old: by_rest[old][0] for old in previous if old not in current and len(by_rest[old]) == 1}


def _rename_files(db: sqlite_utils.Database, renames: dict[str, str]) -> None:
    for old, new in renames.items():
        db.execute("update files set path = ? where path = ?", [new, old])
        db.execute("update article_sources set source_file = ? where source_file = ?", [new, old])
        db.execute("update articles set source_file = ? where source_file = ?", [new, old])


def _input_names(db_path: Path, inputs: list[Path]) -> list[str]:
    """Inputs as recorded: relative to the database's folder, so both can move together."""
    base = db_path.parent.resolve()
    return sorted({os.path.relpath(Path(path).resolve(), base) for path in inputs})


def _recorded_as(db_path: Path, inputs: list[Path], prune: bool) -> bool:
    """Whether the database already records these inputs, as this build would leave them."""
    recorded = {os.path.relpath(path.resolve(), db_path.parent.resolve()) for path in recorded_inputs(db_path)}
    wanted = set(_input_names(db_path, inputs))
    return recorded == wanted if prune else wanted <= recorded


def _record_inputs(db: sqlite_utils.Database, db_path: Path, inputs: list[Path], prune: bool) -> None:
    if prune:
        db.execute("delete from build_inputs")
    now = _now()
    db["build_inputs"].insert_all(({"path": name, "last_given": now} for name in _input_names(db_path, inputs)),
                                  pk="path", replace=True)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _same_stat(path: Path, state: FileState) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return stat.st_size == state.size and stat.st_mtime_ns == state.mtime_ns


def _load_in_parallel(sources: list[Source], previous: dict[str, FileState], progress: Progress) -> Iterator[LoadedFile]:
    """Loaded files in input order, read by worker processes when there are many; at most a
    few batches are in flight, so memory stays flat whatever the size of the corpus."""
    first_seen = _now()
    jobs = [(source, first_seen, previous[source.name].sha256 if source.name in previous else None) for source in sources]
    batches = [jobs[i:i + BATCH_FILES] for i in range(0, len(jobs), BATCH_FILES)]
    workers = os.cpu_count() or 1
    progress.phase("Reading files", len(jobs))
    if len(jobs) < PARALLEL_FROM or workers < 2:
        results = (load_files(batch) for batch in batches)
    else:
        results = _bounded_map(load_files, batches, workers)
    with contextlib.closing(results):
        for batch in results:
            for loaded in batch:
                progress.advance()
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
        except concurrent.futures.BrokenExecutor:
            raise BuildError("a worker process reading the files died (out of memory, or killed): "
                             "nothing was changed") from None
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


@dataclass
class _Changes:
    """What a build brings: files loaded, names removed, and what was known before."""

    loaded: Iterator[LoadedFile]
    removed: set[str]
    previous: dict[str, FileState]
    sources: dict[str, Source]  # every input file this build was given, by name


def _apply_changes(db, changes: _Changes, report: BuildReport, progress: Progress) -> None:
    stored = dict(db.execute("select id, content_hash from articles").fetchall())
    before = set(stored)
    first_build = not stored  # index each table once, after loading, rather than row by row
    writer = _Writer(db, stored)
    with full_text_deferred(db, first_build):
        with indexes_deferred(db, first_build):
            for name in changes.removed:
                _forget_file(db, name)
            loaded_names = _write_files(db, changes.loaded, changes.previous, report, writer)
            # An article whose text changed may also be held, in its old wording, by files that
            # did not change: read those again, so each keeps what it says.
            writer.flush()
            holders = writer.other_holders(loaded_names)
            again = [changes.sources[name] for name in holders if name in changes.sources]
            if again:
                with contextlib.closing(_load_in_parallel(again, {}, Progress())) as reloaded:
                    _write_files(db, reloaded, {}, BuildReport(), writer)
                writer.flush()
            if first_build:
                progress.phase("Indexing")
        forget_articles(db)
        _credit_first_sources(db)
        report.redirects = _record_redirects(db, writer.moved)
        fill_missing_fingerprints(db)
        progress.phase("Merging people")
        people_changed = merge_corpus(db)
        progress.phase("Finding stories")
        build_stories(db, people_changed=people_changed)
        if first_build:
            progress.phase("Full-text indexes")
    after = {row[0] for row in db.execute("select id from articles")}
    report.articles_added = len(after - before)
    report.articles_removed = len(before - after)
    report.articles_changed = len(writer.replaced & after)


def _credit_first_sources(db) -> None:
    """Each article names its first source."""
    db.execute(
        """with first as (
             select article_id, source_file, position,
                    row_number() over (partition by article_id order by source_file, position) as n
             from article_sources)
           update articles set source_file = first.source_file, position = first.position from first
           where first.article_id = articles.id and first.n = 1
             and (articles.source_file is not first.source_file or articles.position is not first.position)"""
    )


def _record_redirects(db, moved: list[tuple[str, str]]) -> int:
    """Old ids of articles that now have another id lead to the new one; an id that is an
    article again leads nowhere else. Returns how many ids changed."""
    live = {row[0] for row in db.execute(
        "select id from articles where id in (select value from json_each(?))",
        [json.dumps([id for pair in moved for id in pair])],
    )}
    pairs = {old: new for old, new in moved if old not in live and new in live}
    since = _now()
    for old, new in pairs.items():
        db.execute("update article_redirects set new_id = ? where new_id = ?", [new, old])  # no chains
        db.execute("insert or replace into article_redirects (old_id, new_id, since) values (?, ?, ?)", [old, new, since])
    db.execute("delete from article_redirects where old_id in (select id from articles)")
    return len(pairs)


def _write_files(db, loaded: Iterator[LoadedFile], previous, report: BuildReport, writer: "_Writer") -> set[str]:
    """Forget changed files, and write what was loaded from new and changed ones; return the
    names of the files written."""
    written = set()
    for file in loaded:
        state = previous.get(file.name)
        if file.skipped is None and state and file.sha256 == state.sha256:
            report.files_unchanged += 1  # touched, not changed: remember the new time
            db.execute("update files set mtime_ns = ? where path = ?", [file.mtime_ns, file.name])
            if state.reason:
                report.skipped.append((file.name, state.reason))
            continue
        held = dict(db.execute("select position, article_id from article_sources where source_file = ?", [file.name]))
        _forget_file(db, file.name)
        report.warnings += [(file.name, warning) for warning in file.warnings]
        if file.skipped:
            report.skipped.append((file.name, file.skipped))
        writer.add(file, held)
        written.add(file.name)
    return written


class _Writer:
    """Places each loaded article under its id, and writes a few hundred at a time.

    ``stored`` maps every article id to its content hash. An article already stored as it is
    only gains a source; one whose text is stored under another id (the same article in
    another file) is that article; one whose id holds another text replaces it, keeping when
    it was first seen. ``moved`` collects (old id, new id) where a file's article changed id.
    """

    def __init__(self, db, stored: dict[str, str]):
        self.db, self.stored = db, stored
        self.by_hash = {content: id for id, content in stored.items()}
        self.replaced: set[str] = set()
        self.moved: list[tuple[str, str]] = []
        self.files: list[dict] = []
        self.sources: list[dict] = []
        self.articles: list[tuple[dict, object]] = []
        self.to_forget: list[str] = []

    def add(self, file: LoadedFile, held: dict[int, str]) -> None:
        self.files.append({
            "path": file.name, "sha256": file.sha256, "bytes": file.size, "mtime_ns": file.mtime_ns,
            "status": "skipped" if file.skipped else "loaded", "reason": file.skipped,
            "articles": len(file.articles), "warnings": json.dumps(file.warnings, ensure_ascii=False),
        })
        for row, extracted in file.articles:
            before = held.get(row["position"])
            article_id = self._place(file.name, row, extracted, before)
            self.sources.append({"source_file": file.name, "position": row["position"], "article_id": article_id})
            if before is not None and before != article_id:
                self.moved.append((before, article_id))
        if len(self.articles) >= WRITE_EVERY:
            self.flush()

    def _place(self, name: str, row: dict, extracted, before: str | None) -> str:
        """The id the article is stored under; ``before`` is the id its place in the file had."""
        content = row["content_hash"]
        if self.stored.get(row["id"]) == content:
            return row["id"]
        if content in self.by_hash:
            return self.by_hash[content]
        if row["id"] in self.stored and is_url_id(row) and self._held_elsewhere(row["id"], name):
            # another file's different article has this address: this one is known by its file
            rekey(row, extracted, fallback_id(name, row["position"]))
            if self.stored.get(row["id"]) == content:
                return row["id"]
        if row["id"] in self.stored:
            self.replaced.add(row["id"])
            self.to_forget.append(row["id"])
            self.by_hash.pop(self.stored[row["id"]], None)
        # A corrected article, or one whose id changed with its headline, was seen before.
        row["first_seen"] = self._first_seen(row["id"], before) or row["first_seen"]
        self.stored[row["id"]] = content
        self.by_hash[content] = row["id"]
        self.articles.append((row, extracted))
        return row["id"]

    def _first_seen(self, *ids: str | None) -> str | None:
        for article_id in ids:
            if article_id in self.stored:
                found = self.db.execute("select first_seen from articles where id = ?", [article_id]).fetchone()
                if found and found[0]:
                    return found[0]
        return None

    def _held_elsewhere(self, article_id: str, name: str) -> bool:
        return any(source["article_id"] == article_id and source["source_file"] != name for source in self.sources) or bool(
            self.db.execute("select 1 from article_sources where article_id = ? and source_file != ? limit 1",
                            [article_id, name]).fetchone()
        )

    def other_holders(self, written: set[str]) -> list[str]:
        """Files not written by this build that hold an article whose text was replaced."""
        rows = self.db.execute(
            "select distinct source_file from article_sources where article_id in (select value from json_each(?)) "
            "order by source_file",
            [json.dumps(sorted(self.replaced))],
        )
        return [name for name, in rows if name not in written]

    def flush(self) -> None:
        db = self.db
        if self.to_forget:
            forget_articles(db, self.to_forget)
            self.to_forget = []
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
