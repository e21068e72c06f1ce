"""The national-scale benchmark: the back-office pages as four accounts, the public column, and
each heavy query against a hand-written SQL query over the same rows (the "floor").

Runs against the database in ``DATABASE_URL`` filled by ``guongsang generate_data`` and leaves it
as it was (the run is one transaction, rolled back). ``make bench`` or
``.venv/bin/python benchmarks/run.py``. Settings (environment):

- ``BENCH_RUNS`` (default 20): timed runs per row, after one warm-up run;
- ``BENCH_ONLY``: comma-separated keys; a row runs when one of them is a substring of its key
  (``home``, ``home_fresh`` (the home page rendered afresh, nothing kept), ``unit_tree``,
  ``unit_search``, ``activity_list``, ``nomination_list``, ``subject_list``, ``subject_search``,
  ``exemplar_list``, ``document_list``, ``summary``, ``board``,
  ``public_list``, ``story``, ``audit_list``, ``audit_failed``, ``job_list``, ``totals``,
  ``board_counts``, ``emulation`` (all its rows: ``emulation_home``, ``emulation_block``,
  ``emulation_scores``, ``emulation_check_queue``, ``emulation_score``,
  ``emulation_ranking_block``, ``emulation_ranking_overall``, ``emulation_schedules``),
  or an account: ``central``,
  ``province``, ``commune``, ``branch``, ``anonymous``, ``bare``), e.g. ``BENCH_ONLY=subject,board``;
- ``BENCH_BUDGET`` (seconds, default 0 = none): stop a row's timed runs once it has used that
  much time (at least 5 runs); the table shows how many runs were made;
- ``BENCH_ACCOUNTS``: other usernames, e.g. ``central=a,province=b,commune=c,branch=d``
  (to try the script on the demo data);
- ``BENCH_OUT``: the results file (default ``benchmarks/results/<date>-<vendor>-<scale>.md``);
- ``BENCH_ALLOW_PENDING=1``: measure a database whose migrations are not all applied (listed in
  the results) instead of stopping.

It is a measurement, not a test: nothing fails on a slow machine. It exits non-zero only when the
database has no generated data or is not migrated (status 2, with the commands to run).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACCOUNT_KEYS = ["central", "province", "commune", "branch"]


def timed(label, fn, runs=30):
    """Print median and p95 of ``runs`` calls of ``fn`` after one warm-up (kept for the older
    scripts ``lists.py`` and ``plans.py``)."""
    s = measure(fn, runs)
    print(f"{label:<58} median {s['median']:8.2f} ms   p95 {s['p95']:8.2f} ms")


def refuse_to_flush() -> None:
    """``lists.py`` and ``plans.py`` empty their database first: never one that
    ``generate_data`` filled (it holds the ``bench.*`` accounts)."""
    from django.db.utils import DatabaseError

    from guongsang.accounts.models import User

    try:
        generated = User.objects.filter(username__in=[f"bench.{k}" for k in ACCOUNT_KEYS]).exists()
    except DatabaseError:  # no schema yet: nothing to lose
        return
    if generated:
        sys.exit(
            "This database holds generate_data's accounts: refusing to empty it. "
            "Use `make bench` on it, or another DATABASE_URL for this script."
        )


def percentile(sorted_samples: list[float], fraction: float) -> float:
    index = max(0, math.ceil(fraction * len(sorted_samples)) - 1)
    return sorted_samples[index]


def measure(fn, runs: int, budget: float = 0.0) -> dict:
    """One warm-up call, then up to ``runs`` timed calls (fewer only when ``budget`` seconds are
    used up, never fewer than 5). Milliseconds."""
    fn()
    samples = []
    started = time.perf_counter()
    with settled():
        for i in range(runs):
            t0 = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t0) * 1000)
            if budget and i >= 4 and time.perf_counter() - started > budget:
                break
    samples.sort()
    return {
        "median": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "n": len(samples),
    }


@contextlib.contextmanager
def settled():
    """The timed runs see the garbage collector as a server process does: the server freezes
    what it holds once started (``guongsang.core.runtime.settle``, called by ``wsgi.py``); here
    what the harness holds by then (accounts, earlier rows' results, a floor's rows) is frozen
    the same way for the runs, and released after them."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def setup_django():
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("DEBUG", "0")  # measure what production runs
    os.environ["DJANGO_SETTINGS_MODULE"] = "guongsang.settings"
    os.environ["BENCH_BARE_VIEW"] = "1"  # the yardstick row: what any request costs here
    import warnings

    import django

    # WhiteNoise warns when var/static/ was never collected: the test client serves no static.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # Production settings except the static manifest (no collectstatic needed here), and the
    # test client's host name.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
    ).enable()


# --------------------------------------------------------------------------------------------
# Hand-written SQL: the floors


def scope_sql(paths: list[str], column: str) -> tuple[str, list]:
    """The access layer's scope (root paths of subtrees) as a WHERE fragment on ``column``."""
    from guongsang.units.models import PATH_END

    if not paths:
        return "1 = 0", []
    if "" in paths:
        return "1 = 1", []
    parts, params = [], []
    for p in paths:
        parts.append(f"({column} >= %s AND {column} < %s)")
        params += [p, p + PATH_END]
    return "(" + " OR ".join(parts) + ")", params


def run_sql(sql: str, params: list) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def with_join_order(sql: str, params: list) -> dict:
    """The query as written, and on SQLite also with its joins in the written order (``CROSS
    JOIN``: walk the first table's ordering index, check the scope row by row), which is the
    better plan for a large scope while the planner prefers the scope first. Both are timed; the
    faster is the floor."""
    from django.db import connection

    variants = {"": lambda: run_sql(sql, params)}
    if connection.vendor == "sqlite":
        ordered = sql.replace(" JOIN ", " CROSS JOIN ")
        variants["order index first"] = lambda: run_sql(ordered, params)
    return variants


def floor_activity_page(paths):
    where, params = scope_sql(paths, "u.path")
    sql = (
        "SELECT a.id, a.date, a.title, a.participants, a.members, u.name, f.name "
        "FROM outreach_activity a JOIN units_unit u ON u.id = a.unit_id "
        "JOIN outreach_activityform f ON f.id = a.form_id "
        f"WHERE {where} ORDER BY a.date DESC, a.id DESC LIMIT 30"
    )
    return with_join_order(sql, params)


# Searches besides "nguyen thi hoa" (three common words): one rare word, two common words,
# word prefixes, an ethnic minority name; all in the generated vocabulary.
MORE_SUBJECT_SEARCHES = [
    ("rare", "prong"),
    ("common", "nguyen thi"),
    ("prefix", "ng th h"),
    ("ethnic", "sung a cha"),
]


def floor_search(tokens, paths):
    return floor_subject_page(paths, tokens)


def floor_subject_page(paths, tokens=()):
    """The first 50 subjects of the scope by sort key (the scope on the subject's own
    ``unit_path``). With ``tokens``, as the search page reads them (``exemplars/search.py``):
    on SQLite those matching the FTS5 word prefixes; on PostgreSQL at most 1,001 matches read
    from the word table by the driving word's prefix range (index only, the other words checked
    on the same entries), then the first 50 of those by sort key."""
    from django.db import connection

    from guongsang.exemplars.search import NARROW_PATH, SCOPE_WIDTH, SEARCH_CAP, driving_word

    where, params = scope_sql(paths, "s.unit_path")
    params = list(params)
    if tokens and connection.vendor == "postgresql":
        driver = driving_word(list(tokens))
        w_scope, w_params = scope_sql(paths, "w.unit_path")
        if paths and all(len(p) >= SCOPE_WIDTH for p in paths):
            # Inside provinces: their entries of the word's range (subject_word_scope_idx).
            provinces = sorted({p[:SCOPE_WIDTH] for p in paths})
            w_scope += f" AND substr(w.unit_path, 1, {SCOPE_WIDTH}) IN ("
            w_scope += ", ".join(["%s"] * len(provinces)) + ")"
            w_params = [*w_params, *provinces]
        others = "".join(" AND w.name_words LIKE %s" for t in tokens if t != driver)
        sql = (
            "WITH m AS MATERIALIZED (SELECT w.subject_id FROM exemplars_subject_word w "
            "WHERE w.word LIKE %s AND strpos(w.name_words, %s) = w.pos + 1"
            f"{others} AND {w_scope} LIMIT {SEARCH_CAP + 1}) "
            "SELECT s.id, s.name, s.kind, u.name FROM m "
            "JOIN exemplars_subject s ON s.id = m.subject_id "
            "JOIN units_unit u ON u.id = s.unit_id ORDER BY s.sort_key, s.id LIMIT 50"
        )
        sql_params = [driver + "%", " " + driver]
        sql_params += [f"% {t}%" for t in tokens if t != driver] + w_params
        # A narrow scope (a commune) is faster read from its own subjects, each checked on
        # the word table: both are timed, the faster is the floor.
        narrow = (
            "SELECT s.id, s.name, s.kind, u.name FROM exemplars_subject s "
            "JOIN units_unit u ON u.id = s.unit_id "
            f"WHERE {where} AND EXISTS (SELECT 1 FROM exemplars_subject_word w "
            "WHERE w.subject_id = s.id AND w.word LIKE %s"
            f"{others}) ORDER BY s.sort_key, s.id LIMIT 50"
        )
        narrow_params = params + [driver + "%"] + [f"% {t}%" for t in tokens if t != driver]
        # The word table carries the sort key (migration exemplars/0010): the 1,001 matches
        # are ordered from the word index alone, and only the 50 shown are read from the
        # subjects.
        keyed = (
            "WITH m AS MATERIALIZED (SELECT w.subject_id, w.sort_key "
            "FROM exemplars_subject_word w "
            "WHERE w.word LIKE %s AND strpos(w.name_words, %s) = w.pos + 1"
            f"{others} AND {w_scope} LIMIT {SEARCH_CAP + 1}), "
            "p AS MATERIALIZED (SELECT subject_id, sort_key FROM m "
            "ORDER BY sort_key, subject_id LIMIT 50) "
            "SELECT s.id, s.name, s.kind, u.name FROM p "
            "JOIN exemplars_subject s ON s.id = p.subject_id "
            "JOIN units_unit u ON u.id = s.unit_id ORDER BY p.sort_key, p.subject_id"
        )
        return {
            "": lambda: run_sql(sql, sql_params),
            "sort key from the words": lambda: run_sql(keyed, sql_params),
            "scope first": lambda: run_sql(narrow, narrow_params),
        }
    variants = {}
    if tokens and paths and all(len(p) >= NARROW_PATH for p in paths):
        # A commune's scope is checked row by row (Django's REGEXP function), as the app does.
        regexps = "".join(" AND s.name_folded REGEXP %s" for _ in tokens)
        narrow = (
            "SELECT s.id, s.name, s.kind, u.name FROM exemplars_subject s "
            "JOIN units_unit u ON u.id = s.unit_id "
            f"WHERE {where}{regexps} ORDER BY s.sort_key, s.id LIMIT 50"
        )
        narrow_params = params + [rf"(?<![^\W_]){t}" for t in tokens]
        variants["scope first"] = lambda: run_sql(narrow, narrow_params)
    if tokens:
        where += (
            " AND s.id IN (SELECT rowid FROM exemplars_subject_fts "
            "WHERE exemplars_subject_fts MATCH %s)"
        )
        # The name column's word prefixes, and the scope's provinces when every path of the
        # scope is a province or deeper (the FTS table's scope tokens, migration 0008).
        match = "name_folded : ({})".format(" ".join(f'"{t}"*' for t in tokens))
        if paths and all(len(p) >= SCOPE_WIDTH for p in paths):
            match += " AND scope : ({})".format(
                " OR ".join(sorted({f'"u{p[:SCOPE_WIDTH]}"' for p in paths}))
            )
        params.append(match)
    sql = (
        "SELECT s.id, s.name, s.kind, u.name FROM exemplars_subject s "
        "JOIN units_unit u ON u.id = s.unit_id "
        f"WHERE {where} ORDER BY s.sort_key, s.id LIMIT 50"
    )
    return {**with_join_order(sql, params), **variants}


def floor_nomination_page(paths):
    where, params = scope_sql(paths, "u.path")
    sql = (
        "SELECT n.id, n.state, n.year, s.name, u.name FROM exemplars_subject s "
        "JOIN exemplars_nomination n ON n.subject_id = s.id "
        "JOIN units_unit u ON u.id = n.proposing_unit_id "
        f"WHERE {where} ORDER BY s.sort_key, n.id LIMIT 50"
    )
    return with_join_order(sql, params)


def floor_audit_page(paths, action=""):
    """The audit log's first page: the scope's newest 51 entries (one more than shown, to know
    whether a next page exists), optionally of one action."""
    where, params = scope_sql(paths, "e.unit_path")
    if action:
        where += " AND e.action = %s"
        params = [*params, action]
    sql = (
        "SELECT e.id, e.time, e.actor_username, e.unit_name, e.action, e.object_label "
        f"FROM audit_auditentry e WHERE {where} ORDER BY e.time DESC, e.id DESC LIMIT 51"
    )
    return lambda: run_sql(sql, params)


def floor_totals(paths, since):
    where, params = scope_sql(paths, "u.path")
    sql = (
        "SELECT f.name, COUNT(*), SUM(a.participants), SUM(a.members) "
        "FROM outreach_activity a JOIN units_unit u ON u.id = a.unit_id "
        "JOIN outreach_activityform f ON f.id = a.form_id "
        f"WHERE {where} AND a.date >= %s GROUP BY f.name ORDER BY f.name"
    )
    return lambda: run_sql(sql, [*params, since])


def floor_board_counts(document_id, today):
    """Counts of the board's task states in one GROUP BY (the rule of plans.models.task_state)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        done_day = "(a.done_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
    else:  # SQLite stores UTC text; Asia/Ho_Chi_Minh is UTC+7 all year
        done_day = "date(a.done_at, '+7 hours')"
    sql = (
        "SELECT CASE WHEN a.done_at IS NOT NULL THEN "
        f"CASE WHEN {done_day} <= t.deadline THEN 'done' ELSE 'late' END "
        "WHEN t.deadline < %s THEN 'overdue' "
        "WHEN r.acknowledged_at IS NOT NULL THEN 'acknowledged' "
        "WHEN r.read_at IS NOT NULL THEN 'read' ELSE 'unread' END AS state, COUNT(*) "
        "FROM plans_assignment a JOIN plans_task t ON t.id = a.task_id "
        "JOIN plans_recipient r ON r.id = a.recipient_id "
        "WHERE t.document_id = %s GROUP BY 1"
    )
    return lambda: run_sql(sql, [today, document_id])


def floor_ranking_overall(organiser_id, year):
    """The overall ranking's rows: the final scores of the organiser's blocks of the year with
    unit and block names and each score's bonus and penalty sums (final points), by total."""
    sql = (
        "SELECT s.id, s.final_total, u.name, b.name, "
        "COALESCE(SUM(CASE WHEN c.kind = 'bonus' THEN l.final_points END), 0), "
        "COALESCE(SUM(CASE WHEN c.kind = 'penalty' THEN l.final_points END), 0) "
        "FROM emulation_score s JOIN emulation_block b ON b.id = s.block_id "
        "JOIN units_unit u ON u.id = s.unit_id "
        "LEFT JOIN emulation_scoreline l ON l.score_id = s.id "
        "LEFT JOIN emulation_pointscriterion c ON c.id = l.criterion_id "
        "AND c.kind IN ('bonus', 'penalty') "
        "WHERE b.organiser_id = %s AND b.year = %s AND s.state = 'final' "
        "GROUP BY s.id, s.final_total, u.name, b.name ORDER BY s.final_total DESC, s.id"
    )
    return lambda: run_sql(sql, [organiser_id, year])


# --------------------------------------------------------------------------------------------
# Environment and data


def sh(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu or platform.machine()}), {mem} RAM"


def code_version() -> str:
    head = sh(["git", "-C", str(ROOT), "log", "-1", "--format=%h"]) or "?"
    dirty = sh(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"])
    return head + (" with uncommitted work of the day" if dirty else "")


def db_description() -> str:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        version = run_sql("SHOW server_version", [])[0][0]
        return f"PostgreSQL {version}, database `{name}`"
    version = run_sql("SELECT sqlite_version()", [])[0][0]
    return f"SQLite {version}, file `{name}`"


def data_counts() -> dict:
    from guongsang.exemplars.models import Exemplar, Nomination, Subject
    from guongsang.outreach.models import Activity, Story
    from guongsang.units.models import Unit

    return {
        "units": Unit.objects.count(),
        "activities": Activity.objects.count(),
        "subjects": Subject.objects.count(),
        "nominations": Nomination.objects.count(),
        "exemplars": Exemplar.objects.count(),
        "stories": Story.objects.count(),
    }


def fail_no_data(reason: str) -> None:
    url = os.environ.get("DATABASE_URL", "(not set: the default SQLite file under var/)")
    print(
        f"benchmark: {reason}\n"
        f"DATABASE_URL={url}\n"
        "Fill the database first, e.g.:\n"
        "  DATABASE_URL=postgres://root@127.0.0.1:5432/gs_province .venv/bin/guongsang migrate\n"
        "  DATABASE_URL=postgres://root@127.0.0.1:5432/gs_province "
        ".venv/bin/guongsang generate_data --scale province\n"
        "(--scale national for the whole union; see benchmarks/README.md)",
        file=sys.stderr,
    )
    sys.exit(2)


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def load_accounts() -> dict:
    from guongsang.accounts.models import User

    names = {k: f"bench.{k}" for k in ACCOUNT_KEYS}
    for item in filter(None, os.environ.get("BENCH_ACCOUNTS", "").split(",")):
        key, _, username = item.partition("=")
        names[key.strip()] = username.strip()
    users = {u.username: u for u in User.objects.filter(username__in=names.values())}
    missing = [n for n in names.values() if n not in users]
    if missing:
        fail_no_data(f"account(s) {', '.join(missing)} not found (no generated data?)")
    return {k: users[n] for k, n in names.items()}


def scale_name(counts: dict) -> str:
    if counts["units"] > 50_000:
        return "national"
    if counts["activities"] > 50_000:
        return "province"
    return "small"


# --------------------------------------------------------------------------------------------
# The run


class Bench:
    def __init__(self):
        self.runs = int(os.environ.get("BENCH_RUNS", "20"))
        self.budget = float(os.environ.get("BENCH_BUDGET", "0"))
        self.only = [s.strip() for s in os.environ.get("BENCH_ONLY", "").split(",") if s.strip()]
        self.page_rows: list[dict] = []
        self.query_rows: list[dict] = []
        self.floors: dict[tuple, dict] = {}
        self.load_before = (0.0, 0.0, 0.0)

    def wanted(self, key: str) -> bool:
        return not self.only or any(o in key for o in self.only)

    def floor(self, name: str, account: str, fn) -> dict:
        """Time a floor; ``fn`` may be a dict of variants {label: fn}: the fastest one counts."""
        cache_key = (name, account)
        if cache_key not in self.floors:
            variants = fn if isinstance(fn, dict) else {"": fn}
            best = None
            for variant, f in variants.items():
                stats = {**measure(f, self.runs, self.budget), "rows": len(f()), "variant": variant}
                if best is None or stats["median"] < best["median"]:
                    best = stats
            self.floors[cache_key] = best
        return self.floors[cache_key]

    def page(self, key: str, label: str, account: str, client, url: str, floor=None, before=None):
        """``before``: called before each request, timed with it (the home page "rendered
        afresh" forgets the page kept for the account)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if not self.wanted(f"{key} {account}"):
            return
        print(f"  {label} as {account} …", end="", flush=True)

        def get(url):
            if before is not None:
                before()
            return client.get(url)

        try:
            response = get(url)  # warm-up, status and size
        except Exception as exc:  # a view that fails here is reported, the run goes on
            print(f" failed: {exc.__class__.__name__}: {exc}")
            self.page_rows.append(
                {"label": label, "account": account, "error": exc.__class__.__name__}
            )
            return
        with CaptureQueriesContext(connection) as ctx:
            response = get(url)
        n_queries = len(ctx.captured_queries)  # before request_started resets the log
        stats = measure(lambda: get(url), self.runs, self.budget)
        row = {
            "label": label,
            "account": account,
            **stats,
            "queries": n_queries,
            "status": response.status_code,
            "kb": len(response.content) / 1024,
            "url": url,
        }
        if floor is not None:
            name, fn = floor
            f = self.floor(name, account, fn)
            row["floor"] = f["median"]
            row["floor_name"] = name
            self.query_rows.append(
                {
                    "label": f"{name} (page: {label})"
                    + (f" [floor: {f['variant']}]" if f["variant"] else ""),
                    "account": account,
                    "orm": stats["median"],
                    "orm_p95": stats["p95"],
                    "floor": f["median"],
                    "floor_p95": f["p95"],
                    "rows": f["rows"],
                    "what": "page",
                }
            )
        self.page_rows.append(row)
        print(f" {stats['median']:.1f} ms (p95 {stats['p95']:.1f}, n={stats['n']})")

    def query(self, key: str, label: str, account: str, orm, floor_fn):
        if not self.wanted(f"{key} {account}"):
            return
        print(f"  {label} …", end="", flush=True)
        orm_stats = measure(orm, self.runs, self.budget)
        rows = len(floor_fn())
        f = measure(floor_fn, self.runs, self.budget)
        self.query_rows.append(
            {
                "label": label,
                "account": account,
                "orm": orm_stats["median"],
                "orm_p95": orm_stats["p95"],
                "floor": f["median"],
                "floor_p95": f["p95"],
                "rows": rows,
                "what": "ORM",
            }
        )
        print(f" {orm_stats['median']:.1f} ms vs floor {f['median']:.1f} ms")


def measure_all(bench: Bench, accounts: dict) -> None:
    from django.db.models import Count, Sum
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from guongsang.outreach import access as oa
    from guongsang.plans import queries as plan_queries
    from guongsang.plans.models import DocStatus, Document
    from guongsang.reports import home_views
    from guongsang.units import access
    from guongsang.units.access import Perm
    from guongsang.units.models import UnitKind

    today = timezone.localdate()
    # The generated national plan: issued by the central union, the most recipients.
    issued = Document.objects.filter(status=DocStatus.ISSUED).annotate(n=Count("recipients"))
    plan = (
        issued.filter(unit__kind=UnitKind.CENTRAL).order_by("-n", "pk").first()
        or issued.order_by("-n", "pk").first()
    )
    story_slug = (
        oa.public_stories().order_by("-published_at", "-pk").values_list("slug", flat=True).first()
    )

    q_subject = "nguyen thi hoa"
    pages = [
        ("home", "Home", reverse("home"), None),
        ("unit_tree", "Unit tree", reverse("units:tree"), None),
        ("unit_search", "Unit search “na”", reverse("units:search") + "?q=na", None),
        ("activity_list", "Activity list", reverse("outreach:activity_list"), "activity_page"),
        (
            "nomination_list",
            "Nomination list",
            reverse("exemplars:nomination_list"),
            "nomination_page",
        ),
        ("subject_list", "Subject list", reverse("exemplars:subject_list"), "subject_page"),
        (
            "subject_search",
            f"Subject search “{q_subject}”",
            reverse("exemplars:subject_list") + "?q=" + q_subject.replace(" ", "+"),
            "subject_search",
        ),
        *(
            (
                f"subject_search_{kind}",
                f"Subject search “{q}”",
                reverse("exemplars:subject_list") + "?q=" + q.replace(" ", "+"),
                f"subject_search_{kind}",
            )
            for kind, q in MORE_SUBJECT_SEARCHES
        ),
        ("exemplar_list", "Exemplar registry", reverse("exemplars:exemplar_list"), None),
        ("document_list", "Document list", reverse("plans:list"), None),
        # Sơ kết / tổng kết as the menu opens it: her top unit, this year so far (for the
        # central account the whole country, whose target is 1 s: issue 8, point 8).
        ("summary", "Summary (sơ kết), this year", reverse("reports:summary"), None),
    ]
    floor_makers = {
        "activity_page": lambda paths: floor_activity_page(paths),
        "nomination_page": lambda paths: floor_nomination_page(paths),
        "subject_page": lambda paths: floor_subject_page(paths),
        "subject_search": lambda paths: floor_subject_page(paths, q_subject.split()),
        **{
            f"subject_search_{kind}": functools.partial(floor_search, q.split())
            for kind, q in MORE_SUBJECT_SEARCHES
        },
    }
    for account in ACCOUNT_KEYS:
        user = accounts[account]
        client = Client()
        client.force_login(user)
        paths = access.scope_paths(type(user).objects.get(pk=user.pk))
        print(f"{account} ({user.username}, scope {len(paths)} root path(s)):")
        for key, label, url, floor_name in pages:
            floor = (floor_name, floor_makers[floor_name](paths)) if floor_name else None
            bench.page(key, label, account, client, url, floor)
            if key == "home":  # the row above is the page kept for her; this one renders it
                bench.page(
                    "home_fresh",
                    "Home, rendered afresh (nothing kept)",
                    account,
                    client,
                    url,
                    before=home_views._KEPT.clear,
                )
        if account in ("central", "province"):  # the audit log is for admins (MANAGE)
            manage_paths = access.scope_paths(type(user).objects.get(pk=user.pk), Perm.MANAGE)
            for key, label, query, action in (
                ("audit_list", "Audit log", "", ""),
                (
                    "audit_failed",
                    "Audit log, failed logins",
                    "?thao_tac=login_failed",
                    "login_failed",
                ),
            ):
                bench.page(
                    key,
                    label,
                    account,
                    client,
                    reverse("audit:list") + query,
                    (key, floor_audit_page(manage_paths, action)),
                )
        bench.page("job_list", "Background jobs", account, client, reverse("jobs:list"))
        if account == "central" and plan is not None:
            bench.page(
                "board",
                f"Plan board ({plan.n:,} recipients)",
                account,
                client,
                reverse("plans:board", args=[plan.pk]),
                ("board_counts", floor_board_counts(plan.pk, today)),
            )
    anonymous = Client()
    print("anonymous:")
    bench.page("bare", "Bare one-query view (yardstick)", "anonymous", anonymous, "/bench/bare/")
    bench.page(
        "public_list", "Public column list", "anonymous", anonymous, reverse("public:story_list")
    )
    if story_slug:
        bench.page(
            "story",
            "Story page",
            "anonymous",
            anonymous,
            reverse("public:story_detail", args=[story_slug]),
        )

    measure_emulation(bench, accounts, today)

    print("queries:")
    province_user = type(accounts["province"]).objects.get(pk=accounts["province"].pk)
    province_paths = access.scope_paths(province_user)
    since = today - dt.timedelta(days=365)
    bench.query(
        "totals",
        "Activity totals by form, province, 12 months",
        "province",
        lambda: list(
            oa.activities_for(province_user)
            .filter(date__gte=since)
            .order_by()
            .values("form__name")
            .annotate(n=Count("*"), people=Sum("participants"), of_members=Sum("members"))
            .order_by("form__name")
        ),
        floor_totals(province_paths, since),
    )
    if plan is not None:
        bench.query(
            "board_counts",
            f"Plan board counts ({plan.n:,} recipients), plans.queries.board()",
            "central",
            lambda: plan_queries.board(plan, today=today).counts,
            floor_board_counts(plan.pk, today),
        )


def measure_emulation(bench: Bench, accounts: dict, today) -> None:
    """The emulation pages of the year (issue 13): the home, the biggest cluster of
    ``bench.province``'s province (its page, its ranking, a checked score's page at the final
    step), ``bench.commune``'s scores and check queue (it leads that cluster), the province's
    overall ranking against its floor, and the schedule list."""
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from guongsang.emulation.models import Block, Score, ScoreState

    province = accounts["province"]
    year = today.year
    cluster = (
        Block.objects.filter(organiser_id=province.unit_id, year=year)
        .annotate(n=Count("members"))
        .order_by("-n", "pk")
        .first()
    )
    if cluster is None:
        print("emulation: no blocks of the year (data generated before the emulation step?)")
        return
    checked = Score.objects.filter(block=cluster, state=ScoreState.CHECKED).order_by("pk").first()
    clients = {}
    for account in ("province", "commune"):
        clients[account] = Client()
        clients[account].force_login(accounts[account])
    print(f"emulation ({cluster.name}, {cluster.n} members):")
    rows = [
        ("emulation_home", "Emulation home", "province", reverse("emulation:home"), None),
        ("emulation_home", "Emulation home", "commune", reverse("emulation:home"), None),
        (
            "emulation_block",
            f"Emulation cluster page ({cluster.n} members)",
            "province",
            reverse("emulation:block_detail", args=[cluster.pk]),
            None,
        ),
        ("emulation_scores", "Emulation score list", "commune", reverse("emulation:scores"), None),
        (
            "emulation_check_queue",
            "Emulation check queue (cluster leader)",
            "commune",
            reverse("emulation:check_queue"),
            None,
        ),
        *(
            [
                (
                    "emulation_score",
                    "Emulation score page, final step (checked score)",
                    "province",
                    reverse("emulation:score", args=[checked.pk]),
                    None,
                )
            ]
            if checked is not None
            else []
        ),
        *(
            (
                "emulation_ranking_block",
                f"Emulation cluster ranking ({cluster.n} members)",
                account,
                reverse("emulation:ranking_block", args=[cluster.pk]),
                None,
            )
            for account in ("province", "commune")
        ),
        (
            "emulation_ranking_overall",
            "Emulation overall ranking of the province",
            "province",
            reverse("emulation:ranking_overall", args=[province.unit_id]),
            ("emulation_ranking_overall", floor_ranking_overall(province.unit_id, year)),
        ),
        *(
            (
                "emulation_schedules",
                "Emulation schedule list",
                account,
                reverse("emulation:schedules"),
                None,
            )
            for account in ("province", "commune")
        ),
    ]
    for key, label, account, url, floor in rows:
        bench.page(key, label, account, clients[account], url, floor)


def main():
    setup_django()
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite" and not Path(str(name)).exists():
        fail_no_data(f"no database file {name}")  # (connecting would create an empty one)
    try:
        counts = data_counts()
    except DatabaseError as exc:
        fail_no_data(f"the schema is missing ({exc.__class__.__name__}: {exc})".strip())
    if not counts["units"]:
        fail_no_data("the database is empty")
    pending = pending_migrations()
    if pending and os.environ.get("BENCH_ALLOW_PENDING") != "1":
        fail_no_data(
            f"migration(s) not applied: {', '.join(pending)}; run `.venv/bin/guongsang migrate` "
            "on it first (or BENCH_ALLOW_PENDING=1 to measure the schema as it is)"
        )
    accounts = load_accounts()
    bench = Bench()
    bench.load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)
    print(
        f"Benchmark on {db_description()}: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        + f"; {bench.runs} runs per row"
    )

    # Logging in writes a session and last_login, a story view counts itself: all rolled back.
    outer = transaction.atomic()
    outer.__enter__()
    try:
        measure_all(bench, accounts)
    finally:
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    report = render_report(bench, counts, started, connection.vendor, pending)
    print()
    print(report)
    out = os.environ.get("BENCH_OUT") or str(
        ROOT / "benchmarks" / "results" / f"{started:%Y-%m-%d}-{connection.vendor}-"
        f"{scale_name(counts)}.md"
    )
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(report, encoding="utf-8")
    print(f"written to {out}")


def fmt(ms: float) -> str:
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"


def render_report(bench: Bench, counts: dict, started, vendor: str, pending: list) -> str:
    lines = [
        f"## {started:%Y-%m-%d %H:%M} UTC, {vendor}, {scale_name(counts)} data",
        "",
        f"- Code: `{code_version()}`",
        f"- Database: {db_description()}",
        "- Data: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()),
        *([f"- Migrations not applied to this database: {', '.join(pending)}"] if pending else []),
        f"- Machine: {machine()}; Python {platform.python_version()}; load average (1, 5, 15 min) "
        f"{' '.join(f'{x:.1f}' for x in bench.load_before)} at the start, "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end (other work shares the cores)",
        f"- {bench.runs} timed runs per row after one warm-up"
        + (f", at most {bench.budget:g} s per row" if bench.budget else "")
        + "; times in ms; DEBUG off",
        "",
        "| Page | Account | Median | p95 | Runs | Queries | Status | KB | Floor | Page / floor |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in bench.page_rows:
        if "error" in r:
            lines.append(f"| {r['label']} | {r['account']} | | | | | {r['error']} | | | |")
            continue
        floor = fmt(r["floor"]) if "floor" in r else ""
        ratio = f"{r['median'] / r['floor']:,.1f}×" if r.get("floor") else ""
        lines.append(
            f"| {r['label']} | {r['account']} | {fmt(r['median'])} | {fmt(r['p95'])} | {r['n']} "
            f"| {r['queries']} | {r['status']} | {r['kb']:,.0f} | {floor} | {ratio} |"
        )
    if bench.query_rows:
        lines += [
            "",
            "Heavy queries against their floor (hand-written SQL over the same rows, same run):",
            "",
            "| Query | Account | Page or ORM median | p95 | Floor median | Floor p95 "
            "| Floor rows | Ratio |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in bench.query_rows:
            ratio = f"{r['orm'] / r['floor']:,.1f}×" if r["floor"] else ""
            lines.append(
                f"| {r['label']} | {r['account']} | {fmt(r['orm'])} ({r['what']}) "
                f"| {fmt(r['orm_p95'])} | {fmt(r['floor'])} | {fmt(r['floor_p95'])} "
                f"| {r['rows']:,} | {ratio} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
