"""awards/0002 turns every recorded title (exemplars.SubjectTitle) into an award of the history,
linked to its catalogue entry when the folded name matches one that applies to the subject's
kind; exemplars/0006 then drops the old table. Run forwards and backwards on the real schema."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from guongsang.awards.models import Award, AwardSource, AwardType
from guongsang.exemplars.models import SubjectKind

from .conftest import make_subject

BEFORE = [("awards", "0001_initial"), ("exemplars", "0005_subject_word_table")]


def latest(executor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_titles_become_awards(cast):
    a = cast.a_staff
    person = make_subject(a, cast.branch_a, SubjectKind.INDIVIDUAL, "Nông Thị Hạnh")
    home = make_subject(a, cast.group_a, SubjectKind.HOUSEHOLD, "Hoàng Thị Duyên")
    team = make_subject(cast.b_staff, cast.branch_b, SubjectKind.COLLECTIVE, "Chi hội Tổ 1")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        executor.loader.build_graph()
        old = executor.loader.project_state(BEFORE).apps
        SubjectTitle = old.get_model("exemplars", "SubjectTitle")
        for subject_id, title, year, body in (
            (person.pk, "Gia đình văn hóa", 2024, "UBND xã"),
            (home.pk, "  gia đình   văn hoá ", 2023, ""),
            (home.pk, "Gia đình văn hóa", 2023, "trùng"),
            (home.pk, "Gia đình văn hóa", 2024, ""),
            (team.pk, "Tập thể lao động tiên tiến", 2022, "Hội LHPN tỉnh"),
            (team.pk, "Giải nhất hội diễn văn nghệ", 2021, ""),
        ):
            SubjectTitle.objects.create(
                subject_id=subject_id, title=title, year=year, conferred_by=body
            )
        executor = MigrationExecutor(connection)
        executor.migrate(latest(executor))
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest(executor))

    gdvh = AwardType.objects.get(code="gia-dinh-van-hoa")
    rows = set(
        Award.objects.values_list(
            "subject_id",
            "award_type__code",
            "name",
            "name_folded",
            "year",
            "conferred_by",
            "source",
            "unit_path",
        )
    )
    assert rows == {
        # An individual's "Gia đình văn hóa": the entry is for households, the text is kept.
        (
            person.pk,
            None,
            "Gia đình văn hóa",
            "gia dinh van hoa",
            2024,
            "UBND xã",
            AwardSource.MIGRATED,
            person.unit_path,
        ),
        # Typed twice in one year: kept once, linked to the catalogue entry.
        (
            home.pk,
            "gia-dinh-van-hoa",
            "Gia đình văn hóa",
            "gia dinh van hoa",
            2023,
            "",
            AwardSource.MIGRATED,
            home.unit_path,
        ),
        (
            home.pk,
            "gia-dinh-van-hoa",
            "Gia đình văn hóa",
            "gia dinh van hoa",
            2024,
            "",
            AwardSource.MIGRATED,
            home.unit_path,
        ),
        (
            team.pk,
            "tt-lao-dong-tien-tien",
            "Tập thể lao động tiên tiến",
            "tap the lao dong tien tien",
            2022,
            "Hội LHPN tỉnh",
            AwardSource.MIGRATED,
            team.unit_path,
        ),
        (
            team.pk,
            None,
            "Giải nhất hội diễn văn nghệ",
            "giai nhat hoi dien van nghe",
            2021,
            "",
            AwardSource.MIGRATED,
            team.unit_path,
        ),
    }
    assert gdvh.awards.count() == 2
    assert "exemplars_subjecttitle" not in connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_going_back_restores_the_titles(cast, catalogue):
    person = make_subject(cast.a_staff, cast.branch_a, SubjectKind.INDIVIDUAL, "Nông Thị Hạnh")
    Award.objects.create(
        subject=person,
        award_type=catalogue["lao-dong-tien-tien"],
        year=2024,
        conferred_by="UBND xã",
    )
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        executor.loader.build_graph()
        old = executor.loader.project_state(BEFORE).apps
        titles = list(
            old.get_model("exemplars", "SubjectTitle").objects.values_list(
                "subject_id", "title", "year", "conferred_by"
            )
        )
        assert titles == [(person.pk, "Lao động tiên tiến", 2024, "UBND xã")]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest(executor))
    assert Award.objects.filter(subject=person, name="Lao động tiên tiến").exists()


@pytest.mark.postgres_only
def test_unit_path_compares_bytewise_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("collations are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_name = 'awards_award' AND column_name = 'unit_path'"
        )
        assert cursor.fetchone() == ("C",)
