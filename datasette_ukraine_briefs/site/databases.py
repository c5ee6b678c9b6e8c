"""Which attached databases are briefs databases, and whether a visitor may see them.

The plugin acts on any database holding the briefs tables, whatever its file name, and
leaves others alone; a site owner may narrow it to some of them (the ``databases`` setting).

Permission checks go through Datasette so a table hidden from a visitor stays hidden on the
plugin's pages; the call differs between Datasette 0.65 and 1.0. A database the visitor may
not view answers 403 on every plugin route, as Datasette's own page of it does; a page then
asks which of the tables it reads the visitor may view (``visible_tables``).
"""

from __future__ import annotations

import asyncio
import json
from contextvars import ContextVar

from datasette.utils.asgi import Forbidden, NotFound

from ..tables import BRIEFS_TABLES
from .config import settings_for

_known: dict[tuple[str, int], bool] = {}
TABLE_NAMES = "select name from sqlite_master where type = 'table'"


def _served(datasette, name: str) -> bool:
    chosen = settings_for(datasette).databases
    return chosen is None or name in chosen


def _has_briefs_tables(tables) -> bool:
    return set(BRIEFS_TABLES) <= set(tables)


async def is_briefs_database(datasette, name: str) -> bool:
    try:
        db = datasette.get_database(name)
    except KeyError:
        return False
    key = (name, id(db))
    if key not in _known:
        _known[key] = _has_briefs_tables(await db.table_names())
    return _known[key] and _served(datasette, name)


def briefs_database_names_now(datasette) -> list[str]:
    """The same answer without awaiting, for Datasette 0.65's synchronous metadata hook: from
    what is known, else (once per database) from its schema, read on this thread."""
    names = []
    for name, db in list(datasette.databases.items()):
        key = (name, id(db))
        if key not in _known and (db.is_memory or getattr(db, "memory_name", None)):
            continue  # closing the only other connection would drop a shared in-memory database
        if key not in _known:
            conn = db.connect()
            try:
                _known[key] = _has_briefs_tables(row[0] for row in conn.execute(TABLE_NAMES))
            except Exception:  # unreadable now: decided on the next async check
                continue
            finally:
                conn.close()
        if _known[key] and _served(datasette, name):
            names.append(name)
    return names


async def briefs_database_names(datasette) -> list[str]:
    return [name for name in datasette.databases if await is_briefs_database(datasette, name)]


# The answers given within one request: Datasette 0.65 asks the canned_queries hook a dozen
# times for one database page, and each asks about every table a query reads. A fresh dict
# per request (``per_request``, the plugin's asgi_wrapper); None outside a request.
_answers: ContextVar[dict | None] = ContextVar("briefs_permission_answers", default=None)


def per_request(app):
    """An ASGI app that keeps the permission answers of each request for that request alone."""

    async def wrapped(scope, receive, send):
        token = _answers.set({})
        try:
            await app(scope, receive, send)
        finally:
            _answers.reset(token)

    return wrapped


async def can_view_table(datasette, actor, database: str, table: str) -> bool:
    answers = _answers.get()
    key = (id(datasette), database, table, json.dumps(actor, sort_keys=True, default=str))
    if answers is None or key not in answers:
        allowed = await _can_view_table(datasette, actor, database, table)
        if answers is None:
            return allowed
        answers[key] = allowed
    return answers[key]


async def _can_view_table(datasette, actor, database: str, table: str) -> bool:
    if hasattr(datasette, "allowed"):  # Datasette 1.0
        from datasette.resources import TableResource

        return await datasette.allowed(action="view-table", resource=TableResource(database, table), actor=actor)
    try:  # check_visibility would also ask as an anonymous visitor, to tell "private": not needed here
        await datasette.ensure_permissions(
            actor, [("view-table", (database, table)), ("view-database", database), "view-instance"]
        )
    except Forbidden:
        return False
    return True


async def can_view_database(datasette, actor, database: str) -> bool:
    if hasattr(datasette, "allowed"):  # Datasette 1.0
        from datasette.resources import DatabaseResource

        return await datasette.allowed(action="view-database", resource=DatabaseResource(database), actor=actor)
    try:
        await datasette.ensure_permissions(actor, [("view-database", database), "view-instance"])
    except Forbidden:
        return False
    return True


async def visible_tables(datasette, actor, database: str, tables) -> frozenset[str]:
    """Those of ``tables`` the visitor may view; the checks wait on Datasette's database
    threads, so they run side by side."""
    tables = tuple(tables)
    allowed = await asyncio.gather(*(can_view_table(datasette, actor, database, table) for table in tables))
    return frozenset(table for table, ok in zip(tables, allowed) if ok)


async def open_briefs_database(datasette, request, name: str, tables: tuple[str, ...]):
    """The named briefs database, when it exists and the visitor may view it and these tables
    of it: otherwise 404 (no such briefs database) or 403."""
    if name not in datasette.databases or not await is_briefs_database(datasette, name):
        raise NotFound(f"No briefs database called {name}")
    if not await can_view_database(datasette, request.actor, name):
        raise Forbidden(f"You may not view {name}")
    for table in tables:
        if not await can_view_table(datasette, request.actor, name, table):
            raise Forbidden(f"You may not view {name}/{table}")
    return datasette.get_database(name)
