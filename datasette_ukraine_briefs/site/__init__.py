"""The site: everything Datasette serves for a briefs database.

Routes (``pages``) and the data behind each page (``queries``), Markdown, sanitizing and
highlighting (``html``), timelines (``charts``), links from Datasette's own table pages
(``cells``), canned queries (``canned``), Atom feeds (``feeds``), which databases are briefs
databases and who may see them (``databases``), the plugin's URLs (``urls``) and the SQL
functions (``sql_functions``). It reads the pure core in ``text`` and never imports the loader.
"""
