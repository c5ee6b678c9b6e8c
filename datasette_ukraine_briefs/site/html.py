"""The plugin's own markup: quotation and mention links filled into an article's stored HTML,
quotation diffs and search snippets.

Article bodies are rendered and sanitized at build time (``text/render.py``); a page only fills
the placeholders the build left, in one pass, with markup made here from escaped values.
"""

from __future__ import annotations

import html
from typing import Callable

from ..text.render import Fill

# FTS5 snippet() marks matches with these: control characters no article text keeps.
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"


def render_diff(ops: list[dict], side: str) -> str:
    """One side of a quotation diff as HTML: ``a`` with its removed words in <del>, or ``b``
    with its added words in <ins>."""
    parts = []
    for op in ops:
        text = html.escape(op[side])
        if not text:
            continue
        if op["op"] == "equal":
            parts.append(text)
        else:
            parts.append(f"<del>{text}</del>" if side == "a" else f"<ins>{text}</ins>")
    return " ".join(parts)


def article_fill(quotes: list[dict], mentions: list[dict], person_url: Callable[[str], str]) -> Fill:
    """What an article's placeholders become: each quotation marked (as altered when it
    appears elsewhere in other words) with its speaker after it, linked to their page, or
    its unnamed source; each mention of a person a link to their page. A placeholder with no
    row (a span the visitor may not see) stays plain."""
    marks = {quote["start"]: quote for quote in quotes if not quote["in_headline"]}
    # an article names a few people many times: each person's link is built once
    links = {person_id: f'<a class="briefs-person" href="{html.escape(person_url(person_id))}">'
             for person_id in {mention["person_id"] for mention in mentions}}
    by_start = {mention["start"]: links[mention["person_id"]] for mention in mentions}
    return Fill(
        quote=lambda start: _quote_open(marks[start]) if start in marks else '<mark class="briefs-quote">',
        speaker=lambda start: _speaker_label(marks[start]) if start in marks else "",
        person=lambda start: by_start.get(start, "<a>"),  # not linked, or mentions not shown
    )


def _quote_open(quote: dict) -> str:
    altered = any(other["kind"] == "altered" for other in quote.get("elsewhere", []))
    css = "briefs-quote briefs-altered" if altered else "briefs-quote"
    title = ' title="Appears elsewhere in other words"' if altered else ""
    return f'<mark class="{css}" id="q-{html.escape(quote["id"])}"{title}>'


def _speaker_label(quote: dict) -> str:
    """A quotation's speaker after it: their name linked to their page, or the unnamed source;
    a speaker the finder inferred carries its check label (``speaker_check``) in words."""
    if quote["person_url"]:
        check = check_mark(quote.get("speaker_check"))
        css = "briefs-speaker briefs-inferred" if check else "briefs-speaker"
        return (f'<sup class="{css}"><a href="{html.escape(quote["person_url"])}">'
                f'{html.escape(quote["speaker"])}</a>{check}</sup>')
    if quote["speaker_descr"]:
        return f'<sup class="briefs-speaker briefs-unnamed">{html.escape(quote["speaker_descr"])}</sup>'
    return ""


def check_mark(label: str | None) -> str:
    """The words beside an inferred speaker: "inferred" shown, the whole label as its title and
    for screen readers; empty when the speaker was stated beside the quotation."""
    if not label:
        return ""
    escaped = html.escape(label)
    return (f' <span class="briefs-check" title="{escaped}">inferred'
            f'<span class="briefs-visually-hidden">: {escaped}</span></span>')


def snippet_html(snippet: str) -> str:
    """Escape an FTS5 snippet first, then mark the matches, so the text can never inject markup."""
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(SNIPPET_OPEN, "<mark>").replace(SNIPPET_CLOSE, "</mark>")
