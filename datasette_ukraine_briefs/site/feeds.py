"""An Atom output renderer, so a reader can subscribe to new articles or to a person.

It follows datasette-atom's convention: any table or query whose columns include
``atom_id``, ``atom_title`` and ``atom_updated`` can be read as ``.atom``; optional
``atom_content`` (text), ``atom_content_html`` (HTML, sanitized again here: a query may select
anything), ``atom_link`` and
``atom_author_name`` fill in the entries. A relative ``atom_link`` (``article/<id>``) points
into the database's briefs pages.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree import ElementTree as ET

from datasette.utils.asgi import Response

from ..text.render import unmarked
from .canned import QUERIES
from .urls import BriefsUrls

ATOM = "http://www.w3.org/2005/Atom"
REQUIRED = {"atom_id", "atom_title", "atom_updated"}
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def can_render(columns) -> bool:
    return REQUIRED <= set(columns)


async def render(datasette, request, columns, rows, database, table, query_name):
    if not can_render(columns):
        return Response.text("An Atom feed needs atom_id, atom_title and atom_updated columns", status=400)
    self_url = datasette.absolute_url(request, request.path)
    page_url = re.sub(r"\.atom$", "", self_url)
    title = QUERIES.get(query_name, {}).get("title") or query_name or table or database
    entries = [dict(zip(columns, row)) for row in rows]
    base = BriefsUrls(datasette, database).base + "/"
    links = [_entry_link(datasette, request, base, item.get("atom_link")) for item in entries]
    head = _Head(title, self_url, page_url, page_url + ("?" + request.query_string if request.query_string else ""), database)
    # sanitizing every entry's HTML is real work: off the event loop
    body = await asyncio.to_thread(_feed_xml, head, entries, links)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body, content_type="application/atom+xml; charset=utf-8")


def _entry_link(datasette, request, base: str, link) -> str | None:
    """An entry's absolute link; a relative one points into the database's briefs pages."""
    if not link:
        return None
    link = str(link)
    if not re.match(r"^(https?:)?/", link):
        link = datasette.urls.path(base + link)
    return datasette.absolute_url(request, link)


@dataclass(frozen=True)
class _Head:
    """What the feed says of itself."""

    title: str
    self_url: str
    page_url: str
    feed_id: str
    database: str


def _feed_xml(head: _Head, entries: list[dict], links: list[str | None]) -> str:
    ET.register_namespace("", ATOM)
    database = head.database
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", head.title.replace(" (Atom feed: add .atom)", ""))
    _text(feed, "id", head.feed_id)
    ET.SubElement(feed, f"{{{ATOM}}}link", href=head.self_url, rel="self")
    ET.SubElement(feed, f"{{{ATOM}}}link", href=head.page_url, rel="alternate")
    _text(feed, "updated", max((_timestamp(e["atom_updated"]) for e in entries), default=_timestamp(None)))
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", database)
    for item, link in zip(entries, links):
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"urn:briefs:{quote(database, safe='')}:{quote(str(item['atom_id']), safe='')}")
        _text(entry, "title", str(item["atom_title"] or ""))
        _text(entry, "updated", _timestamp(item["atom_updated"]))
        if link:
            ET.SubElement(entry, f"{{{ATOM}}}link", href=link)
        if item.get("atom_author_name"):
            _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", str(item["atom_author_name"]))
        if item.get("atom_content_html"):
            _text(entry, "content", unmarked(str(item["atom_content_html"])), type="html")
        elif item.get("atom_content"):
            _text(entry, "content", str(item["atom_content"]), type="text")
    return ET.tostring(feed, encoding="unicode", xml_declaration=False)


def _text(parent, tag: str, text: str, **attributes) -> None:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", **attributes)
    element.text = _xml_safe(text)


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot carry most control characters, whatever an article held."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)


def _timestamp(value) -> str:
    """RFC 3339, as Atom wants it; a bare date is taken as midnight UTC."""
    text = str(value or "").strip()
    if _DATE_ONLY.match(text):
        return text + "T00:00:00Z"
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return "1970-01-01T00:00:00Z"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")
