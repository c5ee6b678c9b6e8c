"""datasette-ukraine-briefs: a Datasette plugin and loader for archives of news articles.

This module holds only Datasette hook implementations, each a few lines calling into the
package; they keep to the arguments Datasette 0.65 passes, so they work on 1.0 too.
"""

from datasette import hookimpl

from .site import canned, cells, feeds, pages, sql_functions
from .site.databases import briefs_database_names, can_view_table, is_briefs_database
from .site.urls import BriefsUrls


@hookimpl
def prepare_connection(conn):
    sql_functions.register(conn)


@hookimpl
def register_routes():
    return pages.ROUTES


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
            if await can_view_table(datasette, actor, name, "articles")
        ]

    return links


@hookimpl
def database_actions(datasette, actor, database, request):
    async def actions():
        if not await is_briefs_database(datasette, database):
            return []
        return [{"href": BriefsUrls(datasette, database).search(), "label": "Search articles, quotations and people"}]

    return actions


@hookimpl
def register_output_renderer(datasette):
    return {"extension": "atom", "render": feeds.render, "can_render": feeds.can_render}


@hookimpl
def canned_queries(datasette, database):
    """Datasette 0.65: the canned queries of every briefs database."""

    async def queries():
        return canned.QUERIES if await is_briefs_database(datasette, database) else {}

    return queries


@hookimpl
def startup(datasette):
    """Datasette 1.0 has no canned_queries hook: register the same queries as stored queries."""
    if not hasattr(datasette, "add_query"):
        return None

    async def register():
        for database in await briefs_database_names(datasette):
            for name, query in canned.QUERIES.items():
                await datasette.add_query(
                    database, name, query["sql"], title=query["title"], description=query["description"]
                )

    return register
