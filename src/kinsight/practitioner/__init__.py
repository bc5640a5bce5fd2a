"""The practitioner view: find a child or family and read their history in plain words.

Pure capability code: the search index (``index``), query parsing (``query``), ranking with reasons
(``ranking``), family links (``family``), the timeline (``timeline``) and source coverage
(``coverage``), plus the purpose-limited access decision (``access``).  It takes DuckDB connections or
polars frames as arguments and never opens a store or the app database itself.
"""
