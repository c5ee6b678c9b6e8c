"""Links from Datasette's table pages to the rendered pages.

Article titles link to the article page, people's names and quotation speakers to the
person page, quotation text to the quotation in its article: only in briefs databases.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .databases import is_briefs_database
from .urls import BriefsUrls


def _value(row, column):
    """A column's value, also where Datasette expanded a foreign key to {value, label}."""
    value = row[column]
    return value.get("value") if isinstance(value, dict) else value


def _article(urls, row):
    return urls.article(_value(row, "id"))


def _person(urls, row):
    return urls.person(_value(row, "id"))


def _speaker(urls, row):
    person_id = _value(row, "person_id")
    return urls.person(person_id) if person_id else None


def _quote(urls, row):
    return urls.article(_value(row, "article_id")) + f"#q-{_value(row, 'id')}"


LINKED = {
    ("articles", "title"): _article,
    ("articles", "display_title"): _article,
    ("people", "name"): _person,
    ("quotes", "speaker"): _speaker,
    ("quotes", "text"): _quote,
}


def render_cell(row, value, column, table, database, datasette):
    link = LINKED.get((table, column))
    if link is None or not isinstance(value, str):
        return None

    async def linked_cell():
        if not await is_briefs_database(datasette, database):
            return None
        try:
            url = link(BriefsUrls(datasette, database), row)
        except (KeyError, IndexError):  # a query that did not select the id columns
            return None
        if url is None:
            return None
        return Markup(f'<a href="{escape(url)}">{escape(value)}</a>')

    return linked_cell
