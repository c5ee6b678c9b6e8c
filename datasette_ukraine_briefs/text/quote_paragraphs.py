"""The walk over a text's paragraphs: sentences, attribution events and quotations.

Each paragraph (or the headline) is masked so that nothing inside a quotation takes part
in attribution, split into sentences, and read for reporting verbs (``attribution``); each
quotation takes the nearest event of its own sentence (after it when the quotation opens
the sentence, before it otherwise), a "― Name" byline, a transcript speaker ("PENCE:"),
else ``fallback``: the subject of its sentence, a pronoun, the speaker of the previous
quotation, or the person the text is about.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .attribution import Event, Paragraph, clause_subject, event, pick
from .quote_patterns import (
    ABBREV_END,
    DASH_BYLINE_RE,
    HEADLINE_SINGLE_RE,
    NEAR,
    NEXT_ATTR_RE,
    SENT_BOUND_RE,
    SPEAKER_PRONOUN_HINT_RE,
    SUBJECT_PRONOUN_RE,
    TRANSCRIPT_RE,
    VERB_RE,
    VERB_RE_I,
    WORD_RE,
)
from .quote_record import Quote
from .spans import in_spans
from .speaker_refs import NOBODY, State, resolve_pronoun


def mask(text: str, start: int, end: int, quotes) -> str:
    """The paragraph with quotation interiors blanked (a final . ! ? is kept)."""
    parts, pos = [], start
    for qs, qe, _ in quotes:
        parts.append(text[pos:qs])
        inner = qe - qs
        if inner > 0 and text[qe - 1] in ".!?":
            parts.append("~" * (inner - 1) + text[qe - 1])
        else:
            parts.append("~" * inner)
        pos = qe
    parts.append(text[pos:end])
    return "".join(parts)


def sentences(masked: str) -> list[tuple[int, int]]:
    """Sentence spans of a masked paragraph (relative offsets)."""
    spans, pos = [], 0
    for m in SENT_BOUND_RE.finditer(masked):
        end = m.start() if m.group() == "\n" else m.start() + 1  # after the full stop
        # no break after an abbreviation or an initial ("U.S.", "Mr.", "J.")
        w = masked[max(pos, end - 5):end].rsplit(None, 1)
        last = w[-1].lower().rstrip(".!?\"”’')]") if w else ""
        if end > m.start() and (last in ABBREV_END or (len(last) == 1 and last.isalpha())):
            continue
        spans.append((pos, end))
        pos = m.end()
    spans.append((pos, len(masked)))
    return spans


@dataclass
class Walk:
    """One walk over the paragraphs of a text (the body, or the headline on its own)."""

    text: str
    state: State
    headline: bool
    out: list[Quote] = field(default_factory=list)  # the quotations found, in order

    def paragraph(self, pi: int, span: tuple[int, int], quotes, mentions) -> None:
        """Quotations of one paragraph (or the headline), appended to out."""
        text, state, headline, out = self.text, self.state, self.headline, self.out
        ps, pe = span
        if headline and not quotes:  # headlines also quote with straight single marks
            quotes = [(m.start(1), m.end(1), True) for m in HEADLINE_SINGLE_RE.finditer(text, ps, pe)]
        masked = mask(text, ps, pe, quotes) if quotes else text[ps:pe]
        verb_re = VERB_RE_I if headline else VERB_RE
        # mentions in this paragraph, outside quotations
        ments = [(s - ps, e - ps, n) for s, e, n in mentions
                 if ps <= s < pe and not (quotes and in_spans(quotes, s))]
        # "The New York Times reports:" introduces the quotation of the next paragraph
        lead_in = not quotes and not headline and masked.rstrip().endswith(":") and \
            verb_re.search(masked) is not None
        if not quotes and not ments and not lead_in:
            state.last_quote_speaker = None
            return
        if not quotes and len(ments) == 1 and not lead_in:
            state.note(ps + ments[0][0], ments[0][2], None)  # nothing else to learn here
            state.last_quote_speaker = None
            return
        by_end = {e: n for s, e, n in ments}
        by_start = {s: n for s, e, n in ments}
        sents = sentences(masked)
        para = Paragraph(masked, ps, ments, by_end, by_start, sents, state)

        # salience: the first named person of each sentence
        points = []
        si = 0
        for s, e, n in ments:
            while si < len(sents) and sents[si][1] < s:
                si += 1
            if si < len(sents) and (not points or points[-1][0] < sents[si][0]):
                points.append((sents[si][0], s, n))
        pidx = 0

        events: list[Event] = []
        # without quotations only the salience matters: who each sentence is about
        for m in verb_re.finditer(masked) if quotes or lead_in else ():
            while pidx < len(points) and points[pidx][1] <= m.start():
                state.note(ps + points[pidx][1], points[pidx][2], None)
                pidx += 1
            ev = event(para, m, events)
            if ev is not None and headline and not ev.speaker:
                ev = None
            if ev is not None:
                events.append(ev)
                if ev.speaker or ev.descr:
                    state.note(ev.pos, ev.speaker, ev.descr)
        for _, s, n in points[pidx:]:
            state.note(ps + s, n, None)
        if lead_in:
            last = sents[-1][0]
            named = [e for e in events if e.pos >= ps + last and (e.speaker or e.descr)]
            state.last_quote_speaker = (named[-1].speaker, named[-1].descr) if named else None
            return

        prev_q: Quote | None = None
        ev_pos = [e.pos for e in events]
        sent_starts = [a for a, _ in sents]
        for qi, (qs, qe, closed) in enumerate(quotes):
            rs, re_ = qs - ps, qe - ps
            sent = sents[max(0, bisect_right(sent_starts, max(0, rs - 1)) - 1)]
            opens_sentence = rs - sent[0] < NEAR and not masked[sent[0]:max(sent[0], rs - 1)].strip(
                " \t—–-:(")
            s_end = sent[1]
            nxt = NEXT_ATTR_RE.match(masked, re_ + 1)
            if opens_sentence and nxt:  # “… regulate?” Vitter demanded.
                s_end = max(s_end, nxt.end())
            ev = pick(events, ev_pos, (ps + sent[0], ps + s_end), (qs - 1, qe + 1), opens_sentence)
            speaker = descr = verb = how = None
            dash = DASH_BYLINE_RE.match(masked, re_ + 1)
            if dash and by_start.get(dash.end()):  # “…” ― Name
                ev = Event(qe, qe, by_start[dash.end()], None, None, "byline")
            tr = TRANSCRIPT_RE.match(text, qs)
            if tr and tr.group(1) in state.by_upper:  # a transcript: "PENCE: Well, ..."
                ev = Event(qs, qs, state.by_upper[tr.group(1)], None, None, "transcript")
            if ev is not None:
                speaker, descr, verb, how = ev.speaker, ev.descr, ev.verb, ev.how
            else:
                speaker, descr, how = fallback(para, sent, rs, prev_q, qi == 0 and rs - 1 <= 2)
            body_text = text[qs:qe]
            q = Quote(body_text, qs, qe, 0 if headline else pi, headline, speaker, descr, verb,
                      len(WORD_RE.findall(body_text)), speaker_how=how)
            out.append(q)
            prev_q = q
            if speaker or descr or not closed:
                state.last_quote_speaker = (speaker, descr)
            if speaker:
                state.note(qs, speaker, None)
        if not quotes:
            # a paragraph without quotations breaks a run of continued quotations
            state.last_quote_speaker = None


def fallback(para: Paragraph, sent, rs, prev_q, starts_para):
    """Speaker of a quotation whose sentence has no reporting verb: (speaker, descr, how)."""
    masked, state, ps = para.masked, para.state, para.ps
    # the subject of its sentence: a person named there, not after a preposition
    subj = clause_subject(masked, sent[0], sent[1], para.ments, rs)
    if subj:
        return subj, None, "subject"
    # "He was reluctant to say what he meant by a “safeguard”"
    pro = SUBJECT_PRONOUN_RE.search(masked, max(sent[0], rs - NEAR), max(sent[0], rs - 1))
    if pro:
        return resolve_pronoun(state, ps + pro.start(), pro.group(1).lower())
    if prev_q is not None and (prev_q.speaker or prev_q.speaker_descr):
        return prev_q.speaker, prev_q.speaker_descr, "carried"
    if starts_para and state.last_quote_speaker is not None:
        return (*state.last_quote_speaker, "carried")  # running on from the last paragraph
    if para.about_someone is None:
        para.about_someone = bool(para.ments or SPEAKER_PRONOUN_HINT_RE.search(masked))
    if not para.about_someone and not starts_para:
        return NOBODY  # a paragraph about no one: the quotation stays unattributed
    person, descr = state.about(ps + rs)
    if person or descr:
        return person, descr, "context"
    return state.last_person, None, "context"
