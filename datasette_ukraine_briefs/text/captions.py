"""Photo captions told by their credit: "… JULIAN SIMMONDS / POOL/AFP", "… (AFP)", "Photo: Getty".

A caption is not told by being repeated: files hold a story twice, or two versions of it, and
a paragraph printed twice is still text. ``text.articles`` asks here whether a line closes
with a photographer's or agency's credit, and decides by where the line sits.
"""

from __future__ import annotations

import re

# Credits that close a caption: "… JULIAN SIMMONDS / POOL/AFP", "… (AFP)", "Photo: Getty Images".
SLASH_CREDIT = re.compile(r"^(?P<caption>.*?)\s*(?P<credit>\b[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*\s*/\s*[A-Z][A-Za-z.]*(?:\s*/\s*[A-Z][A-Za-z.]*)*)$")
PAREN_CREDIT = re.compile(r"^(?P<caption>.+?)\s*\((?P<credit>(?:Photo|Image|Picture|Credit)s?(?::|\s+by)?\s*[^()]{2,60}|[A-Z][A-Za-z.&'’-]*(?:[ /][A-Z][A-Za-z.&'’-]*){0,4})\)$")
LABELLED_CREDIT = re.compile(r"^(?P<caption>.*?)\s*(?P<credit>\b(?:Photo(?:graph)?|Image|Picture|Credit)s?\s*(?::|by)\s*[A-Z][^.]{1,60})$")
# What a line must hold for each credit pattern to match: a test far cheaper than the pattern.
CREDIT_MARKS = ((PAREN_CREDIT, (")",)), (LABELLED_CREDIT, ("Photo", "Image", "Picture", "Credit")))


def credited_caption(text: str, where_captions_sit: bool) -> tuple[str, str] | None:
    """(caption, credit) when the line closes with a credit, else None.

    A slash credit in capitals ("JULIAN SIMMONDS / POOL/AFP") marks a caption anywhere; a
    bracketed or labelled credit ("(AFP)", "Photo: Reuters") only ``where_captions_sit``:
    between a headline and the body, under an image, or on a line printed twice.
    """
    match = SLASH_CREDIT.match(text) if "/" in text else None
    if match and match["caption"]:
        return match["caption"].strip(), match["credit"].strip()
    if where_captions_sit:
        for pattern, marks in CREDIT_MARKS:
            match = pattern.match(text) if any(mark in text for mark in marks) else None
            if match and len(match["caption"].split()) >= 2:
                return match["caption"].strip(), match["credit"].strip()
    return None
