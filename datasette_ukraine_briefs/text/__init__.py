"""The pure core: text in, records out, with no database and no Datasette.

Bytes to text and front matter (``decode``), dates (``dates``), files to articles
(``articles``), people (``people``), quotations and their speakers (``quotes``), and how much
texts and quotations share (``similarity``). The loader and the site both call it; it imports
neither.
"""
