"""The data generator (``generate_data``): counts, derived columns as ``save()`` fills them,
the bench accounts, determinism and the refusal to load into a database that has data.

The whole province (168 communes, ~100k activities) takes 15 s on PostgreSQL and 35 s on
SQLite, too long for every run of the suite; the tests generate the first communes of the
same province at the same density, and check the province's planned figures separately."""

from __future__ import annotations

import datetime as dt

from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import F
from django.test import TestCase

from guongsang.accounts.models import Membership, Role, User
from guongsang.audit.models import AuditEntry
from guongsang.core.text import fold
from guongsang.emulation import services as emulation_services
from guongsang.emulation.models import (
    Block,
    BlockKind,
    BlockMember,
    CriterionKind,
    PointsCriterion,
    PointsTable,
    Schedule,
    Score,
    ScoreAction,
    ScoreLine,
    ScoreState,
    ScoreStep,
)
from guongsang.exemplars.models import (
    Exemplar,
    Nomination,
    NominationState,
    ReviewStep,
    Subject,
    SubjectKind,
    subject_sort_text,
)
from guongsang.outreach.access import public_stories
from guongsang.outreach.models import Activity, Consent, Story, StoryState
from guongsang.plans.models import Document, Recipient, Task
from guongsang.scale.generate import (
    ACTIVITIES,
    AUDIT_ENTRIES,
    EXEMPLARS,
    NOMINATIONS,
    SUBJECTS,
    GenerationRefused,
    generate,
    provinces_for,
    scaled,
)
from guongsang.units.models import Unit, UnitKind, encode_segment

TODAY = dt.date(2026, 12, 2)
PASSWORD = "Bench@2026-test"
COMMUNES = 10


def test_province_scale_plans_the_issue_figures():
    [(province, wards)] = provinces_for("province", None)
    assert province.name == "Thành phố Hồ Chí Minh"  # the province with the most communes
    assert len(wards) == 168
    assert scaled(ACTIVITIES, len(wards)) == 101_174
    assert scaled(SUBJECTS, len(wards)) == 50_587
    assert scaled(NOMINATIONS, len(wards)) == 2_529
    assert scaled(EXEMPLARS, len(wards)) == 101
    national = provinces_for("national", None)
    assert len(national) == 34
    assert sum(len(w) for _p, w in national) == 3_321


def _schema() -> dict:
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: connection.introspection.get_constraints(
                cursor, model._meta.db_table
            )
            for model in (Subject, Activity)
        }


class GeneratedProvinceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.schema_before = _schema()
        cls.result = generate(
            scale="province", seed=7, password=PASSWORD, today=TODAY, communes_limit=COMMUNES
        )

    def test_schema_is_as_migrations_left_it(self):
        # On PostgreSQL the big tables are loaded without their indexes and foreign keys, which
        # are then built again from their own definitions.
        assert _schema() == self.schema_before

    def test_counts(self):
        counts = self.result.counts
        by_kind = {kind: Unit.objects.filter(kind=kind).count() for kind in UnitKind.values}
        assert by_kind[UnitKind.CENTRAL] == 1
        assert by_kind[UnitKind.PROVINCE] == 1
        assert by_kind[UnitKind.COMMUNE] == COMMUNES
        assert 7 * COMMUNES <= by_kind[UnitKind.BRANCH] <= 13 * COMMUNES
        assert (
            2 * by_kind[UnitKind.BRANCH] <= by_kind[UnitKind.GROUP] <= 4 * by_kind[UnitKind.BRANCH]
        )
        assert counts["units.branch"] == by_kind[UnitKind.BRANCH]
        assert counts["units.group"] == by_kind[UnitKind.GROUP]
        assert (
            Activity.objects.count() == counts["outreach.Activity"] == scaled(ACTIVITIES, COMMUNES)
        )
        assert Subject.objects.count() == counts["exemplars.Subject"] == scaled(SUBJECTS, COMMUNES)
        kinds = set(Subject.objects.values_list("kind", flat=True).distinct())
        assert kinds == set(SubjectKind.values)
        assert Nomination.objects.count() == scaled(NOMINATIONS, COMMUNES)
        for state in NominationState.values:
            n = Nomination.objects.filter(state=state).count()
            assert n > 0, state
            assert counts[f"nominations.{state}"] == n
        exemplars = scaled(EXEMPLARS, COMMUNES)
        assert Exemplar.objects.count() == exemplars
        assert Nomination.objects.filter(state=NominationState.RECOGNISED).count() == exemplars
        assert (
            Story.objects.filter(state=StoryState.PUBLISHED, published_at__isnull=False).count()
            == exemplars
        )
        assert Consent.objects.filter(withdrawn_on__isnull=True).count() == exemplars
        assert public_stories().count() == exemplars  # published and consented
        plan = Document.objects.get()
        assert plan.symbol == "01/KH-BTV" and plan.is_issued
        recipients = Recipient.objects.filter(document=plan)
        assert recipients.count() == COMMUNES
        assert set(recipients.values_list("unit__kind", flat=True)) == {UnitKind.COMMUNE}
        assert Task.objects.filter(document=plan).count() == 3
        entries = AuditEntry.objects.all()
        assert entries.count() == counts["audit.AuditEntry"] == scaled(AUDIT_ENTRIES, COMMUNES)
        # Each entry's path snapshot is its unit's, as ``audit.services.record`` writes it.
        for entry in entries.select_related("unit").order_by("?")[:25]:
            assert entry.unit_path == entry.unit.path and entry.unit_name == entry.unit.name

    def test_activities_are_plausible(self):
        dates = Activity.objects.values_list("date", flat=True)
        assert min(dates) >= TODAY - dt.timedelta(days=3 * 365)
        assert max(dates) <= TODAY
        assert not Activity.objects.filter(members__gt=0, participants__lt=1).exists()
        kinds = set(Activity.objects.values_list("unit__kind", flat=True).distinct())
        assert kinds == {UnitKind.COMMUNE, UnitKind.BRANCH, UnitKind.GROUP}
        assert Activity.objects.values("form").distinct().count() >= 5

    def test_derived_columns_equal_what_save_computes(self):
        for model in (Unit, Subject, Activity, Story, Document, User):
            for obj in model.objects.order_by("?")[:25]:
                stored = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
                obj.save()
                obj.refresh_from_db()
                saved = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
                saved.pop("updated_at", None)
                stored.pop("updated_at", None)
                assert saved == stored, (model, obj.pk)
        for subject in Subject.objects.order_by("?")[:50]:
            assert subject.name_folded == fold(subject.name)
            assert subject.sort_key == subject_sort_text(subject.name, subject.kind)
        for activity in Activity.objects.order_by("?")[:50]:
            assert activity.title_folded == fold(activity.title)
        # Nominations and exemplars carry their scope path and their subject's sort key.
        assert Nomination.objects.count() and Exemplar.objects.count()
        assert not Nomination.objects.exclude(proposing_path=F("proposing_unit__path")).exists()
        assert not Nomination.objects.exclude(subject_sort_key=F("subject__sort_key")).exists()
        assert not Exemplar.objects.exclude(subject_path=F("subject__unit__path")).exists()
        assert not Exemplar.objects.exclude(subject_sort_key=F("subject__sort_key")).exists()
        assert not Activity.objects.exclude(unit_path=F("unit__path")).exists()
        # ``fill_derived`` from the related objects gives what the generator stored.
        for model, related in (
            (Nomination, ("subject", "proposing_unit")),
            (Exemplar, ("subject__unit",)),
        ):
            for obj in model.objects.select_related(*related).order_by("?")[:25]:
                stored = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
                obj.fill_derived()
                assert {
                    f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields
                } == (stored), (model, obj.pk)
        for unit in Unit.objects.select_related("parent").order_by("?")[:100]:
            assert unit.name_folded == fold(unit.name)
            if unit.parent is None:
                assert unit.path == encode_segment(unit.pk)
            else:
                assert unit.path == unit.parent.path + encode_segment(unit.pk)
                assert unit.depth == unit.parent.depth + 1

    def test_nominations_sit_where_their_state_says(self):
        nominations = Nomination.objects.select_related(
            "current_unit", "proposing_unit", "review_round__unit", "subject"
        )
        steps = {}
        for nomination_id in ReviewStep.objects.values_list("nomination_id", flat=True):
            steps[nomination_id] = steps.get(nomination_id, 0) + 1
        for n in nominations:
            assert n.proposing_unit_id == n.subject.unit_id
            assert n.version == 1 + steps.get(n.pk, 0)
            if n.state in (NominationState.DRAFT, NominationState.RETURNED):
                assert n.current_unit_id == n.proposing_unit_id
            else:
                assert n.proposing_unit.is_descendant_of(n.current_unit, include_self=False)
            if n.state == NominationState.DRAFT:
                assert n.pk not in steps and n.submitted_at is None
            else:
                assert n.submitted_at is not None
            if n.state == NominationState.RECOGNISED:
                assert n.current_unit_id == n.review_round.unit_id
                assert Exemplar.objects.filter(nomination=n, subject=n.subject).exists()

    def test_nominations_are_opened_on_their_drawn_days(self):
        """Each nomination is written with the moment the generator drew for it (not the
        moment of the run), no later than its submission; the nominations' table by province
        and month, kept by triggers through the generator's bulk writes, is exact."""
        from django.utils import timezone

        from guongsang.exemplars import rollup

        days = set()
        for n in Nomination.objects.all():
            day = timezone.localtime(n.created_at).date()
            days.add(day)
            assert day <= TODAY
            if n.submitted_at is not None:
                assert n.created_at == n.submitted_at
        assert len(days) > 1
        assert {d.year for d in days} > {TODAY.year}  # decided nominations of earlier years
        assert rollup.differences() == []

    def test_bench_accounts_log_in_with_their_roles(self):
        expected = {
            "bench.central": (Role.ADMIN, UnitKind.CENTRAL),
            "bench.province": (Role.ADMIN, UnitKind.PROVINCE),
            "bench.commune": (Role.STAFF, UnitKind.COMMUNE),
            "bench.branch": (Role.VIEWER, UnitKind.BRANCH),
        }
        for username, (role, kind) in expected.items():
            user = User.objects.get(username=username)
            assert not user.is_superuser and not user.is_staff
            [membership] = Membership.objects.filter(user=user).select_related("unit")
            assert (membership.role, membership.unit.kind) == (role, kind)
            assert user.unit_id == membership.unit_id
            assert self.client.login(username=username, password=PASSWORD), username
            self.client.logout()
        units = {m.user.username: m.unit for m in Membership.objects.select_related("user", "unit")}
        assert units["bench.branch"].parent_id == units["bench.commune"].pk
        assert units["bench.commune"].parent_id == units["bench.province"].pk
        assert [row[0] for row in self.result.accounts] == list(expected)

    def test_emulation_blocks_tables_and_scores(self):
        year = TODAY.year
        counts = self.result.counts
        central = Unit.objects.get(kind=UnitKind.CENTRAL)
        province = Unit.objects.get(kind=UnitKind.PROVINCE)
        # The province's communes in clusters (10 communes: one), the central union's provinces
        # in blocks (one province: one); every row of the current year.
        clusters = Block.objects.filter(organiser=province, year=year, kind=BlockKind.CLUSTER)
        assert clusters.count() == 1
        assert Block.objects.filter(organiser=central, year=year, kind=BlockKind.BLOCK).count() == 1
        assert Block.objects.count() == counts["emulation.Block"] == 2
        assert not Block.objects.exclude(year=year).exists()
        # Each unit in one block of its organiser; members carry their block's organiser and
        # year; leader and deputy are members and differ.
        assert BlockMember.objects.count() == COMMUNES + 1 == counts["emulation.BlockMember"]
        assert set(
            BlockMember.objects.filter(organiser=province).values_list("unit_id", flat=True)
        ) == set(Unit.objects.filter(kind=UnitKind.COMMUNE).values_list("pk", flat=True))
        assert list(
            BlockMember.objects.filter(organiser=central).values_list("unit_id", flat=True)
        ) == [province.pk]
        assert not BlockMember.objects.exclude(organiser=F("block__organiser")).exists()
        assert not BlockMember.objects.exclude(year=F("block__year")).exists()
        for block in Block.objects.all():
            members = set(block.members.values_list("unit_id", flat=True))
            assert block.leader_id in members
            assert block.deputy_id is None or block.deputy_id in members
            assert block.deputy_id != block.leader_id
        # bench.commune's commune leads its cluster.
        commune = User.objects.get(username="bench.commune").unit
        assert clusters.get().leader_id == commune.pk
        # One frozen table per organiser for the level it scores, 100 scored points, bonus
        # and penalty items; a schedule per organiser.
        tables = PointsTable.objects.filter(year=year)
        assert dict(tables.values_list("issuing_unit_id", "level")) == {
            central.pk: UnitKind.PROVINCE,
            province.pk: UnitKind.COMMUNE,
        }
        assert not tables.filter(frozen_at__isnull=True).exists()
        for table in tables:
            criteria = PointsCriterion.objects.filter(group__table=table)
            scored = criteria.filter(kind=CriterionKind.SCORED)
            assert sum(c.max_points for c in scored) == 100
            assert criteria.filter(kind=CriterionKind.BONUS).exists()
            assert criteria.filter(kind=CriterionKind.PENALTY).exists()
            assert 15 <= criteria.count() <= 25 and 4 <= table.groups.count() <= 7
        assert Schedule.objects.filter(year=year).count() == 2
        # One score per member against its organiser's table; every state present.
        scores = Score.objects.select_related("block", "table")
        assert scores.count() == BlockMember.objects.count() == counts["emulation.Score"]
        for score in scores:
            assert score.table.issuing_unit_id == score.block.organiser_id
            assert BlockMember.objects.filter(block=score.block, unit_id=score.unit_id).exists()
        states = set(Score.objects.values_list("state", flat=True))
        assert states == set(ScoreState.values)
        for state in ScoreState.values:
            assert counts[f"emulation_scores.{state}"] == Score.objects.filter(state=state).count()
        # bench.commune has submitted scores to cross-check, and its cluster checked ones.
        cluster = clusters.get()
        assert (
            Score.objects.filter(block=cluster, state=ScoreState.SUBMITTED)
            .exclude(unit=commune)
            .exists()
        )
        assert Score.objects.filter(block=cluster, state=ScoreState.CHECKED).exists()

    def test_emulation_totals_are_the_lines_totals(self):
        lines_of: dict[int, list] = {}
        for line in ScoreLine.objects.select_related("criterion").order_by("pk"):
            lines_of.setdefault(line.score_id, []).append(line)
        steps_of: dict[int, list] = {}
        for step in ScoreStep.objects.order_by("at", "pk"):
            steps_of.setdefault(step.score_id, []).append(step)
        total = emulation_services.total
        for score in Score.objects.select_related("table"):
            lines = lines_of[score.pk]
            # A line for every criterion of the score's table.
            assert sorted(line.criterion_id for line in lines) == sorted(
                PointsCriterion.objects.filter(group__table=score.table).values_list(
                    "pk", flat=True
                )
            )
            self_total = total((ln.criterion, ln.self_points) for ln in lines)
            check_total = total((ln.criterion, ln.check_points) for ln in lines)
            final_total = total((ln.criterion, ln.final_points) for ln in lines)
            actions = [step.action for step in steps_of.get(score.pk, [])]
            if score.self_total is not None:
                assert score.self_total == self_total
            else:
                assert score.state == ScoreState.DRAFT
                assert all(ln.self_points is None for ln in lines)
            if score.state == ScoreState.DRAFT:
                assert actions == [] and score.submitted_at is None
                assert score.check_total is None and score.final_total is None
                continue
            # Submitted: every scored criterion has points; cited evidence where required.
            for ln in lines:
                if ln.criterion.kind == CriterionKind.SCORED:
                    assert ln.self_points is not None
                if ln.criterion.evidence_required and ln.self_points:
                    assert ln.evidence
            assert actions[0] == ScoreAction.SUBMIT
            assert steps_of[score.pk][0].total == score.self_total
            assert score.submitted_at is not None
            if score.state == ScoreState.SUBMITTED:
                assert actions == [ScoreAction.SUBMIT] and score.check_total is None
            elif score.state == ScoreState.RETURNED:
                assert actions[-1] == ScoreAction.RETURN and score.final_total is None
                assert actions in (
                    [ScoreAction.SUBMIT, ScoreAction.RETURN],
                    [ScoreAction.SUBMIT, ScoreAction.CHECK, ScoreAction.RETURN],
                )
            else:
                assert score.check_total == check_total and score.checked_at is not None
                assert steps_of[score.pk][1].total == score.check_total
                if score.state == ScoreState.CHECKED:
                    assert actions == [ScoreAction.SUBMIT, ScoreAction.CHECK]
                    assert score.final_total is None
                else:
                    assert actions == [
                        ScoreAction.SUBMIT,
                        ScoreAction.CHECK,
                        ScoreAction.FINALISE,
                    ]
                    assert score.final_total == final_total
                    assert steps_of[score.pk][2].total == score.final_total
                    assert score.submitted_at <= score.checked_at <= score.finalised_at
            assert score.version == 2 + len(actions)

    def test_refuses_a_database_with_data(self):
        with self.assertRaises(GenerationRefused):
            generate(scale="province", seed=7, today=TODAY, communes_limit=1)
        with self.assertRaisesMessage(CommandError, "trống"):
            call_command("generate_data", "--scale", "province")


class Rollback(Exception):
    pass


def _names(seed: int) -> tuple[list[str], list[str], list[str]]:
    """Generate 2 communes inside a transaction that is rolled back; the names it made."""
    try:
        with transaction.atomic():
            generate(scale="province", seed=seed, today=TODAY, communes_limit=2)
            names = (
                list(Unit.objects.order_by("path").values_list("name", flat=True)),
                list(Subject.objects.order_by("pk").values_list("name", flat=True)[:200]),
                list(Activity.objects.order_by("pk").values_list("title", flat=True)[:200]),
            )
            raise Rollback
    except Rollback:
        pass
    return names


class DeterminismTests(TestCase):
    def test_same_seed_same_names(self):
        first = _names(3)
        assert first == _names(3)
        assert first[1] != _names(4)[1]
        assert any("Thị" in name for name in first[1])
