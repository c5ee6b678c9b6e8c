"""datasette-ukraine-briefs: a Datasette plugin and loader for archives of news articles.

This module holds only Datasette hook implementations, each a few lines calling into the
package; they keep to the arguments Datasette 0.65 passes, so they work on 1.0 too.
"""

from datasette import hookimpl

from .site import browsing, canned, cells, feeds, pages, sql_functions
from .site.config import check
from .site.databases import briefs_database_names, is_briefs_database, per_request
from .site.urls import BriefsUrls


@hookimpl
def prepare_connection(conn):
    sql_functions.register(conn)


@hookimpl
def register_routes(datasette):
    return pages.routes(datasette)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    return cells.render_cell(row, value, column, table, database, datasette)


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.static_plugins("datasette-ukraine-briefs", "briefs.css")]


@hookimpl
def menu_links(datasette, actor, request):
    async def links():
        return [
            {"href": BriefsUrls(datasette, name).search(), "label": f"Search {name}"}
            for name in await briefs_database_names(datasette)
            if await pages.search_is_open(datasette, actor, name)
        ]

    return links


@hookimpl
def database_actions(datasette, actor, database, request):
    async def actions():
        if not await is_briefs_database(datasette, database):
            return []
        if not await pages.search_is_open(datasette, actor, database):
            return []
        return [{"href": BriefsUrls(datasette, database).search(), "label": "Search articles, quotations, people and stories"}]

    return actions


@hookimpl
def asgi_wrapper(datasette):
    return per_request


@hookimpl
def register_output_renderer(datasette):
    return {"extension": "atom", "render": feeds.render, "can_render": feeds.can_render}


@hookimpl
def canned_queries(datasette, database, actor):
    """Datasette 0.65: the canned queries of every briefs database this actor may run."""

    async def queries():
        if not await is_briefs_database(datasette, database):
            return {}
        return await canned.queries_for(datasette, database, actor)

    return queries


@hookimpl
async def permission_resources_sql(datasette, actor, action):
    """Datasette 1.0: the stored queries reading a table this actor may not view are denied.
    (A coroutine always: Datasette 1.0a41 pairs results with hook implementations by index.)"""
    return await canned.denied_queries_sql(datasette, actor) if action == "view-query" else None


@hookimpl
def get_metadata(datasette, key, database, table):
    """Datasette 0.65: table settings for every briefs database (1.0 gets them at startup)."""
    return browsing.plugin_metadata(datasette, key)


@hookimpl
def register_magic_parameters(datasette):
    return [("briefs", canned.magic_parameter(datasette))]


@hookimpl
def startup(datasette):
    """Check the settings (a bad one stops Datasette). Datasette 1.0 has no canned_queries or
    get_metadata hook: register the queries as stored queries and the table settings."""
    check(datasette)
    if not hasattr(datasette, "add_query"):
        return None

    async def register():
        await browsing.register_for_one_point_oh(datasette)
        await canned.register_stored_queries(datasette)

    return register
