"""The demo: the seed's movements, plan 53/KH-BTV's criteria word for word, the 8 criteria of
"5 không, 3 sạch", and nominations in every state with real trails."""

import datetime as dt
import io
import re
from pathlib import Path

from django.core.management import call_command

from guongsang.exemplars import seed_criteria as seed
from guongsang.exemplars.models import (
    CriteriaSet,
    CriterionGroup,
    Exemplar,
    Movement,
    Nomination,
    NominationState,
    SubjectKind,
)

PLAN_53 = Path(__file__).resolve().parents[2] / "guongsang/plans/data/53-KH-BTV-2017.txt"

MOVEMENTS = {
    "Phụ nữ tích cực học tập, lao động sáng tạo, xây dựng gia đình hạnh phúc",
    "Rèn luyện phẩm chất đạo đức: tự tin, tự trọng, trung hậu, đảm đang",
    "Xây dựng gia đình 5 không, 3 sạch",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Xây dựng người Phụ nữ Việt Nam thời đại mới",
}


def shape(criteria_set) -> dict[str, list[str]]:
    return {
        g.subject_kind: [c.text for c in g.criteria.order_by("order", "pk")]
        for g in criteria_set.groups.order_by("order", "pk")
    }


def test_seed_criteria_are_worded_as_plan_53():
    """seed_criteria.py against the plan's own text, section II.2.2 and II.2.3 a, b, c."""
    text = PLAN_53.read_text(encoding="utf-8")
    section = text[text.index("2.2 Tiêu chí chung") : text.index("3. Hình thức tuyên truyền")]
    parts = re.split(r"\n(?:2\.3 Tiêu chí cụ thể|[abc]\) [^\n]+)", section)
    items = [
        [line.strip()[1:].strip() for line in part.splitlines() if line.strip()[:1] in ("-", "+")]
        for part in parts
    ]
    items = [i for i in items if i]
    assert items == [
        seed.GENERAL_53,
        seed.COLLECTIVE_53,
        seed.INDIVIDUAL_53,
        seed.HOUSEHOLD_53,
    ]
    assert [len(i) for i in items] == [3, 5, 5, 7]


def test_load_demo(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "tinh.hoidong" in out.getvalue()

    assert set(Movement.objects.values_list("name", flat=True)) >= MOVEMENTS
    assert Movement.objects.filter(name__in=MOVEMENTS).count() == 5
    assert all(m.issuing_unit.code == "TW" for m in Movement.objects.filter(name__in=MOVEMENTS))

    plan_sets = CriteriaSet.objects.filter(source__contains="53/KH-BTV").order_by("version")
    assert [(s.year, s.version) for s in plan_sets] == [(2017, 1), (dt.date.today().year, 2)]
    expected = {
        CriterionGroup.GENERAL: seed.GENERAL_53,
        SubjectKind.COLLECTIVE: seed.COLLECTIVE_53,
        SubjectKind.INDIVIDUAL: seed.INDIVIDUAL_53,
        SubjectKind.HOUSEHOLD: seed.HOUSEHOLD_53,
    }
    for criteria_set in plan_sets:
        assert criteria_set.issuing_unit.code == "04"
        groups = shape(criteria_set)
        assert list(groups) == ["general", "collective", "individual", "household"]
        assert {k: len(v) for k, v in groups.items()} == {
            "general": 3,
            "collective": 5,
            "individual": 5,
            "household": 7,
        }
        assert groups == expected
        # The last individual and household criteria ask for the "Gia đình văn hóa" title.
        for kind in (SubjectKind.INDIVIDUAL, SubjectKind.HOUSEHOLD):
            last = criteria_set.groups.get(subject_kind=kind).criteria.order_by("order").last()
            assert last.prerequisite_title == seed.CULTURED_FAMILY == "Gia đình văn hóa"
    assert plan_sets[1].previous == plan_sets[0]
    assert plan_sets[0].in_use is False and plan_sets[1].in_use is True

    five_three = CriteriaSet.objects.get(movement__name="Xây dựng gia đình 5 không, 3 sạch")
    assert shape(five_three) == {SubjectKind.HOUSEHOLD: seed.FIVE_NO_THREE_CLEAN}
    assert seed.FIVE_NO_THREE_CLEAN == [
        "Không đói nghèo",
        "Không vi phạm pháp luật và tệ nạn xã hội",
        "Không có bạo lực gia đình",
        "Không sinh con thứ 3 trở lên",
        "Không có trẻ em suy dinh dưỡng và bỏ học",
        "Sạch nhà",
        "Sạch bếp",
        "Sạch ngõ",
    ]

    # Nominations in several states, each with its trail; one recognised, nurtured, replicated.
    states = set(Nomination.objects.values_list("state", flat=True))
    assert states >= {
        NominationState.DRAFT,
        NominationState.SUBMITTED,
        NominationState.RETURNED,
        NominationState.RECOGNISED,
    }
    for nomination in Nomination.objects.exclude(state=NominationState.DRAFT):
        assert nomination.steps.exists()
    exemplar = Exemplar.objects.get()
    assert exemplar.recognising_unit.code == "04"
    assert exemplar.nurture_notes.exists() and exemplar.replications.exists()
    returned = Nomination.objects.get(state=NominationState.RETURNED)
    assert returned.steps.last().comment
