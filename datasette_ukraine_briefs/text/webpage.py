"""Saved web pages: the article in an HTML file, as the Markdown a web clipper would write.

trafilatura finds the main text (dropping navigation, cookie banners, related links, share bars
and footers) and the page's title, author, date, site name and address; it writes them as
Markdown under a YAML front matter block, so a saved page then takes the same path as a
clipped ``.md`` file: front matter, web furniture, articles, extraction.
"""

from __future__ import annotations

import re

import trafilatura

from .decode import SkipFile
from .frontmatter import read_front_matter

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# Fewer words than this is a page's furniture (a sign-in form, an index), not an article.
MIN_ARTICLE_WORDS = 25
# The page's own date only: no guessing from a copyright year in the footer ("© 2025" is not
# 1 January 2025).
DATE_SEARCH = {"extensive_search": False, "original_date": True}
# How a saved page starts when its name does not say it is one.
_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)


def is_web_page(text: str, suffix: str = "") -> bool:
    """An HTML file: by its name, or by how it starts."""
    return suffix.lower() in HTML_SUFFIXES or bool(_HTML_START.match(text[:4096]))


def page_to_markdown(html: str) -> str:
    """The page's article as Markdown with front matter. Raises ``SkipFile`` when the page holds
    no article text (an index page, a login wall, an empty template)."""
    markdown = trafilatura.extract(
        html,
        output_format="markdown",
        with_metadata=True,
        include_comments=False,  # readers' comments are not the article
        include_tables=True,
        include_images=True,
        include_formatting=True,
        date_extraction_params=DATE_SEARCH,
    )
    if not markdown or len(read_front_matter(markdown)[1].split()) < MIN_ARTICLE_WORDS:
        raise SkipFile("web page with no article text found")
    return markdown
