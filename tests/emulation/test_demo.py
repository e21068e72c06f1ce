"""The Cao Bằng emulation demo: the province's communes in four clusters with leaders and
deputies, a 100-point table for the communes (counted, not assumed), the members' pledges, no
scores; loading it again adds nothing."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from guongsang.emulation.demo import load_emulation_demo
from guongsang.emulation.models import (
    Block,
    BlockMember,
    CriterionKind,
    Pledge,
    PledgeTarget,
    PointsCriterion,
    PointsTable,
    Score,
)
from guongsang.units import demo as units_demo
from guongsang.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _counts():
    return (
        Block.objects.count(),
        BlockMember.objects.count(),
        PointsTable.objects.count(),
        PointsCriterion.objects.count(),
        Pledge.objects.count(),
        PledgeTarget.objects.count(),
    )


def test_emulation_demo_on_the_units_demo(django_assert_max_num_queries):
    units_demo.load_demo()
    load_emulation_demo()
    province = Unit.objects.get(code="04")
    blocks = list(Block.objects.filter(organiser=province, year=YEAR).order_by("name"))
    assert [b.name for b in blocks] == [f"Cụm thi đua số {n}" for n in (1, 2, 3, 4)]
    # Every current commune of the province in exactly one cluster, each with a leader and a
    # deputy among its members.
    communes = set(
        Unit.objects.subtree_of(province)
        .current()
        .filter(kind=UnitKind.COMMUNE)
        .values_list("pk", flat=True)
    )
    members = list(BlockMember.objects.filter(organiser=province, year=YEAR))
    assert sorted(m.unit_id for m in members) == sorted(communes)
    for block in blocks:
        ids = {m.unit_id for m in members if m.block_id == block.pk}
        assert block.leader_id in ids and block.deputy_id in ids and block.leader != block.deputy
    one = blocks[0]
    assert (one.leader.name, one.deputy.name) == ("Xã Đông Khê", "Phường Tân Giang")

    table = PointsTable.objects.get(issuing_unit=province, year=YEAR)
    assert table.level == UnitKind.COMMUNE and table.frozen_at is None

    def total(kind, **filters):
        return PointsCriterion.objects.filter(group__table=table, kind=kind, **filters).aggregate(
            s=Sum("max_points")
        )["s"]

    assert total(CriterionKind.SCORED) == Decimal(100)
    groups = {g.code: total(CriterionKind.SCORED, group=g) for g in table.groups.order_by("order")}
    assert groups == {
        "I": Decimal(20),
        "II": Decimal(30),
        "III": Decimal(25),
        "IV": Decimal(15),
        "V": Decimal(10),
        "VI": None,
    }
    assert total(CriterionKind.BONUS) == Decimal(5)
    assert total(CriterionKind.PENALTY) == Decimal(5)

    # Pledges: every member but the last three of cluster 4, free-text targets (no report forms
    # loaded); no scores.
    assert Pledge.objects.filter(block__in=blocks).count() == len(members) - 3
    assert Pledge.objects.get(block=one, unit=one.leader).targets.count() == 3
    assert not Score.objects.exists()

    # Again: nothing added, and cheaply.
    before = _counts()
    with django_assert_max_num_queries(12):
        load_emulation_demo()
    assert _counts() == before


def test_demo_pages_for_the_demo_logins(db):
    """The full demo (as ``load_demo`` loads it): the pledges sign for the annual report form's
    indicators, and the demo logins see their clusters."""
    call_command("load_demo", stdout=io.StringIO())
    target = PledgeTarget.objects.filter(indicator__form__code="KH53-NAM").first()
    assert target is not None and target.target is not None
    from django.test import Client

    client = Client()
    assert client.login(username="tinh.thuongtruc", password=units_demo.DEMO_PASSWORD)
    text = client.get(reverse("emulation:home")).content.decode()
    assert "Cụm thi đua số 4" in text
    table = PointsTable.objects.get(issuing_unit__code="04", year=YEAR)
    text = client.get(reverse("emulation:table_detail", args=[table.pk])).content.decode()
    assert "Công tác tuyên truyền, giáo dục" in text and ">100<" in text
    client = Client()
    assert client.login(username="tangiang.canbo", password=units_demo.DEMO_PASSWORD)
    text = client.get(reverse("emulation:home")).content.decode()
    assert "Cụm thi đua số 1" in text and "Cụm thi đua số 2" not in text
