"""Route handlers for the rendered pages and their JSON twins.

Each handler resolves the database (404 if it is not a briefs database, 403 if the visitor
may not view it or a table the page requires), reads its data through ``queries`` and answers
with the template, or the same data as JSON for ``.json`` or ``?_format=json``.

What each page reads, for a visitor who may view the database (``allow`` on tables):

    page        requires (else 403)                      a section left out when denied
    /           any one of articles, quotes, people       -
    search      any one of articles, quotes, people       the results of each kind denied, and
                                                          on the landing, the most quoted
                                                          (people) or newest (articles)
    article     articles, quotes, people                  article_html (read as rendered by the
                                                          build, else rendered from the text),
                                                          mentions (links in the text),
                                                          article_people (its people),
                                                          quote_pairs (printed elsewhere),
                                                          stories + article_pairs (other coverage),
                                                          article_redirects (an old id's redirect)
    person      people, quotes, articles                  article_people (its articles and the
                                                          mentions timeline), people_alongside
    story       stories, articles, quotes                 article_html (as for article),
                                                          article_pairs (how alike), quote_pairs
                                                          + people (the quotations compared)
    altered     quote_pairs, quotes, articles, people     -

A page requires what it is about; a table that only adds a section leaves the rest of the page
to a visitor who may not view it. Canned queries and feeds: ``site/canned.py``.
"""

from __future__ import annotations

import functools
import re
import sqlite3

from datasette.database import QueryInterrupted
from datasette.utils import tilde_decode
from datasette.utils.asgi import BadRequest, Forbidden, NotFound, Response

from . import queries
from . import search as searching
from .config import settings_for
from .databases import can_view_database, open_briefs_database, visible_tables
from .paging import NEXT, offset_of
from .queries import interrupted
from .urls import BriefsUrls

MAX_QUERY_LENGTH = 500
_DB = r"(?P<database>[^/]+)"
_FORMAT = r"(?:\.(?P<format>json))?"


def _wants_json(request) -> bool:
    fmt = request.url_vars.get("format") or request.args.get("_format")
    if fmt not in (None, "", "json", "html"):
        raise BadRequest(f"Unknown format: {fmt}")
    return fmt == "json"


def _paging_format(request) -> str | None:
    """Where next and previous links lead: to the JSON twin from JSON, as Datasette's do."""
    return "json" if request.url_vars.get("format") == "json" else None


async def _respond(datasette, request, template: str, data: dict) -> Response:
    if _wants_json(request):
        return Response.json(data, default=str)
    return Response.html(await datasette.render_template(template, data, request=request))


def _decode(value: str) -> str:
    try:
        return tilde_decode(value)
    except Exception:
        raise BadRequest("Malformed path")


def _detail_page(fetch, template: str, tables: tuple[str, ...], optional: tuple[str, ...], missing: str,
                 setting: str | None = None, moved=None):
    """A page about one row (an article, a person): 404 when the id is unknown, or a redirect
    when ``moved`` knows where the row is now. It requires ``tables``; the sections reading
    ``optional`` ones are left out for a visitor who may not view them. ``setting`` names the
    site setting passed on as the length of the page's lists."""

    async def view(datasette, request):
        database = _decode(request.url_vars["database"])
        db = await open_briefs_database(datasette, request, database, tables)
        visible = frozenset(tables) | await visible_tables(datasette, request.actor, database, optional)
        row_id = _decode(request.url_vars["id"])
        extra = (getattr(settings_for(datasette), setting),) if setting else ()
        urls = BriefsUrls(datasette, database)
        data = await fetch(db, urls, row_id, *extra, visible=visible)
        if data is None:
            where = await moved(db, urls, row_id, "json" if _wants_json(request) else None, visible) if moved else None
            if where is None:
                raise NotFound(missing)
            # 302, not 301: an id can come back (a headline corrected back), and a cached
            # permanent redirect would then loop
            return Response.redirect(where)
        return await _respond(datasette, request, template, data)

    return view


async def _article_moved(db, urls: BriefsUrls, article_id: str, fmt: str | None, visible: frozenset[str]) -> str | None:
    """Where an article that had this id before is now (not told without article_redirects)."""
    now = await queries.article_moved_to(db, article_id) if "article_redirects" in visible else None
    return urls.article(now, fmt) if now else None


article = _detail_page(queries.article_page, "briefs_article.html", ("articles", "quotes", "people"),
                       ("article_html", "mentions", "article_people", "quote_pairs", "stories", "article_pairs",
                        "article_redirects"),
                       "No such article",
                       moved=_article_moved)
person = _detail_page(queries.person_page, "briefs_person.html", ("people", "quotes", "articles"),
                      ("article_people", "people_alongside"), "No such person", "person_list_size")
story = _detail_page(queries.story_page, "briefs_story.html", ("stories", "articles", "quotes"),
                     ("article_html", "article_pairs", "quote_pairs", "people"), "No such story")


async def altered(datasette, request):
    database = _decode(request.url_vars["database"])
    db = await open_briefs_database(datasette, request, database, ("quote_pairs", "quotes", "articles", "people"))
    speaker, outlet = (request.args.get("speaker") or "").strip() or None, request.args.get("outlet") or None
    if any(value and len(value) > MAX_QUERY_LENGTH for value in (speaker, outlet)):
        raise BadRequest("Filter value too long")
    settings = settings_for(datasette)
    offset = offset_of(request.args.get(NEXT), settings.max_offset)
    data = await queries.altered_page(db, BriefsUrls(datasette, database), speaker, outlet,
                                      settings.altered_page_size, offset, settings.max_offset, _paging_format(request))
    return await _respond(datasette, request, "briefs_altered.html", data)


async def search(datasette, request):
    database = _decode(request.url_vars["database"])
    db = await open_briefs_database(datasette, request, database, ())
    kinds = await _open_kinds(datasette, request.actor, database)
    q = request.args.get("q") or ""
    if len(q) > MAX_QUERY_LENGTH:
        raise BadRequest(f"Search text is limited to {MAX_QUERY_LENGTH} characters")
    kind = request.args.get("kind") or None
    if kind is not None and kind not in kinds:
        raise BadRequest(f"kind is one of {', '.join(kinds)}")
    settings = settings_for(datasette)
    offset = offset_of(request.args.get(NEXT), settings.max_offset)
    urls = BriefsUrls(datasette, database)
    data = await searching.search_page(db, urls, q, kinds, settings.search_page_size, offset, settings.max_offset, kind,
                                       _paging_format(request))
    if not data["q"]:
        data.update(await searching.landing(db, urls, kinds, settings.most_quoted, settings.latest_articles))
    return await _respond(datasette, request, "briefs_search.html", data)


async def _visible_kinds(datasette, actor, database: str) -> tuple[str, ...]:
    """The kinds of search result this visitor may see, in the page's order."""
    visible = await visible_tables(datasette, actor, database, searching.SEARCHES)
    return tuple(kind for kind in searching.SEARCHES if kind in visible)


async def _open_kinds(datasette, actor, database: str) -> tuple[str, ...]:
    """The kinds this visitor may see; 403 when there are none."""
    kinds = await _visible_kinds(datasette, actor, database)
    if not kinds:
        raise Forbidden(f"You may not view the articles, quotations, people or stories of {database}")
    return kinds


async def search_is_open(datasette, actor, database: str) -> bool:
    """Whether this visitor may see the search page of a briefs database (for links to it)."""
    if not await can_view_database(datasette, actor, database):
        return False
    return bool(await _visible_kinds(datasette, actor, database))


async def database_home(datasette, request):
    database = _decode(request.url_vars["database"])
    await open_briefs_database(datasette, request, database, ())
    await _open_kinds(datasette, request.actor, database)
    return Response.redirect(BriefsUrls(datasette, database).search())


def routes(datasette) -> list:
    """The plugin's routes, under the prefix the site's settings give."""
    prefix = re.escape(settings_for(datasette).url_prefix)
    return [(f"^{prefix}{pattern}", _within_time_limit(view)) for pattern, view in ROUTES]


def _within_time_limit(view):
    """A page whose reading outlives Datasette's SQL time limit answers 400 and says so, as
    Datasette's own pages do, rather than failing."""

    @functools.wraps(view)
    async def guarded(datasette, request):
        try:
            return await view(datasette, request)
        except (QueryInterrupted, sqlite3.OperationalError) as error:
            if not interrupted(error):
                raise
            limit = datasette.setting("sql_time_limit_ms")
            raise BadRequest(f"This page took longer than the time limit ({limit} ms, the sql_time_limit_ms "
                             "setting) to read: try a narrower filter, or ask the site's owner to raise it")

    return guarded


# Each page's path under the prefix.
ROUTES = [
    (rf"/{_DB}/?$", database_home),
    (rf"/{_DB}/search{_FORMAT}$", search),
    (rf"/{_DB}/article/(?P<id>[^/]+?){_FORMAT}$", article),
    (rf"/{_DB}/person/(?P<id>[^/]+?){_FORMAT}$", person),
    (rf"/{_DB}/story/(?P<id>[^/]+?){_FORMAT}$", story),
    (rf"/{_DB}/altered{_FORMAT}$", altered),
]
