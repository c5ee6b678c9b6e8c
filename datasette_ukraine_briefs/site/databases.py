"""Which attached databases are briefs databases, and whether a visitor may see them.

The plugin acts on any database holding the briefs tables, whatever its file name, and
leaves others alone. Permission checks go through Datasette so a table hidden from a visitor
stays hidden on the plugin's pages; the call differs between Datasette 0.65 and 1.0.
"""

from __future__ import annotations

from datasette.utils.asgi import Forbidden, NotFound

from ..tables import BRIEFS_TABLES

_known: dict[tuple[str, int], bool] = {}


async def is_briefs_database(datasette, name: str) -> bool:
    try:
        db = datasette.get_database(name)
    except KeyError:
        return False
    key = (name, id(db))
    if key not in _known:
        tables = set(await db.table_names())
        _known[key] = set(BRIEFS_TABLES) <= tables
    return _known[key]


async def briefs_database_names(datasette) -> list[str]:
    return [name for name in datasette.databases if await is_briefs_database(datasette, name)]


async def can_view_table(datasette, actor, database: str, table: str) -> bool:
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


async def open_briefs_database(datasette, request, name: str, tables: tuple[str, ...]):
    """The named briefs database, when it exists and the visitor may view these tables of it:
    otherwise 404 (no such briefs database) or 403."""
    if name not in datasette.databases or not await is_briefs_database(datasette, name):
        raise NotFound(f"No briefs database called {name}")
    for table in tables:
        if not await can_view_table(datasette, request.actor, name, table):
            raise Forbidden(f"You may not view {name}/{table}")
    return datasette.get_database(name)
