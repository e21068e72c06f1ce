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
