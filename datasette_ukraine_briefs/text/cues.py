"""The cues of news writing that the name finder and the quotation finder read: the word
lists of ``text/lexicons`` and the patterns built on them, compiled once.

General knowledge of how news is written (honorifics, titles, offices, reporting verbs,
organisation and place words), never of a particular article or person.
"""

from __future__ import annotations

import re

from . import lexicon

HONORIFICS = lexicon.words("honorifics")
# Honorifics kept in a name when only a surname follows ("Lord Dannatt").
KEEP_HONORIFIC = lexicon.words("honorifics_kept")
# Courtesy titles: they mark a person but are not worth keeping as honorific.
COURTESY = lexicon.words("courtesy_titles")

TITLE_WORDS = lexicon.words("title_words")

# Title words that on their own make the next name a person's.
OFFICE_WORDS = lexicon.words("office_words")

NATIONALITIES = lexicon.words("nationalities")

COUNTRIES = lexicon.words("places")
# The world's countries and large cities (GeoNames, through scripts/make_places.py).
PLACE_NAMES = lexicon.words("place_names")

# A capitalised word containing one of these is an organisation, place or event.
ORG_WORDS = lexicon.words("organisation_words")

# Place words that never end a person's name either.
PLACE_STRONG = lexicon.words("places_strong")

HYPHEN_TAILS = lexicon.words("hyphen_tails")

# Title words that are also common surnames ("Charlie King", "John Major").
SURNAME_TITLES = lexicon.words("surname_titles")
NAME_SUFFIXES = lexicon.words("name_suffixes")
MONTH_SURNAMES = lexicon.words("month_surnames")
# Given names that are also months or their abbreviations ("Jan Holm", "May Lee").
MONTH_GIVEN = lexicon.words("month_given_names")
# Surnames that are also common words, organisation or colour words ("Anna Fox", "Mr White");
# they are a surname only after a given name or an honorific.
SURNAME_WORDS = lexicon.words("surname_words")
# Words before a month that make it a date, not a given name ("in May Lee ...").
DATE_LEAD = lexicon.words("date_lead_words")

# Reporting verbs that are as often plural nouns ("Twenty states led ...").
NOUN_LIKE_VERBS = lexicon.words("noun_like_verbs")

ABBREVIATIONS = frozenset(w for w in HONORIFICS | TITLE_WORDS | NAME_SUFFIXES if w.endswith("."))

# Capitalised words that start sentences or head capitalised phrases, never names.
STOP_CAPS = lexicon.words("stop_caps")

# Common given names: a capitalised pair starting with one is probably a person.
GIVEN_NAMES = lexicon.words("given_names")

# Lower-case nouns of roles: "journalist X", "X, deputy director of ..."
ROLE_NOUNS = lexicon.words("role_nouns")

DASHES = "―—–-"
# Words that end a lower-case role read leftwards from a name.
ROLE_STOP = lexicon.words("role_stop_words")

PERSONIFICATIONS = frozenset(tuple(entry.split()) for entry in lexicon.entries("personifications"))

NAME_PARTICLES = lexicon.words("name_particles")

# Reporting verbs (and the nouns of a remark) that make their subject a speaker.
REPORT_VERBS = lexicon.words("reporting_verbs")
REMARK_NOUNS = lexicon.words("remark_nouns")
PREPOSITIONS = lexicon.words("prepositions")
# Months and days: a date before a name, never the head of a longer proper noun ("Since Jan Ravel").
MONTHS_DAYS = lexicon.words("months_days")
MONTH_DAY_FORMS = MONTHS_DAYS | {w[:n] for w in MONTHS_DAYS for n in (3, 4)}  # "Jan", "Sept", "Tues"


# --------------------------------------------------------------------------
# Patterns, compiled once.

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_LO = "a-zß-öø-ÿāăąćčďđēėęěğģīįıķĺļľłńņňōőœŕřśşšţťūůűųźżž"
_TOKEN = rf"(?:[{_UP}]\.(?:[{_UP}]\.)+|[{_UP}][{_LO}{_UP}]*(?:[-'’][{_UP}{_LO}]+)*\.?)"
_PART = "(?:" + "|".join(sorted(NAME_PARTICLES, key=len, reverse=True)) + ")"
# (a match glued to a word before it, as "Phone" in "iPhone", is skipped in scan: a
# look-behind here would make the regex engine twice as slow)
RUN_RE = re.compile(
    rf"{_TOKEN}(?:[^\S\n]+(?:(?:{_PART}[^\S\n]+)*{_TOKEN}|\([{_UP}][{_LO}]+\)))*"
)
GLUED_BEFORE = frozenset("’'-_")
# After a name: an appositive with a role, or a reporting verb.
AFTER_RE = re.compile(
    r"['’]?s?\s*(?:,\s*(?:the|a|an|who|former|then|now|[a-z]+ly|\d)\b|\s*\(|\s+(?:[a-z]+ly\s+)?"
    r"(?:has|had|have|was|is|will|would|also|earlier|previously|later|then)?\s*([a-z]+))"
)
ROLE_AFTER_RE = re.compile(
    r",\s+((?:the|a|an|[a-z][\w-]*|[A-Z][\w&.-]*['’]s)\s+[^,.;:\"“”]{2,90}?|\d{1,3}|[a-z][\w-]+)"
    r"(?=,|\.|;|:|\s+(?:said|says|told|warned|added|noted|wrote)\b)"
)
OF_TITLE_RE = re.compile(
    r"((?:[A-Z][\w.’'-]*\s+)*(?:Secretary|Minister|Chancellor|Head|Director|Commissioner|"
    r"Chief|Chairman|Chairwoman|Chair|Governor|President|Speaker|Leader|Mayor|Attorney General)"
    r"\s+of\s+(?:the\s+)?(?:[A-Z][\w.’'-]*\s+){0,3})$")
CREDIT_LINE_RE = re.compile(
    r"\s*[(\[]?\s*(?:Photo(?:graph)?s?|Pictures?|Images?|Credits?|Illustrations?|Video|Source)\b")
CREDIT_BY_RE = re.compile(
    r"\b(?:[Rr]eporting|[Ee]diting|[Ww]riting|[Cc]ompiled|[Pp]hoto(?:graph)?s?) by\b")
CREDIT_TAIL_RE = re.compile(r"[^.\n]{0,40}\bcontributed (?:to )?(?:this |the )?report")
# An affiliation right after a name, without a comma: "Ann Bell of IT firm Acme Data, who ...".
OF_AFTER_RE = re.compile(
    r"[^\S\n]+(of[^\S\n]+(?:[\w&-]+[^\S\n]+)*?[A-Z][\w&-]*(?:[^\S\n]+[\w&-]+){0,4}?)"
    r"(?=,|\.|;|:|[^\S\n]+(?:said|says|told|warned|added)\b)"
)
SAID_AFTER_RE = re.compile(r"[^\S\n]+(?:said|says|told|added|wrote|warned|asked|argued)\b")
WHO_AFTER_RE = re.compile(r"['’]?s?\s*,\s*who\b")
PERSON_NOUN_AFTER_RE = re.compile(
    r"(?:['’]s?)?[^\S\n]+(?:(?:own|former|latest|new|top|senior|closest|chief|recent|"
    r"repeated|earlier|public|private|personal|political)[^\S\n]+)?"
    r"(?:administration|campaign|camp|presidency|government|era|aides?|allies|supporters|"
    r"loyalists|family|cabinet|doctrine|spokes(?:man|woman|person)|position|remarks?|comments?|"
    r"statements?|words|views?|stance|plans?|proposals?|demands?|claims?|call|office|team|"
    r"wife|husband|son|daughter|father|mother|brother|sister|lawyers?|regime|war|invasion|"
    r"visit|trip|speech|decision|polic(?:y|ies)|approach|threats?|offer|victory|rule|"
    r"leadership|critics|tweets?|interview|letter|memoir|health|record|tenure|term|"
    r"candidacy|nomination|running mate|rival|opponent|predecessor|successor|envoy|"
    r"adviser|advisers|advisor|associates|friends?|allegations?|accusations?|insistence|"
    r"refusal|promise|pledge|warning|message|vision|agenda|base|voters|rally|rallies)\b"
)


NEVER_NAME = STOP_CAPS | COUNTRIES | NATIONALITIES | ORG_WORDS | (TITLE_WORDS - HONORIFICS)
TOKEN_RE = re.compile(r"\(?[^\s(]+")
INITIALS_RE = re.compile(rf"^(?:[{_UP}]\.)+$")
INITIALS2_RE = re.compile(r"^[A-Z]{2}$")
CONTRACTIONS = ("’m", "’re", "’ll", "’ve", "’d", "n’t", "n't")
GLUED_RE = re.compile(r"([A-Z][a-z]+)(Sir|Dame|Lord|Lady|Gen|General|Prof|Dr|Mr|Mrs|Ms)$")
SENT_END_RE = re.compile(r"[.!?:;][\"”’')\]]*\s+$|^\s*$|[\"“‘(\[—–-]\s*$|\n\s*$")
LOWER_RE = re.compile(rf"[{_LO}]")
