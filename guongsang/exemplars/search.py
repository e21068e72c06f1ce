"""Word-prefix search over subject names, the same on SQLite and PostgreSQL.

Every word of the query (folded with ``core.text.fold``, split on anything that is not a letter or
a digit) must start a word of the folded name: "ng th hoa" finds "Nguyễn Thị Hoa", "hen" finds
"H'Hen Niê", "oa" finds nothing in "Hoa". A query without any word filters nothing.

- SQLite: the FTS5 table ``exemplars_subject_fts`` (contentless, kept by triggers; columns: the
  folded name and the subject's province as one token, "u" + the first two path segments;
  prefix indexes of 1–7 letters, so a query word is read as a stream; migration
  ``exemplars/0008``, triggers re-created by ``apps.py``), as a join on
  ``MATCH 'name_folded : ("nguyen"* "thi"* "hoa"*) AND scope : ("u…")'``, the scope's provinces
  given when every range of the scope is a province or deeper; for a scope of a commune or
  smaller, its subjects checked one by one instead.
- PostgreSQL: the table ``exemplars_subject_word`` (one row per word of each subject: the word,
  the subject's unit path, its offset, and all the subject's words as " nguyen thi hoa"; kept by
  statement triggers, migration ``exemplars/0005``), joined on the subject. One query word
  drives: its prefix range on the index ``subject_word_idx (word, unit_path) INCLUDE (...)``,
  narrowed to the scope's path ranges when ``qs`` is a subject queryset filtered by path (for a
  scope inside one or a few provinces, on ``subject_word_scope_idx``, led by the province:
  ``substr(unit_path, 1, 12)``, then the word; migration ``exemplars/0009``); the other words
  are checked on the same index entry (``name_words LIKE '% word%'``). The walk is
  index-only and a LIMIT stops it (``search_page``). A subject is found once: only through the
  first of its words that starts with the driving word (``strpos`` = the entry's offset + 1).
"""

from __future__ import annotations

import math
import re

from django.db import connection
from django.db.models import QuerySet

from guongsang.core.text import fold
from guongsang.units.models import PATH_END, SEGMENT_WIDTH

_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8


def name_words(query: str | None) -> list[str]:
    """The folded words of a query, duplicates removed, at most ``MAX_WORDS``."""
    words = []
    for word in _WORD.findall(fold(query)):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def fts_match(words: list[str], scopes: list[str] | None = None) -> str:
    """An FTS5 query where each word is a quoted prefix of a word of the name column (no word
    can inject FTS syntax, none matches a scope token), and, given ``scopes``, one of those
    scope tokens."""
    match = "name_folded : ({})".format(
        " ".join('"{}"*'.format(w.replace('"', '""')) for w in words)
    )
    if scopes:
        match += " AND scope : ({})".format(" OR ".join(f'"{t}"' for t in sorted(set(scopes))))
    return match


# The scope token of the FTS table: the subject's path cut to this many characters (a
# province), after "u" (as the triggers of migration 0008 write it).
SCOPE_WIDTH = 2 * SEGMENT_WIDTH


def scope_provinces(node) -> list[str] | None:
    """The provinces' paths (``SCOPE_WIDTH`` long) one of which starts the ``unit_path`` of
    every row that ``node`` (a subject queryset's WHERE) keeps, or None when that cannot be
    said (no path bound, or one wider than a province). Only a necessary condition: the query
    keeps its own path conditions."""
    prefixes = _prefixes(node)
    if not prefixes or min(len(p) for p in prefixes) < SCOPE_WIDTH:
        return None
    return sorted({p[:SCOPE_WIDTH] for p in prefixes})


def scope_tokens(node) -> list[str] | None:
    """``scope_provinces`` as the FTS table's scope tokens ("u" + the path)."""
    provinces = scope_provinces(node)
    return None if provinces is None else ["u" + p for p in provinces]


def _path_lookup(n) -> tuple[str, str] | None:
    """(lookup name, path) when ``n`` is a lookup on a subject's ``unit_path`` by a text."""
    from django.db.models.expressions import Col
    from django.db.models.functions import Collate
    from django.db.models.lookups import Lookup

    if not isinstance(n, Lookup) or not isinstance(n.rhs, str):
        return None
    lhs = n.lhs
    if isinstance(lhs, Collate):  # SQLite compares a wide scope's range under NOCASE
        lhs = lhs.get_source_expressions()[0]
    if isinstance(lhs, Col) and lhs.target.attname == "unit_path":
        return n.lookup_name, n.rhs
    return None


def _prefixes(node) -> set[str] | None:
    """Paths one of which starts the ``unit_path`` of every row ``node`` keeps, or None."""
    from django.db.models.sql.where import AND, OR, WhereNode

    if (found := _path_lookup(node)) is not None:
        name, value = found
        return {value} if name in ("exact", "startswith") else None
    if not isinstance(node, WhereNode) or node.negated or not node.children:
        return None
    if node.connector == OR:
        found: set[str] = set()
        for child in node.children:
            part = _prefixes(child)
            if part is None:
                return None
            found |= part
        return found
    if node.connector != AND:
        return None
    # AND: a range written as unit_path >= p AND unit_path < p + "~" says "starts with p"; any
    # child that says something is enough (the deepest is kept).
    lookups = [_path_lookup(c) for c in node.children]
    lower = {v for x in lookups if x and x[0] == "gte" for v in [x[1]]}
    upper = {v for x in lookups if x and x[0] == "lt" for v in [x[1]]}
    candidates = [{p} for p in lower if p + PATH_END in upper]
    candidates += [
        part
        for c, x in zip(node.children, lookups, strict=True)
        if x is None or x[0] in ("exact", "startswith")
        for part in [_prefixes(c)]
        if part
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda part: min(len(p) for p in part))


def filter_by_name(qs: QuerySet, query: str | None, *, prefix: str = "") -> QuerySet:
    """Keep the rows whose subject's name matches ``query`` word by word (see the module).

    ``prefix`` leads from ``qs``'s model to the subject: "" for subjects, "subject__" for
    nominations and exemplars.
    """
    words = name_words(query)
    if not words:
        return qs
    # The scope's path ranges, copied onto the word table (PostgreSQL) or telling how wide it is.
    scope = None if prefix else _path_ranges(qs.query.where, "exemplars_subject_word.unit_path")
    if connection.vendor == "sqlite" and scope is not None and scope[2] >= NARROW_PATH:
        # A commune or smaller: its few hundred subjects checked one by one (Django's REGEXP
        # function; "not after a letter or digit" is a word start, as the FTS5 tokenizer
        # splits). The FTS table would stream every match in the country to find them.
        for word in words:
            qs = qs.filter(name_folded__regex=rf"(?<![^\W_]){re.escape(word)}")
        return qs
    if connection.vendor == "sqlite":
        # A join on the FTS table, not "id IN (SELECT rowid ...)": SQLite then reads the matches
        # as a stream and a LIMIT stops it early (``search_page``), instead of building the
        # whole list of rowids of a common word first.
        table = qs.model._meta.db_table
        column = "id" if not prefix else qs.model._meta.get_field(prefix[:-2]).column
        # A province's scope (or narrower ones in several provinces) is matched inside FTS5 by
        # its tokens: otherwise the index streams the country's matches, each checked here.
        scopes = None if prefix else scope_tokens(qs.query.where)
        return qs.extra(  # noqa: S610 (names from the model; the words are a parameter)
            tables=["exemplars_subject_fts"],
            where=[
                f'exemplars_subject_fts.rowid = "{table}"."{column}"',
                "exemplars_subject_fts MATCH %s",
            ],
            params=[fts_match(words, scopes)],
        )
    table = qs.model._meta.db_table
    column = "id" if not prefix else qs.model._meta.get_field(prefix[:-2]).column
    driver = driving_word(words)
    where = [
        f'exemplars_subject_word.subject_id = "{table}"."{column}"',
        "exemplars_subject_word.word LIKE %s",
        "strpos(exemplars_subject_word.name_words, %s) = exemplars_subject_word.pos + 1",
    ]
    # The words are letters and digits only (``name_words``): nothing to escape in LIKE.
    params = [driver + "%", " " + driver]
    for word in words:
        if word != driver:
            where.append("exemplars_subject_word.name_words LIKE %s")
            params.append(f"% {word}%")
    if scope is not None:
        where.append(scope[0])
        params += scope[1]
        # Inside one or a few provinces: their entries of the prefix range, from the index led
        # by the province (``subject_word_scope_idx``, migration 0009).
        provinces = scope_provinces(qs.query.where)
        if provinces:
            where.append(
                f"substr(exemplars_subject_word.unit_path, 1, {SCOPE_WIDTH}) IN "
                f"({', '.join(['%s'] * len(provinces))})"
            )
            params += provinces
    return qs.extra(  # noqa: S610 (names from the model; the words are parameters)
        tables=["exemplars_subject_word"], where=where, params=params
    )


# Rough shares of names holding each very common word (the main family names; "Thị", "Văn"):
# enough to tell which query word matches fewest names without asking the database. A word
# outside the list is taken as rare, short prefixes as less so.
COMMON_WORDS = {
    "nguyen": 0.38, "tran": 0.11, "le": 0.095, "pham": 0.07, "hoang": 0.05, "phan": 0.045,
    "vu": 0.04, "vo": 0.04, "huynh": 0.03, "dang": 0.02, "bui": 0.02, "do": 0.015, "ho": 0.013,
    "ngo": 0.013, "duong": 0.01, "ly": 0.005, "thi": 0.6, "van": 0.3,
}  # fmt: skip
PREFIX_SHARE = {1: 0.5, 2: 0.05}


def driving_word(words: list[str]) -> str:
    """The query word whose index range is walked: the one expected to match fewest names (the
    common words it starts, plus a share for short prefixes), the longest and then the last of
    equals (the given name comes last and varies most)."""

    def share(word: str) -> float:
        common = sum(v for k, v in COMMON_WORDS.items() if k.startswith(word))
        return common + PREFIX_SHARE.get(len(word), 0.0)

    ranked = list(reversed(words))
    return min(ranked, key=lambda w: (share(w), -len(w)))


_RANGE_OPS = {"gte": ">=", "gt": ">", "lt": "<", "lte": "<=", "exact": "="}
# Paths of a commune and deeper (central, province, commune: one segment each).
NARROW_PATH = 3 * SEGMENT_WIDTH


def _only_paths(n, column: str) -> tuple[str, list, int] | None:
    """``n`` (a WHERE node) rewritten on ``column`` when it is made of ranges of ``unit_path``
    only (ANDs and ORs of them): (SQL, params, the length of the shortest path that bounds
    it); else None."""
    from django.db.models.lookups import Lookup
    from django.db.models.sql.where import AND, WhereNode

    if isinstance(n, Lookup):
        found = _path_lookup(n)
        if found is not None and found[0] in _RANGE_OPS:
            name, path = found
            return f"{column} {_RANGE_OPS[name]} %s", [path], len(path.rstrip(PATH_END))
        return None
    if isinstance(n, WhereNode) and not n.negated and n.children:
        parts = [_only_paths(c, column) for c in n.children]
        if any(p is None for p in parts):
            return None
        depths = [p[2] for p in parts]
        # Both bounds of one range narrow it as much as either; any branch of an OR widens.
        depth = max(depths) if n.connector == AND else min(depths)
        sql = "(" + f" {n.connector} ".join(p[0] for p in parts) + ")"
        return sql, [x for p in parts for x in p[1]], depth
    return None


def _path_ranges(node, column: str) -> tuple[str, list, int] | None:
    """The part of a subject queryset's WHERE that bounds ``unit_path`` (the access layer's scope
    and the unit filter: ANDs and ORs of ranges), rewritten on ``column``, with the length of
    the shortest path that bounds it (how wide the scope is); None if there is none. Only a
    narrowing copy: the query keeps its own conditions."""
    from django.db.models.sql.where import AND, WhereNode

    if not isinstance(node, WhereNode) or node.negated:
        return None
    found = _only_paths(node, column)
    if found is not None:
        return found
    if node.connector != AND:
        return None
    parts = [p for p in (_only_paths(c, column) for c in node.children) if p is not None]
    if not parts:
        return None
    sql = " AND ".join(p[0] for p in parts)
    return sql, [x for p in parts for x in p[1]], max(p[2] for p in parts)


SEARCH_CAP = 1000


def search_page(qs: QuerySet, request, *, order, per_page: int = 50, cap: int = SEARCH_CAP):
    """A page of ``qs`` (already filtered by ``filter_by_name``) in ``order``, read in two
    queries whose cost does not grow with the number of matches: the ids and order columns of
    at most ``cap`` + 1 matching rows, unordered (the search index streams them and the LIMIT
    stops it), sorted here; then the requested page's rows. ``page.search_capped`` says that
    more than ``cap`` rows match and only the first ``cap`` found are listed (the page asks to
    type more)."""
    from guongsang.core.forms import valid_values
    from guongsang.core.pagination import CappedPage, PageForm

    fields = [f.lstrip("-") for f in order]
    found = _found_in_word_index(qs, order, cap + 1)
    if found is None:
        found = list(qs.order_by().values_list("pk", *fields)[: cap + 1])
    capped = len(found) > cap
    found = found[:cap]
    # One stable sort per order field, the last first: ascending and descending fields mixed.
    for i in reversed(range(len(fields))):
        found.sort(key=lambda row, i=i: row[i + 1], reverse=order[i].startswith("-"))
    count = len(found)
    number = valid_values(PageForm(request.GET)).get("page", 1)
    number = min(number, max(1, math.ceil(count / per_page)))
    offset = (number - 1) * per_page
    ids = [row[0] for row in found[offset : offset + per_page]]
    rows = qs.model._default_manager.filter(pk__in=ids)
    rows.query.select_related = qs.query.select_related
    rows.query.deferred_loading = qs.query.deferred_loading  # ``only()``: the same columns
    page = CappedPage(list(rows.order_by(*order)), number, per_page, count, False)
    page._has_next = offset + per_page < count
    page.search_capped = capped
    page.search_cap = cap
    return page


# The start of the join condition that ``filter_by_name`` writes first on PostgreSQL.
_WORD_JOIN = "exemplars_subject_word.subject_id = "


def _found_in_word_index(qs: QuerySet, order, limit: int) -> list[tuple] | None:
    """PostgreSQL: (id, sort key, id) of at most ``limit`` subjects that ``qs`` keeps, read from
    the word table alone (its indexes carry the subject's unit path and sort key, written by
    its triggers: migrations 0005, 0010) instead of joined to the subjects, which looked each
    of up to 1,001 matches up. Only when ``qs`` is a subject queryset filtered by
    ``filter_by_name`` and by ranges of ``unit_path`` and nothing else (the access layer's
    scope, the unit filter) as wide as a province or wider, in name order; else None, and
    the join is read."""
    from django.db.models.sql.where import AND, ExtraWhere

    from guongsang.core.db import fetch_all

    query = qs.query
    table = qs.model._meta.db_table
    if (
        connection.vendor != "postgresql"
        or table != "exemplars_subject"
        or tuple(order) != ("sort_key", "id")
        or tuple(query.extra_tables) != ("exemplars_subject_word",)
        or set(query.alias_map) - {table}
        or query.distinct
        or query.combinator
        or query.annotations
        or query.extra_select
        or query.low_mark
        or query.high_mark is not None
        or query.where.negated
        or query.where.connector != AND
    ):
        return None
    words, where, params, depth = None, [], [], 0
    for child in query.where.children:
        if isinstance(child, ExtraWhere) and child.sqls and child.sqls[0].startswith(_WORD_JOIN):
            if words is not None:
                return None
            words = child
            continue
        part = _only_paths(child, "exemplars_subject_word.unit_path")
        if part is None:  # a condition on another column: only the subjects can say
            return None
        where.append(part[0])
        params += part[1]
        depth = max(depth, part[2])
    if words is None or depth >= NARROW_PATH:
        # A commune or smaller: its few hundred subjects, read first by their path index and
        # their words checked, beat a walk of the province's entries of the word.
        return None
    # The word conditions (the join's condition has no parameter), then the path ranges.
    sql = (
        "SELECT subject_id, sort_key, subject_id FROM exemplars_subject_word WHERE "  # noqa: S608 (conditions written by this module; values are parameters)
        + " AND ".join(f"({c})" for c in [*words.sqls[1:], *where])
        + " LIMIT %s"
    )
    return fetch_all(sql, [*words.params, *params, limit])


# The triggers that keep the FTS table in step with exemplars_subject (as in migration 0008).
# Django rebuilds a SQLite table (new table, copy, drop, rename) for many schema changes, which
# drops its triggers: ``apps.py`` re-creates any that are missing after every migrate. The table
# is contentless: a row is deleted by giving the values it was indexed with.
# The token is written "'u' || substr(<row>.unit_path, 1, 12)": 12 is SCOPE_WIDTH (a test checks).
FTS_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS exemplars_subject_fts_ai AFTER INSERT ON exemplars_subject "
    "BEGIN INSERT INTO exemplars_subject_fts(rowid, name_folded, scope) "
    "VALUES (new.id, new.name_folded, 'u' || substr(new.unit_path, 1, 12)); END",
    "CREATE TRIGGER IF NOT EXISTS exemplars_subject_fts_ad AFTER DELETE ON exemplars_subject "
    "BEGIN INSERT INTO exemplars_subject_fts(exemplars_subject_fts, rowid, name_folded, scope) "
    "VALUES ('delete', old.id, old.name_folded, 'u' || substr(old.unit_path, 1, 12)); END",
    "CREATE TRIGGER IF NOT EXISTS exemplars_subject_fts_au "
    "AFTER UPDATE OF name_folded, unit_path ON exemplars_subject BEGIN "
    "INSERT INTO exemplars_subject_fts(exemplars_subject_fts, rowid, name_folded, scope) "
    "VALUES ('delete', old.id, old.name_folded, 'u' || substr(old.unit_path, 1, 12)); "
    "INSERT INTO exemplars_subject_fts(rowid, name_folded, scope) "
    "VALUES (new.id, new.name_folded, 'u' || substr(new.unit_path, 1, 12)); END",
]
FTS_FILL = (
    "INSERT INTO exemplars_subject_fts(rowid, name_folded, scope) "
    "SELECT id, name_folded, 'u' || substr(unit_path, 1, 12) FROM exemplars_subject"
)


def ensure_fts_triggers(connection) -> int:
    """Re-create missing FTS triggers on SQLite (and fill the index again if any was missing,
    since writes made without it left the index stale). Returns how many were missing."""
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
                "INSERT INTO exemplars_subject_fts(exemplars_subject_fts) VALUES ('delete-all')"
            )
            cursor.execute(FTS_FILL)
    return len(missing)
