import shutil
import socket
import sqlite3
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private copy of the seed folder that a test may change."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> Path:
    """The seeds built once, for tests that only read."""
    from datasette_ukraine_briefs.build import build

    path = tmp_path_factory.mktemp("built") / "briefs.db"
    build(path, [SEEDS])
    return path


def query(path, sql, params=()) -> list[dict]:
    """Rows of a query on a built database, as dicts."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def free_port() -> int:
    """A loopback port nothing listens on, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
