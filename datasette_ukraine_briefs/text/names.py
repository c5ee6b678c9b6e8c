"""Finding the names in one text: runs of capitalised words, cut at ordinary words, stripped
of titles and honorifics, and judged by the cues around them (``cues``).

Each candidate mention carries its evidence (an honorific or office, a reporting verb after it,
an appositive or a role before it, a possessive, a known given name); ``people`` clusters
them into the people of an article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .cues import (
    ABBREVIATIONS,
    AFTER_RE,
    CONTRACTIONS,
    COUNTRIES,
    COURTESY,
    CREDIT_BY_RE,
    CREDIT_LINE_RE,
    CREDIT_TAIL_RE,
    DASHES,
    DATE_LEAD,
    GIVEN_NAMES,
    GLUED_BEFORE,
    GLUED_RE,
    HONORIFICS,
    HYPHEN_TAILS,
    INITIALS2_RE,
    INITIALS_RE,
    LOWER_RE,
    MONTH_DAY_FORMS,
    MONTH_GIVEN,
    MONTH_SURNAMES,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    NATIONALITIES,
    NEVER_NAME,
    NOUN_LIKE_VERBS,
    OF_AFTER_RE,
    OF_TITLE_RE,
    OFFICE_WORDS,
    ORG_WORDS,
    PERSON_NOUN_AFTER_RE,
    PERSONIFICATIONS,
    PLACE_NAMES,
    PLACE_STRONG,
    PREPOSITIONS,
    REPORT_VERBS,
    ROLE_AFTER_RE,
    ROLE_NOUNS,
    ROLE_STOP,
    RUN_RE,
    SAID_AFTER_RE,
    SENT_END_RE,
    STOP_CAPS,
    SURNAME_TITLES,
    SURNAME_WORDS,
    TITLE_WORDS,
    TOKEN_RE,
    WHO_AFTER_RE,
)
from .spans import in_spans

# Evidence that a capitalised name is a person's.
STRONG = 3  # honorific, office title, reporting verb, appositive role
MEDIUM = 2  # an appositive or a possessive
BARE = 0


@dataclass
class Candidate:
    start: int  # offset of the alias surface in its text (title or body)
    end: int
    in_title: bool
    honorifics: list[str]
    tokens: list[str]  # name tokens, no honorific, no possessive
    surface: str  # alias as written (honorifics + name)
    evidence: int  # 2 strong (honorific/office/verb), 1 weak, 0 none
    role: str | None
    possessive: bool
    only_alias: bool = False  # title, heading or quotation: names only people found elsewhere


# "Ex-Labour MP Ann Bell", "Ex-Navy Captain ...": a former affiliation heads a title.
FORMER_PREFIXES = ("Ex-", "Former-")


@lru_cache(maxsize=8192)
def _clean_token(tok: str) -> tuple[str, bool]:
    """Strip a full stop, a possessive and parentheses; return (token, was_possessive)."""
    tok = tok.strip("(),")
    if tok.endswith(".") and len(tok) > 2 and tok not in ABBREVIATIONS and tok.count(".") == 1:
        tok = tok[:-1]
    if tok.endswith(("’s", "'s")):
        return tok[:-2], True
    if tok.endswith(("’", "'")) and tok[:-1].endswith("s"):
        return tok[:-1], True
    return tok, False


_NOUN_SUFFIXES = ("tion", "sion", "ments", "ness", "ity", "ship", "ism", "ics", "ogy", "ists",
                  "ians", "ancy", "ency")


@lru_cache(maxsize=8192)
def _is_name_token(tok: str, first: bool = True) -> bool:
    """Could this capitalised word be part of a person's name?"""
    if len(tok) < 2 or tok in STOP_CAPS or tok in ORG_WORDS or tok in TITLE_WORDS:
        return False
    if tok in HONORIFICS or (first and (tok in COUNTRIES or tok in NATIONALITIES)):
        return False
    if tok in PLACE_STRONG:
        return False
    if INITIALS_RE.match(tok):  # "J.", "G.K."
        return True
    if "-" in tok:  # "Kremlin-backed", "Miami-based", "African-American"
        tail = tok.rsplit("-", 1)[1]
        if tail in HYPHEN_TAILS or tail in NATIONALITIES or tail in COUNTRIES:
            return False
    if "." in tok:
        return False
    if tok[:2] in ("I’", "I'") or tok.endswith(CONTRACTIONS):
        return False
    letters = tok.replace("-", "").replace("'", "").replace("’", "")
    if letters.isupper() and len(letters) > 1:  # acronyms and ALL-CAPS credits
        return False
    if len(tok) > 6 and tok.endswith(_NOUN_SUFFIXES):
        return False
    return bool(LOWER_RE.search(tok)) or len(tok) == 2


# A quotation closed on a comma goes on into its attribution: '"...," White said' is one sentence.
QUOTE_GOES_ON_RE = re.compile(r"[,;][\"”’']\s*$")


def at_sentence_start(text: str, pos: int) -> bool:
    if pos == 0:
        return True
    if QUOTE_GOES_ON_RE.search(text, max(0, pos - 4), pos):
        return False
    return bool(SENT_END_RE.search(text, max(0, pos - 4), pos))


def scan(text: str, base: int, in_title: bool, out: list[Candidate],
         quotes: list[tuple[int, int, bool]] = ()) -> None:
    """Append candidate person mentions of one stretch of text (offsets + base)."""
    for m in RUN_RE.finditer(text):
        at = m.start()
        if at and (text[at - 1].isalnum() or text[at - 1] in GLUED_BEFORE):
            continue
        raw = m.group()
        if (raw in NEVER_NAME or raw.rstrip(",.") in NEVER_NAME) and \
                raw.rstrip(",.") not in SURNAME_WORDS and not (
                    raw in COUNTRIES and SAID_AFTER_RE.match(text, m.end())):
            continue  # most runs are one sentence-initial word or a place
        if " " not in raw and "\u00a0" not in raw and not GLUED_RE.match(raw):
            _split_run(text, [raw], [m.start()], base, in_title,
                       in_spans(quotes, m.start()), out)
            continue
        toks, tpos = [], []
        for tm in TOKEN_RE.finditer(raw):
            tok, at = tm.group(), m.start() + tm.start()
            glued = GLUED_RE.match(tok)
            if glued:  # "MinisterSir": a title glued to an honorific
                toks += [glued.group(1), glued.group(2)]
                tpos += [at, at + glued.end(1)]
                continue
            toks.append(tok)
            tpos.append(at)
        aside = next((x for x, tok in enumerate(toks) if x and tok.startswith("(")), None)
        if aside is not None:  # "Erik Breukink (Netherlands) Rabobank": an aside ends a name
            del toks[aside:], tpos[aside:]
        quoted = in_spans(quotes, m.start())
        # a sentence may end inside a run ("... Obama. Trump said")
        cut = 0
        for x, tok in enumerate(toks if "." in raw else ()):
            if tok.endswith(".") and len(tok) > 2 and tok not in ABBREVIATIONS and \
                    tok.count(".") == 1 and x + 1 < len(toks):
                _split_run(text, toks[cut:x + 1], tpos[cut:x + 1], base, in_title, quoted, out)
                cut = x + 1
        _split_run(text, toks[cut:], tpos[cut:], base, in_title, quoted, out)




def _split_run(text, toks, tpos, base, in_title, quoted, out):
    """Cut a capitalised run into name candidates at stop words and judge each."""
    i, n = 0, len(toks)
    if not n:
        return
    if n == 1:  # fast path: one capitalised word
        c = _clean_token(toks[0])
        lone_place = c[0] in PLACE_NAMES and c[0] not in GIVEN_NAMES  # "Houston said"
        if (c[0] in SURNAME_WORDS or lone_place) and not at_sentence_start(text, tpos[0]) or \
                c[0] in COUNTRIES:
            before = len(out)
            _judge(text, toks, tpos, [c], 0, 0, 1, [], [], False, c[1], base, in_title, True,
                   out)
            for cand in out[before:]:
                cand.only_alias = True  # "Fox added": only once "Anna Fox" is known
            if c[0] in COUNTRIES:  # "Jordan said": only with a reporting verb right after
                out[before:] = [cand for cand in out[before:] if cand.evidence >= STRONG]
            return
        if c[0] in STOP_CAPS or c[0] in HONORIFICS or not _is_name_token(c[0], True) or (
                _looks_like_sentence_word(c[0]) and at_sentence_start(text, tpos[0])):
            return
        _judge(text, toks, tpos, [c], 0, 0, 1, [], [], False, c[1], base, in_title, quoted, out)
        return
    clean = [_clean_token(t) for t in toks]
    sent_start = at_sentence_start(text, tpos[0])
    tail_of = -1  # index of the name after a capitalised word mid-sentence ("United Nation's")
    while i < n:
        tok = clean[i][0]
        if (tok in STOP_CAPS and not _month_given(text, toks, tpos, clean, i, n)) or (
                i == 0 and sent_start and _looks_like_sentence_word(tok)):
            if not (i == 0 and sent_start) and not clean[i][1] and tok.rstrip(".") not in MONTH_DAY_FORMS:
                tail_of = i + 1
            i += 1
            continue
        # prefix: job titles, nationalities, honorifics; then the name itself
        j, office = i, False
        honorifics: list[str] = []
        role_words: list[str] = []
        while j + 1 < n:
            t, poss = clean[j]
            if poss:
                break
            if t in HONORIFICS and not (role_words and t in TITLE_WORDS):
                honorifics.append(t)
                office = office or t not in COURTESY or not quoted
            elif t in TITLE_WORDS or t in NATIONALITIES or t in COUNTRIES or (
                    t.startswith(FORMER_PREFIXES) and clean[j + 1][0] in TITLE_WORDS):
                if honorifics:
                    break
                role_words.append(t)
                office = office or t in OFFICE_WORDS
            elif t in ORG_WORDS and clean[j + 1][0] in TITLE_WORDS:
                role_words.append(t)
            else:
                break
            j += 1
        if j == i == 0 and sent_start and n >= 3 and clean[0][0] not in GIVEN_NAMES and not clean[0][1] and \
                clean[1][0] in GIVEN_NAMES:
            i += 1  # "Sprinter Kelly White said": the sentence's first word, then a full name
            continue
        k = j
        possessive = False
        while k < n:
            t, poss = clean[k]
            if t in SURNAME_TITLES and (k > j or honorifics) and k + 1 == n:
                pass  # "Charlie King", "Mr. King": a title word as the surname
            elif t in NAME_SUFFIXES and k > j:
                pass
            elif t in MONTH_SURNAMES and k > j and clean[k - 1][0] in GIVEN_NAMES:
                pass  # "Theresa May"
            elif t in SURNAME_WORDS and k + 1 == n and (
                    (k == j and honorifics) or
                    (k == j + 1 and (honorifics or clean[j][0] in GIVEN_NAMES))):
                pass  # "Mrs Fox", "Anna Fox", "Mr White": a common word as the surname
            elif k == j and t in MONTH_GIVEN and _month_given(text, toks, tpos, clean, k, n):
                pass  # "Jan Holm", "May Lee": a month as a given name
            elif k == j and k + 1 < n and INITIALS2_RE.match(t) and t not in NEVER_NAME and \
                    _is_name_token(clean[k + 1][0], False):
                pass  # "JD Vance": initials without full stops
            elif t in STOP_CAPS or t in HONORIFICS or not _is_name_token(t, k == j):
                if t not in NAME_PARTICLES or k == j:
                    break
            k += 1
            if poss:
                possessive = True
                break
        while k > j and clean[k - 1][0] in NAME_PARTICLES:
            k -= 1
        if k == j:
            i = max(j, i + 1)
            continue
        before = len(out)
        _judge(text, toks, tpos, clean, i, j, k, honorifics, role_words, office, possessive,
               base, in_title, quoted, out)
        if i == tail_of and k - j == 1 and not honorifics and not role_words:
            for cand in out[before:]:  # the tail of a longer proper noun, unless found elsewhere
                cand.only_alias = True
        i = k


def _month_given(text, toks, tpos, clean, k, n) -> bool:
    """Is the month word at toks[k] a given name ("Jan Holm"), not a date ("in May Putin")?"""
    t = clean[k][0]
    if t not in MONTH_GIVEN or k + 1 >= n or toks[k].endswith("."):
        return False
    nxt = clean[k + 1][0]
    if nxt in STOP_CAPS or nxt in HONORIFICS or nxt in NEVER_NAME or \
            not _is_name_token(nxt, False):
        return False
    if k > 0 and clean[k - 1][0] in HONORIFICS:
        return True  # "Dr. Jan Holm"
    pre = text[max(0, tpos[k] - 12):tpos[k]].split()
    return not (pre and pre[-1].lower() in DATE_LEAD)


def _in_credit(text: str, start: int, end: int) -> bool:
    """A photo or agency credit, or a byline: "Photograph: Jane Doe/PA", "(Reporting by ...)"."""
    if "/" in text[max(0, start - 2):end + 2]:
        return True
    window = max(0, start - 200)
    head = text[text.rfind("\n", window, start) + 1 or window:start]
    if CREDIT_LINE_RE.match(head) or (" by" in head and CREDIT_BY_RE.search(head)):
        return True
    tail = text[end:end + 80]
    return "contributed" in tail and bool(CREDIT_TAIL_RE.match(tail))


# A full name used as a modifier after "the" is still a person's: "the Ann Bell case" (and
# any name before a person's noun: "the Bell administration").
MODIFIER_AFTER_RE = re.compile(r"[^\S\n]+[a-z]")


def _after_preposition(text: str, start: int) -> bool:
    """ "research by Acme suggested": the name is the preposition's object, not the verb's subject."""
    words = text[max(0, start - 12):start].split()
    return text[start - 1:start] == " " and bool(words) and words[-1] in PREPOSITIONS


def _after_the(text: str, start: int) -> bool:
    """ "The Hill", "the Daily Beast": a title word before a single name."""
    return text[max(0, start - 4):start] in ("The ", "the ")


def _role_before(text: str, start: int) -> str | None:
    """A role right before a name ("Kremlin spokesman", "former army chief"), or "" for a
    quotation byline dash ("“…” ― Jane Doe"); None when there is neither."""
    pre = text[max(0, start - 60):start].rstrip(" \t\u00a0")
    if not pre:
        return None
    if pre[-1] in DASHES:
        return "" if pre.rstrip(DASHES).rstrip(" \t\u00a0")[-1:] in ("”", '"') else None
    words = pre.split()
    if not words or not _is_role_noun(words[-1].rstrip(",")):
        return None
    role = [words.pop().rstrip(",")]
    while words and len(role) < 6:
        w = words[-1]
        if (w.lower() in ROLE_STOP and not w.isupper()) or not w[:1].isalnum() or \
                w[-1] in ".,;:!?\"”’)":
            break
        role.append(words.pop())
    return " ".join(reversed(role))


def _owner_before(text: str, start: int) -> str | None:
    """An organisation in the possessive right before a name ("ABN Amro's Eddie Wong")."""
    owner = POSSESSIVE_OWNER_RE.search(text, max(0, start - 60), start)
    if owner is None:
        return None
    name = owner.group(1)
    first = name.split()[0]
    if first in GIVEN_NAMES or first in STOP_CAPS or name in COUNTRIES or name in PLACE_NAMES or \
            name in NATIONALITIES or name in TITLE_WORDS:
        return None  # a person's ("Boris Johnson's"), a place's ("Britain's"), or no name at all
    return name


def _is_role_noun(word: str) -> bool:
    """"spokesman", and its hyphenated forms: "co-chairman", "ex-minister"."""
    return word in ROLE_NOUNS or word.rsplit("-", 1)[-1] in ROLE_NOUNS


# An organisation's name in the possessive right before a name: its person ("Microsoft's X").
POSSESSIVE_OWNER_RE = re.compile(r"(?:^|(?<=[\s(]))((?:[A-Z][\w&.-]*\s){0,3}[A-Z][\w&.-]*)['’]s\s+$")


def _looks_like_sentence_word(tok: str) -> bool:
    """A capitalised sentence opener that is an ordinary word (Speaking, Quickly)."""
    return len(tok) > 4 and tok.endswith(("ing", "ly", "ed")) and tok not in GIVEN_NAMES


def _judge(text, toks, tpos, clean, i, j, k, honorifics, role_words, office, possessive,
           base, in_title, quoted, out):
    """Score the evidence that toks[j:k] names a person and record the candidate."""
    names = [c[0] for c in clean[j:k]]
    if _in_credit(text, tpos[i], tpos[k - 1] + len(toks[k - 1])):
        return
    of = None
    if text[max(0, tpos[i] - 8):tpos[i]].endswith(("of ", "of the ")):
        of = OF_TITLE_RE.search(text, max(0, tpos[i] - 60), tpos[i])
    if of:  # "Secretary of State Marco Rubio": the title runs over "of"
        office = True
        role_words = [of.group(1).strip()] + role_words
    if tuple(names) in PERSONIFICATIONS or tuple(honorifics + names) in PERSONIFICATIONS:
        return
    if len(names) > 1 and not honorifics and " ".join(names) in PLACE_NAMES:  # "Hong Kong", "San Jose"
        return
    if len(names) > 4 or (toks[k - 1].startswith("(") and len(names) == 1):
        return
    last = toks[k - 1]
    end_rel = tpos[k - 1] + len(last)
    if possessive:
        end_rel -= 1 if last.endswith(("’", "'")) else 2
    elif last.endswith((".", ",")) and clean[k - 1][0] != last.rstrip(","):
        end_rel -= 1
    elif last.endswith(","):
        end_rel -= 1
    start_rel = tpos[j - len(honorifics)]
    role = " ".join(role_words) if role_words else None
    evidence = STRONG if office else BARE
    am = AFTER_RE.match(text, end_rel, min(len(text), end_rel + 60))
    if am and am.group(1) in REPORT_VERBS and am.group(1) not in NOUN_LIKE_VERBS and not (
            len(names) == 1 and _after_preposition(text, start_rel)):
        evidence = STRONG
    elif am and am.group(1) is None and (len(names) > 1 or WHO_AFTER_RE.match(text, end_rel)):
        evidence = max(evidence, MEDIUM)
    person_noun = PERSON_NOUN_AFTER_RE.match(text, end_rel)
    if person_noun:
        evidence = max(evidence, MEDIUM)  # "Putin’s position", "the Trump administration"
    elif possessive and len(names) > 1:
        evidence = max(evidence, MEDIUM)
    if len(names) == 1 and evidence >= STRONG and _after_the(text, start_rel):
        return  # "The Hill reported": a title, not a person
    elif text.startswith(",", end_rel):
        rm = ROLE_AFTER_RE.match(text, end_rel)
        if rm and _is_role(rm.group(1)):  # "X, deputy director of ...,": an appositive role
            r2 = rm.group(1).strip()
            if not r2.isdigit() and not r2.startswith(("who ", "whose ", "which ")) and (
                    role is None or len(r2) > len(role)):
                role = r2
            evidence = STRONG
    before = _role_before(text, start_rel)
    if before is not None:  # "journalist Jane Doe", "“…” ― Jane Doe"
        evidence = STRONG
        if before and role is None:
            role = before
    if role is None:  # "Microsoft's Mike Coleman": the owner is the role, not evidence of a person
        role = _owner_before(text, start_rel)
    if role is None and len(names) > 1:
        role = _affiliation_after(text, end_rel)
    if names[-1] in COUNTRIES or names[-1] in NATIONALITIES:
        if evidence < STRONG and names[0] not in GIVEN_NAMES:  # "N. Korea", "Southeast Asian"
            return
    if len(names) == 1 and INITIALS_RE.match(names[0]):
        return
    surface = text[start_rel:end_rel]
    cand = Candidate(base + start_rel, base + end_rel, in_title, list(honorifics), names, surface,
                 evidence, role, possessive)
    if quoted and not office and evidence < MEDIUM:
        cand.only_alias = True
    elif not honorifics and not role_words and not person_noun and _after_the(text, start_rel) and not (
            len(names) > 1 and names[0] in GIVEN_NAMES and MODIFIER_AFTER_RE.match(text, end_rel)):
        cand.only_alias = True  # "the Nokia Lumia", "via the Al Hayat channel": a thing's name
    out.append(cand)


def _affiliation_after(text: str, end: int) -> str | None:
    """ "Ann Bell of IT firm Acme Data, who ...": "of" and an organisation of two words or more."""
    m = OF_AFTER_RE.match(text, end, min(len(text), end + 80))
    return m.group(1) if m and m.group(1).count(" ") >= 2 else None


def _is_role(phrase: str) -> bool:
    """An appositive that describes a person: "deputy director of ...", "25"."""
    if phrase.isdigit():
        return True
    return any(w in ROLE_NOUNS for w in phrase.lower().replace("-", " ").split()[:8])
