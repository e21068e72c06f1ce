"""Name search over subjects: the word table on PostgreSQL (kept by triggers), FTS5 on SQLite,
the same results on both; the search is scoped on the subject's own unit path, reads an index
that a LIMIT stops, and pages its bounded matches in name order in two queries."""

import re
from importlib import import_module

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from guongsang.core.bulk import bulk_create
from guongsang.exemplars import access as ex
from guongsang.exemplars import queries, services
from guongsang.exemplars.models import Subject, SubjectKind
from guongsang.exemplars.search import (
    SCOPE_WIDTH,
    driving_word,
    filter_by_name,
    name_words,
    search_page,
)
from tests.explain import query_plan

NAMES = [
    "Nguyễn Thị Hoa",
    "Nguyễn Thị Hòa",
    "Hoàng Thị Hoa",
    "Đàm Thị Lan",
    "Dương Văn Đức",
    "H'Hen Niê",
    "Sùng A Chả",
    "Lò Thị Ơn",
]


def found(qs, query) -> set[str]:
    return set(filter_by_name(qs, query).values_list("name", flat=True))


@pytest.fixture
def named(world):
    cast = world.cast
    return bulk_create(
        Subject,
        [
            Subject(kind=SubjectKind.INDIVIDUAL, unit=unit, name=name)
            for unit in (cast.branch_a, cast.commune_b)
            for name in NAMES
        ],
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hoa nguyen", {"Nguyễn Thị Hoa", "Nguyễn Thị Hòa"}),  # any order
        ("HÒA thị", {"Nguyễn Thị Hoa", "Nguyễn Thị Hòa", "Hoàng Thị Hoa"}),
        ("ho", {"Nguyễn Thị Hoa", "Nguyễn Thị Hòa", "Hoàng Thị Hoa"}),  # one subject, once
        ("đức", {"Dương Văn Đức"}),
        ("duc duong", {"Dương Văn Đức"}),
        ("ng th h", {"Nguyễn Thị Hoa", "Nguyễn Thị Hòa"}),
        ("oa", set()),
        ("hen", {"H'Hen Niê"}),
        ("sung a cha", {"Sùng A Chả"}),
        ("on lo", {"Lò Thị Ơn"}),
        ("hoa\x00nguyen\x07", {"Nguyễn Thị Hoa", "Nguyễn Thị Hòa"}),
        ("100% _ 'hoa'", set()),
    ],
)
def test_each_word_starts_a_word_of_the_name(named, world, query, expected):
    assert found(Subject.objects.all(), query) == expected
    # The same for a commune's scope, which SQLite checks row by row instead of through FTS5.
    assert found(ex.subjects_for(world.cast.a_staff), query) == expected
    # Each subject once: a name with two words starting with the driving word is one row.
    names = list(filter_by_name(Subject.objects.all(), query).values_list("name", flat=True))
    assert len(names) == 2 * len(expected)


def test_the_scope_narrows_the_search(named, world):
    cast = world.cast
    for user, units in ((cast.a_staff, 1), (cast.b_staff, 1), (cast.province_admin, 2)):
        qs = ex.subjects_for(user)
        assert filter_by_name(qs, "hoa").count() == 3 * units
        assert filter_by_name(qs, "nguyen thi hoa").count() == 2 * units
    filters = queries.ListFilters(unit=cast.commune_b, q="nguyen thi hoa")
    qs = queries.filter_subjects(ex.subjects_for(cast.province_admin), filters)
    assert set(qs.values_list("unit_path", flat=True)) == {cast.commune_b.path}
    assert filter_by_name(ex.subjects_for(cast.outsider), "hoa").count() == 0


def test_the_driving_word_is_the_rarest_expected():
    assert driving_word(name_words("Nguyễn Thị Hoa")) == "hoa"
    assert driving_word(name_words("nguyen thi")) == "nguyen"
    assert driving_word(name_words("Sùng A Chả")) == "sung"
    assert driving_word(name_words("lan le")) == "lan"
    # A single letter starts a third or more of all names ("h": 34 % of the national data's
    # subjects, "ng": 28 %): a two-letter word drives before it.
    assert driving_word(name_words("ng th h")) == "ng"


def test_the_word_table_follows_writes(world):
    cast = world.cast
    subject = services.subject_create(
        by=cast.a_staff, unit=cast.branch_a, kind=SubjectKind.HOUSEHOLD, name="Lục Thị Xuân"
    )
    assert found(Subject.objects.all(), "xuan luc") == {"Lục Thị Xuân"}
    services.subject_update(by=cast.a_staff, subject=subject, name="Lục Thị Xuyến")
    assert found(Subject.objects.all(), "xuan") == set()
    assert found(Subject.objects.all(), "xuyen") == {"Lục Thị Xuyến"}
    subject.delete()
    assert found(Subject.objects.all(), "xuyen") == set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM exemplars_subject_word")
            assert cursor.fetchone() == (0,)


def test_unit_path_is_filled_on_save_and_in_bulk(world):
    cast = world.cast
    subject = services.subject_create(
        by=cast.a_staff, unit=cast.branch_a, kind=SubjectKind.HOUSEHOLD, name="Mã Thị Dung"
    )
    assert Subject.objects.get(pk=subject.pk).unit_path == cast.branch_a.path
    [bulk] = bulk_create(Subject, [Subject(kind="individual", unit=cast.commune_b, name="A")])
    assert Subject.objects.get(pk=bulk.pk).unit_path == cast.commune_b.path


@pytest.mark.parametrize("who", ["superuser", "province_admin", "a_staff"])
def test_search_reads_the_word_index(named, world, who, django_user_model):
    cast = world.cast
    user = getattr(cast, who, None) or django_user_model.objects.create_superuser(
        "root", password="x", full_name="Root"
    )
    qs = filter_by_name(ex.subjects_for(user), "nguyen thi hoa").order_by().values("id")[:1001]
    text = query_plan(qs, forbid_sort=False)
    if connection.vendor == "sqlite" and who == "a_staff":
        # A commune: its own subjects by their path range, no FTS.
        assert "subject_path_sort_idx" in text and "exemplars_subject_fts" not in text, text
    elif connection.vendor == "sqlite":
        assert "exemplars_subject_fts" in text and "VIRTUAL TABLE" in text, text
        assert "SCAN exemplars_subject " not in text + " ", text
    else:
        # The driving word's range in the word index (an index-only walk on national data;
        # a tiny test table may get a bitmap scan). The whole country: the index led by the
        # word. Inside a province: the index led by the province, then the word (migration
        # 0009), the scope's path ranges checked on its entries.
        assert re.search(r"Index Cond: .*word(\)::text)? >= 'hoa'::text", text), text
        if who == "superuser":
            assert "subject_word_idx" in text, text
        else:
            assert "subject_word_scope_idx" in text, text
            province = cast.province.path[:SCOPE_WIDTH]
            word_scan = text.split("subject_word_scope_idx", 1)[1]
            assert f"(substr((unit_path)::text, 1, 12)) = '{province}'" in word_scan, text
            assert "(unit_path >= '" in word_scan or "(unit_path)::text >= '" in word_scan, text


def test_search_page_is_two_queries_in_name_order(named, world, rf=RequestFactory()):
    cast = world.cast
    qs = queries.filter_subjects(ex.subjects_for(cast.province_admin), queries.ListFilters(q="th"))
    request = rf.get("/", {"page": "1"})
    with CaptureQueriesContext(connection) as ctx:
        page = search_page(qs, request, order=queries.SUBJECT_ORDER, per_page=5, cap=8)
    assert len(ctx) == 2
    assert page.count == 8 and page.search_capped  # 10 match, the first 8 found are listed
    assert page.has_next() and len(page) == 5
    keys = [s.sort_key for s in page]
    assert keys == sorted(keys)
    last = search_page(qs, rf.get("/", {"page": "9"}), order=queries.SUBJECT_ORDER, per_page=5)
    assert last.number == 2 and not last.has_next() and len(last) == 5
    assert not last.search_capped


@pytest.mark.django_db
def test_generated_subjects_carry_their_unit_path_and_words():
    import datetime as dt

    from django.db.models import F

    from guongsang.core.text import fold
    from guongsang.scale.generate import generate

    generate(scale="province", seed=3, today=dt.date(2026, 12, 2), communes_limit=1)
    subjects = Subject.objects.all()
    assert subjects.count() > 100
    assert not subjects.exclude(unit_path=F("unit__path")).exists()
    if connection.vendor == "postgresql":
        # The word table was written by its trigger from the generator's COPY.
        # One row per word of each name, repeats included.
        names = subjects.values_list("name", flat=True)
        words = sum(len(re.findall(r"[^\W_]+", fold(n))) for n in names)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM exemplars_subject_word")
            assert cursor.fetchone() == (words,)
            # Each with its subject's unit path and sort key (migrations 0005, 0010).
            cursor.execute(
                "SELECT count(*) FROM exemplars_subject_word w JOIN exemplars_subject s "
                "ON s.id = w.subject_id WHERE (w.unit_path, w.sort_key) <> (s.unit_path, s.sort_key)"
            )
            assert cursor.fetchone() == (0,)
    for subject in subjects.order_by("?")[:10]:
        assert subject in filter_by_name(Subject.objects.all(), subject.name)


# ---- SQLite: the province token in the FTS table ---------------------------------------------
def test_scope_tokens_name_the_provinces_of_a_scope(world, django_user_model):
    from guongsang.exemplars.search import SCOPE_WIDTH, scope_tokens

    cast = world.cast
    province = cast.province.path[:SCOPE_WIDTH]
    assert len(cast.province.path) == SCOPE_WIDTH
    assert scope_tokens(ex.subjects_for(cast.province_admin).query.where) == ["u" + province]
    # A commune's scope is inside its province; a unit filter keeps the province's token.
    assert scope_tokens(ex.subjects_for(cast.a_staff).query.where) == ["u" + province]
    filters = queries.ListFilters(unit=cast.commune_b)
    narrowed = queries.filter_subjects(ex.subjects_for(cast.province_admin), filters)
    assert scope_tokens(narrowed.query.where) == ["u" + province]
    # The whole country (or no scope) says nothing: the FTS table is read for every province.
    root = django_user_model.objects.create_superuser("root", password="x", full_name="Root")
    assert scope_tokens(ex.subjects_for(root).query.where) is None
    assert scope_tokens(Subject.objects.all().query.where) is None
    # Two provinces: either token.
    both = Subject.objects.filter(
        unit_path__gte=cast.province.path, unit_path__lt=cast.province.path + "~"
    ) | Subject.objects.filter(unit_path=cast.other_province.path)
    assert scope_tokens(both.query.where) == sorted(
        {"u" + province, "u" + cast.other_province.path[:SCOPE_WIDTH]}
    )
    # A bound that is not a prefix (a lone "from") says nothing either.
    assert scope_tokens(Subject.objects.filter(unit_path__gte=province).query.where) is None


def test_the_province_token_follows_a_subject_that_moves(named, world):
    cast = world.cast
    mine = ex.subjects_for(cast.province_admin)
    theirs = ex.subjects_for(cast.outsider)
    subject = Subject.objects.get(unit=cast.branch_a, name="Sùng A Chả")
    assert found(mine, "sung a cha") == {"Sùng A Chả"} and found(theirs, "sung a cha") == set()
    _sql, params = filter_by_name(mine, "sung").query.sql_with_params()
    if connection.vendor == "sqlite":  # the province's search is narrowed inside FTS5
        assert f'name_folded : ("sung"*) AND scope : ("u{cast.province.path}")' in params
    else:  # ... or to the province's entries of the word index
        assert "substr(exemplars_subject_word.unit_path, 1, 12) IN (%s)" in _sql
        assert cast.province.path in params
    other = cast.other_province.children.first() or cast.other_province
    subject.unit = other
    subject.save()
    assert Subject.objects.get(pk=subject.pk).unit_path == other.path
    assert filter_by_name(mine, "sung a cha").count() == 1  # the one at commune B stays
    assert found(theirs, "sung a cha") == {"Sùng A Chả"}
    subject.delete()
    assert found(theirs, "sung a cha") == set()


def test_a_query_word_never_matches_the_scope_tokens(named, world):
    # Every row's province token starts with "u": a word "u" or a token itself finds names only.
    cast = world.cast
    assert found(Subject.objects.all(), "u") == set()
    assert found(ex.subjects_for(cast.province_admin), "u" + cast.province.path) == set()
    Subject.objects.create(kind=SubjectKind.INDIVIDUAL, unit=cast.branch_a, name="Lò Thị Út")
    assert found(ex.subjects_for(cast.province_admin), "u") == {"Lò Thị Út"}


def test_the_fts_triggers_write_the_token_of_scope_width():
    from guongsang.exemplars.search import FTS_FILL, FTS_TRIGGERS, SCOPE_WIDTH

    assert SCOPE_WIDTH == 12
    for sql in [*FTS_TRIGGERS, FTS_FILL]:
        assert "unit_path, 1, 12)" in sql
    # PostgreSQL's index led by the province (0009) has the same width as the search's filter.
    scope_index = import_module("guongsang.exemplars.migrations.0009_subject_word_scope_index")
    assert "(substr(unit_path, 1, 12), word)" in scope_index.INDEX
    rebuilt = import_module("guongsang.exemplars.migrations.0010_subject_word_sort_key")
    assert any("(substr(unit_path, 1, 12), word)" in sql for sql in rebuilt.FORWARD)


def _search_ids(qs, query, rf=RequestFactory()) -> list[int]:
    page = search_page(
        queries.filter_subjects(qs, queries.ListFilters(q=query)),
        rf.get("/"),
        order=queries.SUBJECT_ORDER,
        per_page=50,
    )
    return [s.pk for s in page]


@pytest.mark.parametrize("query", ["nguyen thi hoa", "th", "h", "sung a cha", "zz"])
@pytest.mark.parametrize("who", ["superuser", "province_admin", "a_staff"])
def test_a_search_read_from_the_word_index_alone_finds_what_the_join_finds(
    named, world, who, query, django_user_model, monkeypatch
):
    """PostgreSQL reads a search scoped by paths only, a province or wider, from the word table
    (its sort keys beside the words, migration 0010), without the subjects: the same subjects,
    in the same order."""
    from guongsang.exemplars import search

    cast = world.cast
    user = getattr(cast, who, None) or django_user_model.objects.create_superuser(
        "root", password="x", full_name="Root"
    )
    qs = ex.subjects_for(user)
    read = []
    real = search._found_in_word_index

    def spy(*args):
        rows = real(*args)
        read.append(rows is not None)
        return rows

    monkeypatch.setattr(search, "_found_in_word_index", spy)
    alone = _search_ids(qs, query)
    # A commune's scope reads its subjects first (their path index), then their words.
    assert read == [connection.vendor == "postgresql" and who != "a_staff"]
    monkeypatch.setattr(search, "_found_in_word_index", lambda *args: None)
    assert alone == _search_ids(qs, query)
    names = set(Subject.objects.filter(pk__in=alone).values_list("name", flat=True))
    assert names == found(qs, query) or len(alone) == 50


def test_a_search_by_an_account_without_a_role_finds_nothing(named, django_user_model):
    """No role, no scope: the access layer's empty filter is no path range, so the word table
    is not read alone, and the search finds nothing."""
    from guongsang.exemplars import search

    nobody = django_user_model.objects.create_user("nobody", password="x", full_name="Không ai")
    qs = queries.filter_subjects(ex.subjects_for(nobody), queries.ListFilters(q="nguyen thi"))
    assert search._found_in_word_index(qs, queries.SUBJECT_ORDER, 10) is None
    page = search_page(qs, RequestFactory().get("/"), order=queries.SUBJECT_ORDER)
    assert list(page) == [] and page.count == 0


def test_a_search_with_another_condition_reads_the_subjects(named, world, monkeypatch):
    """A filter on anything but the unit path (the kind) cannot be said on the word table: the
    search joins the subjects."""
    from guongsang.exemplars import search

    cast = world.cast
    Subject.objects.filter(name="Lò Thị Ơn").update(kind=SubjectKind.HOUSEHOLD)
    qs = queries.filter_subjects(
        ex.subjects_for(cast.province_admin),
        queries.ListFilters(q="thi", kind=SubjectKind.HOUSEHOLD),
    )
    assert search._found_in_word_index(qs, queries.SUBJECT_ORDER, 10) is None
    page = search_page(qs, RequestFactory().get("/"), order=queries.SUBJECT_ORDER)
    assert {s.name for s in page} == {"Lò Thị Ơn"}


def test_the_word_table_follows_a_sort_key_that_changes_alone(named, world):
    """A name changed only in its marks keeps its folded words; its sort key changes, and the
    word table's copy with it (the update trigger of migration 0010)."""
    if connection.vendor != "postgresql":
        pytest.skip("the word table is PostgreSQL's")
    subject = Subject.objects.filter(name="Nguyễn Thị Hòa").first()
    subject.name = "Nguyễn Thị Hoà"  # the tone mark on the other vowel: same folded name
    subject.save()
    subject.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT sort_key FROM exemplars_subject_word WHERE subject_id = %s",
            [subject.pk],
        )
        assert cursor.fetchall() == [(subject.sort_key,)]
        cursor.execute(
            "SELECT count(*) FROM exemplars_subject_word w JOIN exemplars_subject s "
            "ON s.id = w.subject_id WHERE w.sort_key <> s.sort_key"
        )
        assert cursor.fetchone() == (0,)
