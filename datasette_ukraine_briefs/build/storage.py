"""Where a build writes, so that a served site follows it and nothing is ever half-written.

- A database that exists is brought up to date **in place, in one write transaction** in WAL
  mode. A Datasette serving the file goes on answering from the previous build while the
  transaction runs (WAL readers see the last commit) and from the new one the moment it
  commits, with no restart. A kill, a crash, Ctrl-C or a full disk roll the transaction back,
  so the previous build stands as it was; the file keeps its mode and owner, and a read-only
  file is refused rather than replaced.
- A database that does not exist yet is built in a temporary file beside it, without a journal
  (the fastest way to write a whole database), and moved into place only once complete.

A lock file beside the database keeps two builds of one target apart.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path
from typing import Iterator

import sqlite_utils

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, builds are not guarded against each other
    fcntl = None

# How long a build waits for a reader to let go before it switches the file to WAL or
# checkpoints it: Datasette's queries are cut off long before this.
BUSY_TIMEOUT_MS = 10_000
CACHE_KIB = 64_000  # SQLite's page cache for a build; the default 2 MB re-reads indexes constantly


class BuildError(Exception):
    """A build that cannot go ahead; the message is meant for the person running it."""


@contextlib.contextmanager
def open_target(db_path: Path) -> Iterator[sqlite_utils.Database]:
    """The database to build in, inside one transaction: committed (or moved into place) when
    the block completes, rolled back (or thrown away) when it raises."""
    opener = _in_place if db_path.exists() else _new_file
    with opener(db_path) as db:
        yield db


@contextlib.contextmanager
def _in_place(db_path: Path) -> Iterator[sqlite_utils.Database]:
    _refuse_read_only(db_path)
    db = sqlite_utils.Database(db_path)
    try:
        db.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS:d}")
        db.enable_wal()
        db.execute("pragma synchronous = normal")  # WAL stays consistent; only a power cut can undo the last commit
        db.execute(f"pragma cache_size = -{CACHE_KIB:d}")
        with db.atomic():
            yield db
        # Copy the new pages into the main file and empty the log, so the file alone is complete
        # for ``datasette publish``: it waits (busy_timeout) for readers still on the old build.
        db.execute("pragma wal_checkpoint(truncate)").fetchall()
    finally:
        db.close()


@contextlib.contextmanager
def _new_file(db_path: Path) -> Iterator[sqlite_utils.Database]:
    temp_path = db_path.with_name(f"{temp_prefix(db_path)}{os.getpid()}")
    try:
        db = sqlite_utils.Database(temp_path)
        try:
            # Thrown away on any failure, so it needs no journal. Temporary tables and sorts
            # stay in files (the default): in memory they would grow with the corpus.
            db.execute("pragma journal_mode = off")
            db.execute("pragma synchronous = off")
            db.execute(f"pragma cache_size = -{CACHE_KIB:d}")
            with db.atomic():
                yield db
        finally:
            db.close()
        with open(temp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp_path, db_path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp_path.unlink()


def _refuse_read_only(db_path: Path) -> None:
    """A file without write permission is one its owner asked to keep: say so, change nothing."""
    mode = stat.S_IMODE(db_path.stat().st_mode)
    if not mode & 0o222 or not os.access(db_path, os.W_OK):
        raise BuildError(f"{db_path} is read-only (mode {mode:o}): nothing was changed; make it writable to rebuild it")


def read_rows(db_path: Path, sql: str) -> list[tuple]:
    """Rows of a query on the existing database, read-only; none when there is no database
    yet or it cannot answer (a table an older version did not have)."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def read_value(db_path: Path, sql: str, default=None):
    """One value from the existing database, read-only; ``default`` when it cannot be read."""
    rows = read_rows(db_path, sql)
    return rows[0][0] if rows else default


def temp_prefix(db_path: Path) -> str:
    return f".{db_path.name}.building-"


def remove_stale_temporaries(db_path: Path) -> None:
    """A first build that was killed leaves its temporary file; holding the lock, it is ours to clear."""
    for stale in db_path.parent.glob(temp_prefix(db_path) + "*"):
        with contextlib.suppress(OSError):
            stale.unlink()


@contextlib.contextmanager
def build_lock(db_path: Path) -> Iterator[None]:
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
