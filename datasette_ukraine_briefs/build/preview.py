"""What a build would do, told without doing it (``briefs-build --dry-run``).

Files are read and split into articles exactly as a build would (``files.parse_file`` and
``files.article_ids``), but people and quotations are not extracted and nothing is written:
not the database, not its lock, not a temporary file.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Iterable

from ..text.decode import SkipFile
from .files import Source, article_ids, parse_file


def planned_changes(db_path: Path, to_load: Iterable[Source], previous: dict, removed: Iterable[str]) -> list[str]:
    """One line per file a build would add, change, skip or remove."""
    stored, held = _stored_articles(db_path)
    known_hashes = set(stored.values())
    lines = []
    for source in to_load:
        state = previous.get(source.name)
        if source.problem:
            lines.append(f"would skip {source.name}: {source.problem}")
            continue
        try:
            data = source.path.read_bytes()
        except OSError as error:
            lines.append(f"would skip {source.name}: cannot read: {error.strerror or error}")
            continue
        if state is not None and hashlib.sha256(data).hexdigest() == state.sha256:
            continue  # touched, not changed
        try:
            articles = parse_file(data, source.path.suffix).articles
        except SkipFile as skip:
            lines.append(f"would skip {source.name}: {skip}")
            continue
        new = list(zip(article_ids(source.name, articles), (article.content_hash for article in articles)))
        if state is None:
            lines.append(f"would add {source.name}: {_articles(len(new))}")
            continue
        added = sum(1 for id, content in new if id not in stored and content not in known_hashes)
        changed = sum(1 for id, content in new if id in stored and stored[id] != content)
        gone = len(set(held.get(source.name, ())) - {id for id, _ in new})
        lines.append(f"would change {source.name}: {added} articles added, {changed} changed, {gone} removed")
    for name in sorted(removed):
        lines.append(f"would remove {name} and its {_articles(len(held.get(name, ())))}")
    return lines


def _articles(count: int) -> str:
    return f"{count} article" + ("" if count == 1 else "s")


def _stored_articles(db_path: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Every stored article's content hash by id, and the article ids each file holds."""
    if not db_path.exists():
        return {}, {}
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        columns = {row[1] for row in conn.execute("pragma table_info(articles)")}
        if "content_hash" not in columns:  # a database from before content hashes: ids were hashes
            stored = {id: id for id, in conn.execute("select id from articles")}
        else:
            stored = dict(conn.execute("select id, content_hash from articles"))
        held: dict[str, list[str]] = {}
        for name, article_id in conn.execute("select source_file, article_id from article_sources"):
            held.setdefault(name, []).append(article_id)
        return stored, held
    except sqlite3.Error:
        return {}, {}
    finally:
        conn.close()
