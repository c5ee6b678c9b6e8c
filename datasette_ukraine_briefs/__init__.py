"""datasette-ukraine-briefs: a Datasette plugin and loader for archives of news articles.

This module holds only Datasette hook implementations, each a few lines calling into the
package; they keep to the arguments Datasette 0.65 passes, so they work on 1.0 too.
"""

from datasette import hookimpl

from . import cells, pages, sql_functions
from .databases import briefs_database_names, is_briefs_database
from .urls import BriefsUrls


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
        ]

    return links


@hookimpl
def database_actions(datasette, actor, database, request):
    async def actions():
        if not await is_briefs_database(datasette, database):
            return []
        return [{"href": BriefsUrls(datasette, database).search(), "label": "Search articles, quotations and people"}]

    return actions
