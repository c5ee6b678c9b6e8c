"""Find quotations in a news article and who said them.

Rules over text, paragraph by paragraph:

1. quotation marks are paired by context (``people.quote_spans``), never past
   the end of a paragraph;
2. quotation interiors are masked so that names, verbs and full stops inside
   a quotation never take part in attribution (``quote_paragraphs``);
3. every reporting verb outside quotations ("said", "told", "according to",
   "X's remark") becomes an attribution event whose subject is a named
   person, a pronoun resolved to the person the text is about, or an unnamed
   source ("his spokesperson") (``attribution``, ``speaker_refs``);
4. each quotation takes the nearest event of its own sentence (after it when
   the quotation opens the sentence, before it otherwise), else the speaker of
   the previous quotation, else the person the text is about;
5. a source that is a named body ("The New York Post reports", "the Kremlin said",
   "according to the White House", "the Trump campaign said", "what it called")
   becomes a speaker of kind "organisation" (``Quote.speaker_kind``), named as
   written without a leading "the"; descriptions of people ("a minister",
   "officials", "the Indiana governor") keep speaker None and speaker_descr
   (``organisations``).

The patterns and word lists are in ``quote_patterns``; the record is ``quote_record.Quote``.
"""
from __future__ import annotations

import re

from .organisations import TextWords, organisation_name
from .people import Person, analyse
from .quote_paragraphs import Walk
from .quote_record import Quote
from .spans import quote_spans, split_paragraphs
from .speaker_refs import State

__all__ = ["Quote", "extract_quotes"]


def extract_quotes(title: str | None, body: str, people: list[Person] | None = None) -> list[Quote]:
    """Every quotation of an article, with its speaker (a Person.name) or an unnamed source."""
    return _extract(title or "", body or "", people)


def _extract(title: str, body: str, people: list[Person] | None) -> list[Quote]:
    found_people, spans, para_quotes = analyse(title or None, body)
    if people is None:
        people = found_people
    names = {p.name for p in people}
    spans = [s for s in spans if s[3] in names]
    missing = names - {s[3] for s in spans}
    if missing:
        spans.extend(_alias_spans(title, body, [p for p in people if p.name in missing]))
        spans.sort(key=lambda s: (s[2], s[0]))
    roles = {p.name: (p.role or "").lower() for p in people}
    body_mentions = [(s, e, n) for s, e, in_t, n in spans if not in_t]
    title_mentions = [(s, e, n) for s, e, in_t, n in spans if in_t]

    walk = Walk(body, State(roles, body, body_mentions), headline=False)
    mi = 0
    for pi, (ps, pe) in enumerate(split_paragraphs(body)):
        while mi < len(body_mentions) and body_mentions[mi][0] < ps:
            mi += 1
        mj = mi
        while mj < len(body_mentions) and body_mentions[mj][0] < pe:
            mj += 1
        if pe > ps:
            quotes = para_quotes.get((ps, pe))
            if quotes is None:
                quotes = quote_spans(body, ps, pe)
            walk.paragraph(pi, (ps, pe), quotes, body_mentions[mi:mj])
        mi = mj
    out = walk.out
    if title:
        out = _headline(title, title_mentions, roles) + out
    _organisations(out, body, found_people + people)
    return out


def _headline(title: str, title_mentions, roles: dict[str, str]) -> list[Quote]:
    """Quotations of the headline: its own walk; the first person it names speaks."""
    walk = Walk(title, State(roles), headline=True)
    walk.paragraph(0, (0, len(title)), quote_spans(title), title_mentions)
    first = title_mentions[0][2] if title_mentions else None
    lead = None  # "Jane Doe: Plan ‘Reeks of Fear’": the name before a colon speaks
    if title_mentions and title_mentions[0][0] == len(title) - len(title.lstrip()) and \
            title.startswith(":", title_mentions[0][1]):
        lead = first
    for q in walk.out:
        if lead and q.start > title_mentions[0][1]:
            q.speaker, q.speaker_descr, q.verb, q.speaker_how = lead, None, None, "headline"
        elif q.speaker is None and q.speaker_descr is None:
            q.speaker, q.speaker_how = first, "headline"
    return walk.out


def _organisations(out: list[Quote], body: str, people: list[Person]) -> None:
    """Speaker kinds: a person, or a source that names a body becomes an organisation (found
    "organisation" when it stood beside its verb). A quotation with no speaker has no how."""
    person_words = None
    words = TextWords(body)
    orgs: dict[str, str | None] = {}  # one look per description, however many quotations
    for q in out:
        if q.speaker:
            q.speaker_kind = "person"
        elif q.speaker_descr:
            org = orgs.get(q.speaker_descr, "")
            if org == "":
                org = orgs[q.speaker_descr] = organisation_name(q.speaker_descr, words)
            if org and person_words is None:  # words of the names of people, found or given
                person_words = {w for p in people for a in [p.name] + p.aliases
                                for w in a.split()}
            if org and org.split()[-1] not in person_words:
                q.speaker, q.speaker_kind = org, "organisation"
                if q.speaker_how == "verb":
                    q.speaker_how = "organisation"
        if not q.speaker:
            q.speaker_how = None


def _alias_spans(title: str, body: str, people: list[Person]):
    """Mention spans for people given by the caller but not found by analyse()."""
    forms = sorted({a for p in people for a in p.aliases + [p.name] if a}, key=len, reverse=True)
    if not forms:
        return []
    owner = {}
    for p in people:
        for a in p.aliases + [p.name]:
            owner.setdefault(a, p.name)
    rx = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b")
    res = []
    for in_t, text in ((True, title), (False, body)):
        for m in rx.finditer(text):
            res.append((m.start(), m.end(), in_t, owner[m.group()]))
    return res
