"""Canned queries that answer the questions users ask of an archive, for every briefs database.

Datasette 0.65 takes them from the ``canned_queries`` hook; 1.0 ignores that hook (and
``queries`` in metadata) and takes them through ``datasette.add_query()`` at startup. Every
value is a bound parameter. Queries with ``atom_*`` columns are also Atom feeds (``.atom``);
their ``atom_link`` is relative to the database's briefs pages (``article/<id>``).

A person is given by id, name or part of a name (``site/matching.py``). The feeds' length is
the site owner's ``feed_length`` setting, read through the magic parameter
``:_briefs_feed_length`` (a bound parameter no visitor can set).

Each query names the ``tables`` it reads (a test holds them to what SQLite reads); a visitor is
offered a query only when they may view every one of them. On 0.65 the ``canned_queries``
hook denies the others (``queries_for``); on 1.0 the ``permission_resources_sql`` hook
denies ``view-query`` on them (``denied_queries_sql``), so no page, ``.json``, ``.csv`` or
``.atom`` of a query serves a table's rows to a visitor who may not view that table.
"""

from __future__ import annotations

from .config import settings_for
from .databases import briefs_database_names, visible_tables
from .matching import people_matching

# Settings the queries read as :_briefs_<name>.
MAGIC = ("feed_length",)

QUERIES = {
    "quotes_by_person": {
        "tables": ("quotes", "people", "articles"),
        "title": "Every quotation by a person",
        "description": "Give a person's id, name or part of it (keir-starmer, Malcolm Chalmers, Chalmers), newest first.",
        "sql": """select q.text, q.speaker, q.verb, q.context, a.display_title as article, a.outlet, a.published,
       q.article_id, q.id as quote_id
from quotes q join people p on p.id = q.person_id join articles a on a.id = q.article_id
where p.id in (""" + people_matching(":person") + """)
order by a.published is null, a.published desc, a.source_file, a.position, q.start""",
    },
    "who_said": {
        "tables": ("quotes", "quotes_fts", "articles"),
        "title": "Who said what about a word or phrase",
        "description": "Quotations containing a word or phrase, with their speakers, best match first.",
        "sql": """select q.text, coalesce(q.speaker, q.speaker_descr) as speaker, a.display_title as article, a.outlet,
       a.published, q.article_id, q.id as quote_id
from quotes_fts join quotes q on q.rowid = quotes_fts.rowid join articles a on a.id = q.article_id
where quotes_fts match escape_fts(:phrase)
order by bm25(quotes_fts) limit 200""",
    },
    "articles_with_two_people": {
        "tables": ("articles", "article_people", "people"),
        "title": "Articles that mention two people",
        "description": "Give two people's ids, names or parts of names.",
        "sql": """select a.id, a.display_title as title, a.outlet, a.published, x.mentions as mentions_first,
       y.mentions as mentions_second
from articles a
join article_people x on x.article_id = a.id join people px on px.id = x.person_id
join article_people y on y.article_id = a.id join people py on py.id = y.person_id
where px.id in (""" + people_matching(":first") + """)
  and py.id in (""" + people_matching(":second") + """)
order by a.published is null, a.published desc, a.source_file, a.position""",
    },
    "altered_quotations": {
        "tables": ("quote_pairs", "quotes", "articles", "people"),
        "title": "Altered quotations",
        "description": "The same statement by the same speaker printed in different words. Leave the speaker empty for all.",
        "sql": """select p.name as speaker, qa.text as first_version, qb.text as second_version, qp.similarity,
       qp.removed, qp.added, aa.outlet as first_outlet, ab.outlet as second_outlet,
       aa.display_title as first_article, ab.display_title as second_article, qp.story_id
from quote_pairs qp
join quotes qa on qa.id = qp.quote_a join quotes qb on qb.id = qp.quote_b
join articles aa on aa.id = qa.article_id join articles ab on ab.id = qb.article_id
join people p on p.id = qp.person_id
where qp.kind = 'altered' and (:speaker = '' or p.id in (""" + people_matching(":speaker") + """))
order by p.name, qp.similarity""",
    },
    "coverage_by_outlet_month": {
        "tables": ("articles",),
        "title": "Coverage by outlet and month",
        "description": "Articles per outlet per month of publication (undated articles as 'undated').",
        "sql": """select coalesce(outlet, 'unknown') as outlet, coalesce(substr(published, 1, 7), 'undated') as month,
       count(*) as articles, count(distinct story_id) as stories
from articles group by 1, 2 order by month desc, articles desc""",
    },
    "most_quoted_people": {
        "tables": ("people",),
        "title": "The most quoted people",
        "description": "People with at least one quotation, by number of quotations attributed to them.",
        "sql": """select id, name, role, quote_count, article_count from people
where quote_count > 0 order by quote_count desc, article_count desc, name limit 100""",
    },
    "newest_articles": {
        "tables": ("articles", "article_html"),
        "title": "Newest articles (Atom feed: add .atom)",
        "description": "The latest articles, newest first; subscribe to this query with .atom.",
        # the newest rows first, then their stored HTML: nothing is read for the others
        "sql": """with newest as (
  select rowid as article, id, display_title, published, first_seen, outlet from articles
  order by published is null, published desc, first_seen desc limit :_briefs_feed_length
)
select n.id as atom_id, n.display_title as atom_title,
       coalesce(n.published || 'T00:00:00Z', n.first_seen) as atom_updated,
       h.html as atom_content_html, n.outlet as atom_author_name,
       'article/' || n.id as atom_link,
       n.outlet, n.published
from newest n left join article_html h on h.article = n.article
order by n.published is null, n.published desc, n.first_seen desc""",
    },
    "person_feed": {
        "tables": ("quotes", "people", "articles"),
        "title": "Newest quotations by a person (Atom feed: add .atom)",
        "description": "Give a person's id, name or part of it; subscribe with .atom to follow what they say.",
        "sql": """select q.id as atom_id, p.name || ': “' || substr(q.text, 1, 80) || '”' as atom_title,
       coalesce(a.published || 'T00:00:00Z', a.first_seen) as atom_updated,
       coalesce(q.context, q.text) || char(10) || char(10) || '— ' || a.display_title
         || coalesce(' (' || a.outlet || ')', '') as atom_content,
       p.name as atom_author_name,
       'article/' || a.id || '#q-' || q.id as atom_link
from quotes q join people p on p.id = q.person_id join articles a on a.id = q.article_id
where p.id in (""" + people_matching(":person") + """)
order by a.published is null, a.published desc, a.first_seen desc limit :_briefs_feed_length""",
    },
}


# Every table some query reads.
TABLES_READ = tuple(sorted({table for query in QUERIES.values() for table in query["tables"]}))
# The reason Datasette 1.0 gives (in /-/permissions) for a query denied this way.
DENIED_REASON = "datasette-ukraine-briefs: the actor may not view a table the query reads"


def _as_canned(query: dict) -> dict:
    """A query as Datasette takes it: without the plugin's own ``tables`` key."""
    return {key: value for key, value in query.items() if key != "tables"}


async def queries_for(datasette, database: str, actor) -> dict:
    """Datasette 0.65: the queries of a database, those reading a table this actor may not view
    with ``allow: false`` (denied to them, and off the database page). Left out instead, they
    would break 0.65's check of whether the query is private, which asks without the actor."""
    visible = await visible_tables(datasette, actor, database, TABLES_READ)
    return {name: _as_canned(query) if visible.issuperset(query["tables"]) else {**_as_canned(query), "allow": False}
            for name, query in QUERIES.items()}


async def denied_queries(datasette, actor) -> list[tuple[str, str]]:
    """(database, query) of every stored query this actor may not run."""
    denied = []
    for database in await briefs_database_names(datasette):
        visible = await visible_tables(datasette, actor, database, TABLES_READ)
        denied += [(database, name) for name, query in QUERIES.items() if not visible.issuperset(query["tables"])]
    return denied


async def denied_queries_sql(datasette, actor):
    """Datasette 1.0: a deny rule on ``view-query`` for each query reading a table the actor
    may not view (a deny on the query itself outranks any allow above it), or None."""
    from datasette.permissions import PermissionSQL

    denied = await denied_queries(datasette, actor)
    if not denied:
        return None
    params = {"briefs_denied_reason": DENIED_REASON}
    rows = []
    for i, (database, name) in enumerate(denied):
        params[f"briefs_db_{i}"], params[f"briefs_query_{i}"] = database, name
        rows.append(f"select :briefs_db_{i} as parent, :briefs_query_{i} as child, 0 as allow,"
                    " :briefs_denied_reason as reason")
    return PermissionSQL(sql="\nunion all\n".join(rows), params=params)


def magic_parameter(datasette):
    """``:_briefs_<setting>`` in a query: the site owner's setting (KeyError for any other)."""

    def value(key, request):
        if key not in MAGIC:
            raise KeyError(key)
        return getattr(settings_for(datasette), key)

    return value


async def register_stored_queries(datasette) -> None:
    """Datasette 1.0: the same queries as stored queries of every briefs database served."""
    for database in await briefs_database_names(datasette):
        for name, query in QUERIES.items():
            await datasette.add_query(database, name, query["sql"], title=query["title"], description=query["description"])
