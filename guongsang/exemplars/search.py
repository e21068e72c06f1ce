"""Word-prefix search over subject names, the same on SQLite and PostgreSQL.

Every word of the query (folded with ``core.text.fold``, split on anything that is not a letter or
a digit) must start a word of the folded name: "ng th hoa" finds "Nguyễn Thị Hoa", "hen" finds
"H'Hen Niê", "oa" finds nothing in "Hoa". A query without any word filters nothing.

- SQLite: the FTS5 table ``exemplars_subject_fts`` (external content, kept by triggers, prefix
  indexes 1–3; migration ``exemplars/0002``, triggers re-created by ``apps.py``), as
  ``id IN (SELECT rowid ... MATCH '"nguyen"* "thi"* "hoa"*')``.
- PostgreSQL: per word, ``name_folded ~ '(^|[ ...])word'``, which the pg_trgm GIN index
  ``subject_name_trgm_idx`` serves through the word-start trigrams ("  w", " wo", "wor"...),
  short words included; the expression is then checked on the rows the index found.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q, QuerySet

from guongsang.core.text import fold

_WORD = re.compile(r"[^\W_]+")
# What may stand before a word in a folded name, as a PostgreSQL bracket expression. pg_trgm
# reads "(^|[ ...])word" as the start of a word (its trigrams "  w", " wo") only when every
# character of the class is an ASCII non-word character: with [^[:alnum:]] or with "–" or "“" in
# the class, the index returns every row. FTS5 also splits on non-ASCII punctuation ("“Gia"):
# the only case where the two databases differ.
PG_SEPARATORS = r"""[ !"#$%&'()*+,./:;<=>?@\[\\\]^_`{|}~-]"""
MAX_WORDS = 8


def name_words(query: str | None) -> list[str]:
    """The folded words of a query, duplicates removed, at most ``MAX_WORDS``."""
    words = []
    for word in _WORD.findall(fold(query)):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def fts_match(words: list[str]) -> str:
    """An FTS5 query where each word is a quoted prefix: no word can inject FTS syntax."""
    return " ".join('"{}"*'.format(w.replace('"', '""')) for w in words)


def filter_by_name(qs: QuerySet, query: str | None, *, prefix: str = "") -> QuerySet:
    """Keep the rows whose subject's name matches ``query`` word by word (see the module).

    ``prefix`` leads from ``qs``'s model to the subject: "" for subjects, "subject__" for
    nominations and exemplars.
    """
    words = name_words(query)
    if not words:
        return qs
    if connection.vendor == "sqlite":
        # A join on the FTS table, not "id IN (SELECT rowid ...)": SQLite then reads the matches
        # as a stream and a LIMIT stops it early (``search_page``), instead of building the
        # whole list of rowids of a common word first.
        table = qs.model._meta.db_table
        column = "id" if not prefix else qs.model._meta.get_field(prefix[:-2]).column
        return qs.extra(  # noqa: S610 (names from the model; the words are a parameter)
            tables=["exemplars_subject_fts"],
            where=[
                f'exemplars_subject_fts.rowid = "{table}"."{column}"',
                "exemplars_subject_fts MATCH %s",
            ],
            params=[fts_match(words)],
        )
    condition = Q()
    for word in words:
        condition &= Q(**{f"{prefix}name_folded__regex": f"(^|{PG_SEPARATORS}){word}"})
    return qs.filter(condition)


SEARCH_CAP = 1000


def search_page(qs: QuerySet, request, *, order, per_page: int = 50, cap: int = SEARCH_CAP):
    """A page of ``qs`` (already filtered by ``filter_by_name``) in ``order``, read in two steps
    so the cost does not grow with the number of matches: the ids of at most ``cap`` + 1
    matching rows, unordered (the search index streams them and the LIMIT stops it), then the
    requested page of those rows in ``order``. ``page.search_capped`` says that more than ``cap``
    rows match and only the first ``cap`` found are listed (the page asks to type more)."""
    from guongsang.core.pagination import paginate

    ids = list(qs.order_by().values_list("pk", flat=True)[: cap + 1])
    capped = len(ids) > cap
    rows = qs.model._default_manager.filter(pk__in=ids[:cap])
    rows.query.select_related = qs.query.select_related
    page = paginate(rows.order_by(*order), request, per_page=per_page, count_cap=cap)
    page.search_capped = capped
    page.search_cap = cap
    return page


# The triggers that keep the FTS table in step with exemplars_subject (as in migration 0002).
# Django rebuilds a SQLite table (new table, copy, drop, rename) for many schema changes, which
# drops its triggers: ``apps.py`` re-creates any that are missing after every migrate.
FTS_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS exemplars_subject_fts_ai AFTER INSERT ON exemplars_subject "
    "BEGIN INSERT INTO exemplars_subject_fts(rowid, name_folded) "
    "VALUES (new.id, new.name_folded); END",
    "CREATE TRIGGER IF NOT EXISTS exemplars_subject_fts_ad AFTER DELETE ON exemplars_subject "
    "BEGIN INSERT INTO exemplars_subject_fts(exemplars_subject_fts, rowid, name_folded) "
    "VALUES ('delete', old.id, old.name_folded); END",
    "CREATE TRIGGER IF NOT EXISTS exemplars_subject_fts_au AFTER UPDATE OF name_folded "
    "ON exemplars_subject BEGIN "
    "INSERT INTO exemplars_subject_fts(exemplars_subject_fts, rowid, name_folded) "
    "VALUES ('delete', old.id, old.name_folded); "
    "INSERT INTO exemplars_subject_fts(rowid, name_folded) VALUES (new.id, new.name_folded); END",
]


def ensure_fts_triggers(connection) -> int:
    """Re-create missing FTS triggers on SQLite (and rebuild the index if any was missing, since
    writes made without it left the index stale). Returns how many were missing."""
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') "
            "AND name LIKE 'exemplars_subject_fts%%'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if "exemplars_subject_fts" not in present:
            return 0
        missing = [
            name
            for name in (
                "exemplars_subject_fts_ai",
                "exemplars_subject_fts_ad",
                "exemplars_subject_fts_au",
            )
            if name not in present
        ]
        if missing:
            for sql in FTS_TRIGGERS:
                cursor.execute(sql)
            cursor.execute(
                "INSERT INTO exemplars_subject_fts(exemplars_subject_fts) VALUES ('rebuild')"
            )
    return len(missing)
