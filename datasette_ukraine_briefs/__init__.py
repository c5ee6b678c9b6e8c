"""datasette-ukraine-briefs: a Datasette plugin and loader for archives of news articles.

This module holds only Datasette hook implementations; the work lives in ``build`` (the
loader) and ``text`` (pure parsing and extraction).
"""
