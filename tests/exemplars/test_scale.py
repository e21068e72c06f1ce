"""Lists that scale: ordered and paginated by the database on an index, a constant number of
queries whatever the number of rows, the Vietnamese name order kept, and a word-prefix search
that uses FTS5 (SQLite) or the word table (PostgreSQL) with the same results on both."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guongsang.core.bulk import bulk_create
from guongsang.core.pagination import paginate
from guongsang.core.text import person_sort_key, vi_sort_key
from guongsang.exemplars import access as ex
from guongsang.exemplars import queries
from guongsang.exemplars.models import (
    Category,
    Exemplar,
    Nomination,
    Subject,
    SubjectKind,
    subject_sort_text,
)
from guongsang.exemplars.search import ensure_fts_triggers, filter_by_name, name_words
from tests.explain import query_plan

from .conftest import this_year

# Tricky names: Ă/Â/Đ, tones, the same given name in different families, tone placement
# ("Hoà"/"Hòa"), ethnic minority names, collectives among people.
TRICKY = [
    (SubjectKind.INDIVIDUAL, "Đàm Thị Lan"),
    (SubjectKind.INDIVIDUAL, "Dương Thị Lan"),
    (SubjectKind.INDIVIDUAL, "Bế Thị Lan"),
    (SubjectKind.INDIVIDUAL, "Âu Thị Ánh"),
    (SubjectKind.INDIVIDUAL, "Lý Thị Anh"),
    (SubjectKind.INDIVIDUAL, "Hà Thị Ân"),
    (SubjectKind.INDIVIDUAL, "Mã Thị Ăn"),
    (SubjectKind.INDIVIDUAL, "Nông Thị Hoà"),
    (SubjectKind.INDIVIDUAL, "Nông Thị Hòa"),
    (SubjectKind.INDIVIDUAL, "Nông Thị Hoa"),
    (SubjectKind.INDIVIDUAL, "Nông Thị Họa"),
    (SubjectKind.INDIVIDUAL, "Nguyễn Thị Hoa"),
    (SubjectKind.INDIVIDUAL, "H'Hen Niê"),
    (SubjectKind.INDIVIDUAL, "Lò Thị Ơn"),
    (SubjectKind.INDIVIDUAL, "Triệu Thị Ư"),
    (SubjectKind.HOUSEHOLD, "Hoàng Văn Đức"),
    (SubjectKind.HOUSEHOLD, "Hoàng Văn Duc"),
    (SubjectKind.COLLECTIVE, "Chi hội Nà Pàn"),
    (SubjectKind.COLLECTIVE, "Câu lạc bộ Phụ nữ dân tộc Dao"),
    (SubjectKind.COLLECTIVE, "Tổ phụ nữ số 1"),
    (SubjectKind.COLLECTIVE, "Đội văn nghệ Hoa Ban"),
]


def name_sort_key(name: str, kind: str) -> tuple:
    """The order the app used to compute in Python: the reference for the stored keys."""
    if kind == SubjectKind.COLLECTIVE:
        return (vi_sort_key(name),)
    return person_sort_key(name)


def page(client, name, **params):
    response = client.get(reverse(f"exemplars:{name}"), params)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def linked(html: str, detail_name: str) -> list[str]:
    prefix = reverse(f"exemplars:{detail_name}", args=[1])[:-2]
    found = re.finditer(re.escape(prefix) + r'(\d+)/">([^<]+)</a>', html)
    return [unescape(m.group(2)) for m in found]


def add_rows(world, names, *, unit=None, year=None):
    """Subjects (bulk, derived columns filled as ``save`` fills them), each with a nomination
    and an exemplar: the lists' rows without the pipeline's cost."""
    cast = world.cast
    unit = unit or cast.branch_a
    subjects = bulk_create(
        Subject, [Subject(kind=k, unit=unit, name=n, created_by=cast.a_staff) for k, n in names]
    )
    bulk_create(
        Nomination,
        [
            Nomination(
                subject=s,
                category=Category.ADVANCED_EXEMPLAR,
                movement=world.movement,
                criteria_set=world.criteria_set,
                review_round=world.round,
                year=year or this_year(),
                proposing_unit=unit,
                proposed_by=cast.a_staff,
                current_unit=unit,
            )
            for s in subjects
        ],
    )
    bulk_create(
        Exemplar,
        [
            Exemplar(
                subject=s,
                category=Category.ADVANCED_EXEMPLAR,
                movement=world.movement,
                year=year or this_year(),
                recognising_unit=cast.province,
                recognised_at=timezone.now(),
            )
            for s in subjects
        ],
    )
    return subjects


def numbered(n: int, start: int = 0) -> list[tuple[str, str]]:
    kinds = [SubjectKind.INDIVIDUAL, SubjectKind.HOUSEHOLD, SubjectKind.COLLECTIVE]
    return [(kinds[i % 3], f"Nông Thị Hoa {i:03d}") for i in range(start, start + n)]


# ---- query counts ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("subject_list", {}),
        ("subject_list", {"q": "nong hoa", "page": "2"}),
        ("nomination_list", {}),
        ("nomination_list", {"q": "hoa", "page": "2"}),
        ("exemplar_list", {}),
        ("exemplar_list", {"q": "thi", "page": "2"}),
    ],
)
def test_list_queries_do_not_grow_with_rows(world, name, params):
    add_rows(world, numbered(5))
    client = world.cast.client_for(world.cast.province_admin)
    page(client, name, **params)  # warm the session
    with CaptureQueriesContext(connection) as few:
        page(client, name, **params)
    add_rows(world, numbered(75, start=5))
    with CaptureQueriesContext(connection) as many:
        html = page(client, name, **params)
    assert len(many) == len(few), [q["sql"] for q in many]
    assert "Nông Thị Hoa" in html


def test_xlsx_exports_keep_the_list_order(world):
    add_rows(world, TRICKY)
    client = world.cast.client_for(world.cast.province_admin)
    expected = [n for k, n in sorted(TRICKY, key=lambda r: name_sort_key(r[1], r[0]))]
    for name in ("subject_list", "nomination_list", "exemplar_list"):
        response = client.get(reverse(f"exemplars:{name}"), {"xuat": "xlsx"})
        assert response.status_code == 200
        from io import BytesIO

        from openpyxl import load_workbook

        ws = load_workbook(BytesIO(response.content)).active
        assert [row[1] for row in ws.iter_rows(min_row=2, values_only=True)] == expected, name


# ---- Vietnamese order from the database ---------------------------------------------------------
def test_lists_follow_the_vietnamese_order(world):
    add_rows(world, TRICKY)
    expected = [n for k, n in sorted(TRICKY, key=lambda r: name_sort_key(r[1], r[0]))]
    # The stored keys order like the tuple keys, also between collectives and people.
    assert expected.index("Bế Thị Lan") < expected.index("Dương Thị Lan")
    assert expected.index("Dương Thị Lan") < expected.index("Đàm Thị Lan")
    assert expected.index("Lý Thị Anh") < expected.index("Âu Thị Ánh")
    assert expected.index("Mã Thị Ăn") < expected.index("Hà Thị Ân")
    client = world.cast.client_for(world.cast.province_admin)
    assert linked(page(client, "subject_list"), "subject_detail") == expected
    assert linked(page(client, "nomination_list"), "nomination_detail") == expected
    assert linked(page(client, "exemplar_list"), "exemplar_detail") == expected
    # A search keeps the order (few matches: sorted by the same key as an expression).
    people = [n for n in expected if " Thị " in n]
    assert linked(page(client, "subject_list", q="thi"), "subject_detail") == people
    assert linked(page(client, "nomination_list", q="thi"), "nomination_detail") == people


def test_registry_is_newest_year_first_then_by_name(world):
    add_rows(world, TRICKY[:6], year=this_year() - 1)
    add_rows(world, TRICKY[6:12], year=this_year())
    client = world.cast.client_for(world.cast.province_admin)

    def by_name(rows):
        return [n for k, n in sorted(rows, key=lambda r: name_sort_key(r[1], r[0]))]

    assert linked(page(client, "exemplar_list"), "exemplar_detail") == (
        by_name(TRICKY[6:12]) + by_name(TRICKY[:6])
    )


def test_pages_follow_each_other_without_gaps(world):
    rows = numbered(120)
    add_rows(world, rows)
    client = world.cast.client_for(world.cast.province_admin)
    seen = []
    for number in (1, 2, 3):
        html = page(client, "subject_list", page=str(number))
        seen += linked(html, "subject_detail")
        assert f"Trang {number}/3" in html
    assert seen == [n for k, n in sorted(rows, key=lambda r: name_sort_key(r[1], r[0]))]
    # Past the end or nonsense: the last page / the first page, never an error.
    assert linked(page(client, "subject_list", page="99"), "subject_detail") == seen[100:]
    assert linked(page(client, "subject_list", page="abc"), "subject_detail") == seen[:50]


def test_paginator_caps_the_count(world, rf=RequestFactory()):
    add_rows(world, numbered(30))
    qs = Subject.objects.order_by(*queries.SUBJECT_ORDER)
    with CaptureQueriesContext(connection) as ctx:
        first = paginate(qs, rf.get("/"), per_page=10, count_cap=20)
    assert len(ctx) == 2
    assert "LIMIT 21" in ctx[0]["sql"]
    assert first.count_capped and first.count == 20 and first.has_next()
    assert not first.has_previous() and len(first) == 10
    last = paginate(qs, rf.get("/", {"page": "3"}), per_page=10, count_cap=20)
    assert last.count_capped and len(last) == 10 and not last.has_next()
    # Past the end of a capped list: counted once in full, the last page shown.
    beyond = paginate(qs, rf.get("/", {"page": "50"}), per_page=10, count_cap=20)
    assert beyond.number == 3 and not beyond.count_capped and beyond.count == 30
    uncapped = paginate(qs, rf.get("/", {"page": "2"}), per_page=10)
    assert uncapped.paginator.num_pages == 3 and uncapped.has_previous() and uncapped.has_next()
    assert uncapped.start_index() == 11 and uncapped.end_index() == 20


def test_template_says_more_than_when_capped(world, monkeypatch):
    add_rows(world, numbered(60))
    monkeypatch.setattr("guongsang.core.pagination.COUNT_CAP", 10)
    client = world.cast.client_for(world.cast.province_admin)
    assert "Trang 1 (hơn 10 mục)" in page(client, "subject_list")
    html = page(client, "nomination_list")
    assert "Hơn 10 hồ sơ" in html and "Trang 1 (hơn 10 mục)" in html
    monkeypatch.setattr("guongsang.core.pagination.COUNT_CAP", 100)
    html = page(client, "nomination_list")
    assert "60 hồ sơ" in html and "Trang 1/2" in html


# ---- EXPLAIN: the orders and the search use their indexes ---------------------------------------
@pytest.mark.parametrize("who", ["superuser", "province_admin", "unit_filter"])
def test_subject_list_order_uses_the_sort_index(world, who, django_user_model):
    add_rows(world, numbered(30))
    cast = world.cast
    filters = queries.ListFilters()
    user = cast.province_admin
    if who == "superuser":
        user = django_user_model.objects.create_superuser("root", password="x", full_name="Root")
    if who == "unit_filter":
        filters.unit = cast.branch_a
    qs = queries.filter_subjects(ex.subjects_for(user), filters)[:51]
    text = query_plan(qs, forbid_sort=True)
    if connection.vendor == "postgresql":
        # The sort index can serve the order, for every scope: no Sort node, and the scope is
        # checked on the subject's own path (carried by the index), not through units_unit.
        assert "subject_sort_idx" in text or "subject_path_sort_idx" in text, text
        assert "Sort" not in text.replace("Sort Key", ""), text
        assert "units_unit.path" not in text and "u.path" not in text, text
    elif who in ("superuser", "province_admin"):
        # A wide scope walks the name-order index (its path range is compared under another
        # collation so SQLite, which has no statistics, does not sort the whole scope).
        assert "subject_sort_idx" in text, text
        assert "TEMP B-TREE FOR ORDER BY" not in text, text
    else:
        # A unit filter reads that unit's path range on the subjects' own index and sorts its
        # rows: never a scan of every subject, no scan of units.
        assert "SEARCH exemplars_subject USING INDEX subject_path_sort_idx" in text, text
        assert "SCAN exemplars_subject" not in text, text
        assert "SCAN units_unit" not in text, text


def test_search_uses_the_text_index(world):
    add_rows(world, TRICKY)
    # Which rows match: the text index finds them (the order then comes from the sort key).
    text = query_plan(
        filter_by_name(Subject.objects.all(), "ng th hoa").order_by().values("id"),
        forbid_sort=False,
    )
    if connection.vendor == "sqlite":
        assert "exemplars_subject_fts" in text and "VIRTUAL TABLE" in text, text
    else:
        assert "subject_word_idx" in text, text


# ---- search semantics, the same on both databases ----------------------------------------------
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ng th hoa", {"Nguyễn Thị Hoa"}),
        ("nong hoa", {"Nông Thị Hoà", "Nông Thị Hòa", "Nông Thị Hoa", "Nông Thị Họa"}),
        ("NÔNG  thị HỌA", {"Nông Thị Hoà", "Nông Thị Hòa", "Nông Thị Hoa", "Nông Thị Họa"}),
        ("đức", {"Hoàng Văn Đức", "Hoàng Văn Duc"}),
        ("dam lan", {"Đàm Thị Lan"}),
        ("hen", {"H'Hen Niê"}),
        ("h'hen nie", {"H'Hen Niê"}),
        ("hoa ban", {"Đội văn nghệ Hoa Ban"}),
        ("oa", set()),
        ("ong thi", set()),
        ("xuân", set()),
        ("dao phu", {"Câu lạc bộ Phụ nữ dân tộc Dao"}),
        ("so 1", {"Tổ phụ nữ số 1"}),
        # Punctuation is no syntax: "hoa", "or" and "near" must each start a word.
        ('"hoa" OR * NEAR(', set()),
    ],
)
def test_search_matches_word_prefixes(world, query, expected):
    add_rows(world, TRICKY)
    found = set(filter_by_name(Subject.objects.all(), query).values_list("name", flat=True))
    assert found == expected


def test_search_without_words_filters_nothing(world):
    add_rows(world, TRICKY)
    for query in ("", "   ", "*", '"', "–", None):
        assert name_words(query) == []
        assert filter_by_name(Subject.objects.all(), query).count() == len(TRICKY)


def test_search_is_the_same_on_every_list(world):
    add_rows(world, TRICKY)
    client = world.cast.client_for(world.cast.province_admin)
    for name, detail in (
        ("subject_list", "subject_detail"),
        ("nomination_list", "nomination_detail"),
        ("exemplar_list", "exemplar_detail"),
    ):
        assert linked(page(client, name, q="ng th hoa"), detail) == ["Nguyễn Thị Hoa"], name
        assert linked(page(client, name, q="hà ân"), detail) == ["Hà Thị Ân"], name
        assert linked(page(client, name, q="hà\x00ân%_"), detail) == ["Hà Thị Ân"], name


def test_search_follows_renames(world):
    [subject] = add_rows(world, [(SubjectKind.INDIVIDUAL, "Lục Thị Xuân")])
    subject.name = "Lục Thị Xuyến"
    subject.save()
    assert not filter_by_name(Subject.objects.all(), "xuan").exists()
    assert filter_by_name(Subject.objects.all(), "xuyen luc").get() == subject


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 triggers exist on SQLite only")
def test_missing_fts_triggers_are_recreated(world):
    add_rows(world, [(SubjectKind.INDIVIDUAL, "Lục Thị Xuân")])
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER exemplars_subject_fts_ai")
        cursor.execute("DROP TRIGGER exemplars_subject_fts_au")
    # A subject written while the triggers were missing is found once they are back.
    add_rows(world, [(SubjectKind.INDIVIDUAL, "Ma Thị Dung")])
    assert not filter_by_name(Subject.objects.all(), "dung").exists()
    assert ensure_fts_triggers(connection) == 2
    assert ensure_fts_triggers(connection) == 0
    assert filter_by_name(Subject.objects.all(), "dung").count() == 1
    add_rows(world, [(SubjectKind.INDIVIDUAL, "Hoàng Thị Dung")])
    assert filter_by_name(Subject.objects.all(), "dung").count() == 2


# ---- nominations and exemplars: scope and order on their own stored columns ---------------------
def _scoped(world, who, django_user_model):
    cast = world.cast
    filters = queries.ListFilters()
    user = cast.province_admin
    if who == "superuser":
        user = django_user_model.objects.create_superuser("root", password="x", full_name="Root")
    if who == "unit_filter":
        filters.unit = cast.branch_a
    return user, filters


@pytest.mark.parametrize("who", ["superuser", "province_admin", "unit_filter"])
def test_nomination_and_registry_orders_use_their_indexes(world, who, django_user_model):
    add_rows(world, numbered(30))
    user, filters = _scoped(world, who, django_user_model)
    for qs, indexes in (
        (
            queries.filter_nominations(ex.nominations_for(user), filters),
            ("nomination_sort_idx", "nomination_path_sort_idx"),
        ),
        (
            queries.filter_exemplars(ex.exemplars_for(user), filters),
            ("exemplar_year_sort_idx", "exemplar_path_sort_idx"),
        ),
    ):
        sql = str(qs.query).split(" FROM ", 1)[1]
        # Scope and order on the row's own columns: no unit path or subject key through a join.
        assert '"units_unit"."path"' not in sql and '"exemplars_subject"."sort_key"' not in sql
        text = query_plan(qs[:51], forbid_sort=True)
        assert any(name in text for name in indexes), text
        if connection.vendor == "postgresql":
            # The order index can serve the order for any scope: no Sort node.
            assert "Sort" not in text.replace("Sort Key", ""), text
        elif who == "superuser":
            assert "TEMP B-TREE FOR ORDER BY" not in text, text


def test_home_counts_read_the_state_path_index(world):
    add_rows(world, numbered(30))
    from guongsang.exemplars.models import NominationState
    from guongsang.units.access import Perm

    user = world.cast.province_admin
    drafts = ex.nominations_for(user, Perm.EDIT).filter(
        state__in=[NominationState.DRAFT, NominationState.RETURNED]
    )
    text = query_plan(drafts.order_by().values("id"), forbid_sort=False)
    # A range of the stored path (with the state first where there are many rows), no join.
    assert "nomination_state_path_idx" in text or "nomination_path_sort_idx" in text, text
    assert "units_unit" not in text, text


def test_catalogue_reads_without_a_join_on_the_scope(world):
    """Movements, criteria sets and rounds: the issuing unit's path is read by primary key for
    each (few) row; the scope never walks the unit table."""
    user = world.cast.province_admin
    for qs in (ex.movements_for(user), ex.criteria_sets_for(user), ex.rounds_for(user)):
        assert qs.exists()
        with CaptureQueriesContext(connection) as ctx:
            list(qs)
        assert len(ctx) == 1
        text = query_plan(qs, forbid_sort=False)
        if connection.vendor == "postgresql":
            assert "Merge Join" not in text and "Seq Scan on units_unit" not in text, text
        else:
            assert "SCAN units_unit" not in text, text


def test_rename_moves_nominations_and_exemplars_in_their_lists(world):
    subjects = add_rows(
        world,
        [(SubjectKind.INDIVIDUAL, "Nông Thị Hoa"), (SubjectKind.INDIVIDUAL, "Nông Thị Lan")],
    )
    client = world.cast.client_for(world.cast.province_admin)
    assert linked(page(client, "nomination_list"), "nomination_detail")[-2:] == [
        "Nông Thị Hoa",
        "Nông Thị Lan",
    ]
    from guongsang.exemplars import services

    hoa = Subject.objects.get(pk=subjects[0].pk)
    services.subject_update(
        by=world.cast.province_admin, subject=hoa, name="Nông Thị Xuân", gender="female"
    )
    assert set(
        Nomination.objects.filter(subject=hoa).values_list("subject_sort_key", flat=True)
    ) == {hoa.sort_key}
    assert set(Exemplar.objects.filter(subject=hoa).values_list("subject_sort_key", flat=True)) == {
        hoa.sort_key
    }
    for name, detail in (
        ("nomination_list", "nomination_detail"),
        ("exemplar_list", "exemplar_detail"),
    ):
        names = linked(page(client, name), detail)
        assert names.index("Nông Thị Lan") < names.index("Nông Thị Xuân"), (name, names)


def test_derived_columns_from_related_objects_without_queries(world):
    cast = world.cast
    subjects = bulk_create(
        Subject,
        [
            Subject(kind=SubjectKind.INDIVIDUAL, unit=cast.branch_a, name=f"Lò Thị Ơn {i}")
            for i in range(3)
        ],
    )
    nominations = [
        Nomination(
            subject=s,
            category=Category.ADVANCED_EXEMPLAR,
            movement=world.movement,
            criteria_set=world.criteria_set,
            review_round=world.round,
            year=this_year(),
            proposing_unit=cast.branch_a,
            proposed_by=cast.a_staff,
            current_unit=cast.branch_a,
        )
        for s in subjects
    ]
    exemplars = [
        Exemplar(
            subject=s,
            category=Category.ADVANCED_EXEMPLAR,
            movement=world.movement,
            year=this_year(),
            recognising_unit=cast.province,
            recognised_at=timezone.now(),
        )
        for s in subjects
    ]
    with CaptureQueriesContext(connection) as ctx:
        for obj in nominations + exemplars:
            obj.fill_derived()
    assert len(ctx) == 0
    for n, e, s in zip(nominations, exemplars, subjects, strict=True):
        assert n.proposing_path == e.subject_path == cast.branch_a.path
        assert n.subject_sort_key == e.subject_sort_key == s.sort_key != ""
    # ``save`` fills them too, from ids alone (one look-up each), and keeps them on later saves.
    nomination = Nomination(
        subject_id=subjects[0].pk,
        category=Category.ADVANCED_EXEMPLAR,
        movement=world.movement,
        criteria_set=world.criteria_set,
        review_round=world.round,
        year=this_year(),
        proposing_unit_id=cast.branch_a.pk,
        proposed_by=cast.a_staff,
        current_unit=cast.branch_a,
    )
    nomination.save()
    nomination = Nomination.objects.get(pk=nomination.pk)
    assert (nomination.proposing_path, nomination.subject_sort_key) == (
        cast.branch_a.path,
        subjects[0].sort_key,
    )
    with CaptureQueriesContext(connection) as ctx:
        nomination.save()
    assert len(ctx) == 1  # the UPDATE only


def test_refresh_sort_keys_updates_the_copies(world, settings):
    import io

    from django.core.management import call_command

    add_rows(world, TRICKY[:6])
    before = set(Nomination.objects.values_list("subject_sort_key", flat=True))
    settings.NAME_SORT = "full"
    call_command("refresh_sort_keys", stdout=io.StringIO())
    assert set(Nomination.objects.values_list("subject_sort_key", flat=True)) != before
    for model in (Nomination, Exemplar):
        rows = model.objects.values_list("subject_sort_key", "subject__sort_key")
        assert rows and all(copy == key for copy, key in rows), model
    assert Subject.objects.get(name="Đàm Thị Lan").sort_key == subject_sort_text(
        "Đàm Thị Lan", SubjectKind.INDIVIDUAL
    )
