import datetime as dt
import io
import random

import pytest
from django.core.exceptions import ValidationError

from guongsang.core.text import (
    fold,
    person_sort_key,
    person_sort_text,
    vi_sort_key,
    vi_sort_text,
)
from guongsang.units.models import SEGMENT_WIDTH, Unit, UnitKind
from guongsang.units.services import unit_close, unit_create


class TestFold:
    @pytest.mark.parametrize(
        ("text", "folded"),
        [
            ("Xã Đông Khê", "xa dong khe"),
            ("Xã Đàm Thuỷ", "xa dam thuy"),
            ("Xã Đàm Thủy", "xa dam thuy"),
            ("Phường  Tân   Giang", "phuong tan giang"),
            ("HOÀ", "hoa"),
            ("hòa", "hoa"),
            # Decomposed input (old keyboards) folds the same as composed.
            ("Đa\u0300m Thu\u0309y", "dam thuy"),
            ("", ""),
            (None, ""),
        ],
    )
    def test_fold(self, text, folded):
        assert fold(text) == folded


class TestVietnameseOrder:
    def test_letters_before_tones(self):
        words = ["ơ", "o", "ô", "ă", "â", "a", "đ", "d", "e", "ê", "ư", "u"]
        assert sorted(words, key=vi_sort_key) == [
            "a",
            "ă",
            "â",
            "d",
            "đ",
            "e",
            "ê",
            "o",
            "ô",
            "ơ",
            "u",
            "ư",
        ]

    def test_tone_breaks_ties_in_dictionary_order(self):
        words = ["mạ", "má", "mã", "mả", "mà", "ma"]
        assert sorted(words, key=vi_sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]

    def test_people_by_given_name_then_family(self):
        names = ["Nông Thị Mai", "Hoàng Thị Hà", "Đàm Thị Lan", "Bế Thị Hoa", "Âu Văn An"]
        assert sorted(names, key=person_sort_key) == [
            "Âu Văn An",
            "Hoàng Thị Hà",
            "Bế Thị Hoa",
            "Đàm Thị Lan",
            "Nông Thị Mai",
        ]

    def test_full_name_order_is_a_setting(self, settings):
        settings.NAME_SORT = "full"
        names = ["Nông Thị Mai", "Bế Thị Hoa"]
        assert sorted(names, key=person_sort_key) == ["Bế Thị Hoa", "Nông Thị Mai"]


class TestSortText:
    """The stored sort keys are text so the database can order and index them: their bytewise
    order must be the order of the tuple keys, for any input."""

    ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÔƠƯ àáảãạằắẳẵặầấẩẫậèéẻẽẹìíỉĩịòóỏõọ-'1.("

    def random_names(self, n):
        rng = random.Random(20261202)
        return [
            "".join(rng.choice(self.ALPHABET) for _ in range(rng.randint(0, 9))) for _ in range(n)
        ]

    def test_text_order_equals_tuple_order(self):
        names = self.random_names(3000) + ["Đàm Thuỷ", "Đàm Thủy", "an b", "anh", "", "Ă"]
        assert sorted(names, key=vi_sort_key) == sorted(names, key=vi_sort_text)
        assert sorted(names, key=person_sort_key) == sorted(names, key=person_sort_text)

    def test_full_name_setting_applies_to_text_keys(self, settings):
        settings.NAME_SORT = "full"
        names = ["Nông Thị Mai", "Bế Thị Hoa", "Âu Văn An"]
        assert sorted(names, key=person_sort_text) == ["Âu Văn An", "Bế Thị Hoa", "Nông Thị Mai"]

    def test_keys_fit_their_column(self):
        assert len(person_sort_text("Nguyễn " * 60 + "Hoa")) <= 255
        assert len(vi_sort_text("(" * 300)) <= 255

    @pytest.mark.django_db
    def test_subjects_store_the_key_of_their_kind(self, cast):
        from guongsang.exemplars.models import Subject, subject_sort_text

        person = Subject.objects.create(kind="individual", unit=cast.commune_a, name="Bế  Thị Hoa")
        group = Subject.objects.create(
            kind="collective", unit=cast.commune_a, name="Chi hội Nà Pàn"
        )
        assert person.sort_key == person_sort_text("Bế Thị Hoa")
        assert group.sort_key == vi_sort_text("Chi hội Nà Pàn")
        assert subject_sort_text("Bế Thị Hoa", "household") == person.sort_key

    @pytest.mark.django_db
    def test_keys_follow_a_change_of_name_order_after_refresh(self, cast, settings):
        from django.core.management import call_command

        from guongsang.exemplars.models import Subject

        person = Subject.objects.create(kind="individual", unit=cast.commune_a, name="Bế Thị Hoa")
        settings.NAME_SORT = "full"
        call_command("refresh_sort_keys", stdout=io.StringIO())
        person.refresh_from_db()
        assert person.sort_key == vi_sort_text("Bế Thị Hoa")


class TestTree:
    def test_paths_are_fixed_width_segments(self, cast):
        assert len(cast.province.path) == 2 * SEGMENT_WIDTH
        assert cast.group_a.path.startswith(cast.branch_a.path)
        assert cast.group_a.depth == 4
        assert [
            u.pk for u in Unit.objects.filter(pk__in=[cast.province.pk]).subtree_of(cast.province)
        ] == [cast.province.pk]

    def test_subtree_is_a_range(self, cast):
        names = set(Unit.objects.subtree_of(cast.commune_a).values_list("name", flat=True))
        assert names == {"Xã Đông Khê", "Chi hội Nà Pàn", "Tổ phụ nữ số 1"}
        assert "Xã Đông Khê" not in set(
            Unit.objects.subtree_of(cast.commune_a, include_self=False).values_list(
                "name", flat=True
            )
        )

    def test_subtree_query_uses_range_not_like(self, cast, django_assert_num_queries):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            list(Unit.objects.subtree_of(cast.province))
        sql = ctx.captured_queries[0]["sql"].upper()
        assert "LIKE" not in sql
        assert ">=" in sql and "<" in sql

    def test_subtree_query_can_use_the_path_index(self, cast):
        from django.db import connection

        qs = Unit.objects.subtree_of(cast.province).only("id")
        if connection.vendor == "postgresql":
            # Few rows would make a sequential scan cheaper; forbid it to see the index applies
            # (it does only because the path column compares bytewise, collation "C").
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                plan = qs.explain()
            assert "units_unit_path" in plan, plan
        else:
            plan = qs.explain()
            assert "path" in plan and "SCAN units_unit" not in plan.replace("USING INDEX", ""), plan

    def test_parent_kind_rules(self, cast):
        with pytest.raises(ValidationError):
            unit_create(code="X1", name="Tổ sai", kind=UnitKind.GROUP, parent=cast.commune_a)
        with pytest.raises(ValidationError):
            unit_create(code="X2", name="Chi hội sai", kind=UnitKind.BRANCH, parent=cast.province)
        with pytest.raises(ValidationError):
            unit_create(code="X3", name="Xã mồ côi", kind=UnitKind.COMMUNE, parent=None)

    def test_codes_are_unique_ignoring_case(self, cast):
        with pytest.raises(ValidationError) as exc:
            unit_create(
                code="01450-ch01", name="Chi hội khác", kind=UnitKind.BRANCH, parent=cast.commune_a
            )
        assert "đã có" in str(exc.value)
        assert not Unit.objects.filter(name="Chi hội khác").exists()

    def test_union_name(self, cast):
        assert cast.commune_a.union_name == "Hội LHPN xã Đông Khê"
        assert cast.province.union_name == "Hội LHPN tỉnh Cao Bằng"
        assert cast.branch_a.union_name == "Chi hội Nà Pàn"


class TestMerger:
    def test_closed_unit_keeps_its_place_and_names_its_successor(self, cast):
        old = cast.former_commune
        assert old.valid_to == dt.date(2025, 6, 30)
        assert old.successor == cast.commune_a
        assert old.parent == cast.former_district
        assert list(cast.commune_a.predecessors.all()) == [old]
        assert not old.is_current()
        assert old.is_current(dt.date(2020, 1, 1))
        assert cast.former_district not in Unit.objects.current()
        assert cast.former_district in Unit.objects.current(dt.date(2024, 12, 31))

    def test_cannot_close_twice_or_into_itself_or_a_descendant(self, cast):
        with pytest.raises(ValidationError):
            unit_close(unit=cast.former_commune, on=dt.date(2026, 1, 1), successor=cast.commune_b)
        with pytest.raises(ValidationError):
            unit_close(unit=cast.commune_a, on=dt.date(2026, 1, 1), successor=cast.branch_a)
        with pytest.raises(ValidationError):
            unit_close(unit=cast.commune_a, on=dt.date(2026, 1, 1), successor=cast.commune_a)

    def test_closing_a_unit_with_open_children_needs_a_successor(self, cast):
        with pytest.raises(ValidationError):
            unit_close(unit=cast.commune_b, on=dt.date(2026, 1, 1), successor=None)
        assert Unit.objects.get(pk=cast.commune_b.pk).valid_to is None

    def test_merge_branch_into_another(self, cast):
        new = unit_create(
            code="01450-CH02",
            name="Chi hội Pác Khoang",
            kind=UnitKind.BRANCH,
            parent=cast.commune_a,
        )
        unit_close(unit=cast.branch_a, on=dt.date(2026, 1, 1), successor=new)
        cast.branch_a.refresh_from_db()
        assert cast.branch_a.valid_to == dt.date(2025, 12, 31)
        assert cast.branch_a.successor == new


def test_a_unit_merges_only_into_a_unit_of_a_fitting_kind(cast):
    with pytest.raises(ValidationError) as exc:
        unit_close(unit=cast.branch_b, on=dt.date(2026, 1, 1), successor=cast.commune_a)
    assert "Không thể sáp nhập" in str(exc.value)
    assert Unit.objects.get(pk=cast.branch_b.pk).valid_to is None


def test_summary_children_are_read_as_the_orm_reads_them(cast):
    """The summary's children, read by a written-out SELECT: every child, closed ones with
    their closing date as a date (SQLite returns text), in the tree's order."""
    from guongsang.units.queries import summary_children

    make = [("Xã Quang Trung", "01460"), ("Xã Ân Thi", "01470")]
    extra = [
        unit_create(by=None, parent=cast.province, name=n, kind=UnitKind.COMMUNE, code=c)
        for n, c in make
    ]
    unit_close(unit=extra[0], on=dt.date(2025, 6, 30), successor=cast.commune_a)
    got = summary_children(cast.province)
    want = list(
        Unit.objects.filter(parent=cast.province)
        .order_by("kind", "name_folded", "pk")
        .values_list("id", "name", "kind", "code", "path", "valid_to", "successor_path")
    )
    assert [
        (c.id, c.name, c.kind, c.code, c.path, c.valid_to, c.successor_path) for c in got
    ] == want
    closed = next(c for c in got if c.id == extra[0].pk)
    assert isinstance(closed.valid_to, dt.date) and closed.successor_path == cast.commune_a.path
