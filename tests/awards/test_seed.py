"""The seeded catalogue: every entry domain.md names, its rules, the base salaries; seeding
again adds nothing and keeps what the union changed."""

import datetime as dt
from decimal import Decimal

from guongsang.awards import seed, services
from guongsang.awards.models import AwardType, BaseSalary, EligibilityRule, RuleKind

from .conftest import (
    CSTD_CS,
    CSTD_TINH,
    CSTD_TQ,
    GDVH,
    KY_NIEM_CHUONG,
    LDTT,
    NGUYEN_THI_DINH,
    SANG_KIEN,
    TTLDTT,
)


def test_seed_is_idempotent_and_keeps_edits(catalogue):
    counts = (
        AwardType.objects.count(),
        EligibilityRule.objects.count(),
        BaseSalary.objects.count(),
    )
    assert counts == (len(seed.CATALOGUE), len(seed.RULES), 2)
    AwardType.objects.filter(code=TTLDTT).update(prize_multiple=Decimal("1.0"))
    again = seed.seed_catalogue()
    assert set(again) == {e["code"] for e in seed.CATALOGUE}
    assert (
        AwardType.objects.count(),
        EligibilityRule.objects.count(),
        BaseSalary.objects.count(),
    ) == counts
    assert AwardType.objects.get(code=TTLDTT).prize_multiple == Decimal("1.0")


def test_catalogue_values(catalogue):
    ldtt, cstd = catalogue[LDTT], catalogue[CSTD_CS]
    assert (ldtt.for_individual, ldtt.for_collective, ldtt.for_household) == (True, False, False)
    assert catalogue[GDVH].for_household and not catalogue[GDVH].for_individual
    assert [catalogue[c].prize_multiple for c in (LDTT, CSTD_CS, CSTD_TINH, CSTD_TQ, TTLDTT)] == [
        Decimal("0.30"),
        Decimal("1.00"),
        Decimal("3.00"),
        Decimal("4.50"),
        Decimal("0.80"),
    ]
    assert "chưa xác nhận" in catalogue[TTLDTT].note
    tinh = catalogue[CSTD_TINH]
    assert (tinh.approval, tinh.vote_base, tinh.secret_ballot) == (
        Decimal("0.9000"),
        "members",
        True,
    )
    assert (cstd.quorum, cstd.approval, cstd.vote_base) == (
        Decimal("0.6667"),
        Decimal("0.5000"),
        "valid",
    )
    rules = {
        (r.kind, r.other.code if r.other else None, r.years, r.share, r.severity)
        for r in cstd.rules.all()
    }
    assert rules == {
        (RuleKind.REQUIRES, LDTT, 0, None, "block"),
        (RuleKind.REQUIRES, SANG_KIEN, 0, None, "block"),
        (RuleKind.SHARE_CAP, LDTT, 0, Decimal("0.1500"), "warn"),
    }
    assert [(r.kind, r.other.code, r.years) for r in tinh.rules.all()] == [
        (RuleKind.STREAK, CSTD_CS, 3)
    ]
    assert [(r.kind, r.other.code, r.years) for r in catalogue[CSTD_TQ].rules.all()] == [
        (RuleKind.STREAK, CSTD_TINH, 2)
    ]
    for code in (NGUYEN_THI_DINH, KY_NIEM_CHUONG):
        assert [(r.kind, r.years) for r in catalogue[code].rules.all()] == [
            (RuleKind.NOT_WITHIN, 100)
        ]
        assert "một lần" in catalogue[code].note.lower()


def test_base_salary_on(catalogue):
    assert services.base_salary_on(dt.date(2023, 6, 30)) is None
    assert services.base_salary_on(dt.date(2023, 7, 1)).amount == 1800000
    assert services.base_salary_on(dt.date(2024, 6, 30)).amount == 1800000
    assert services.base_salary_on(dt.date(2024, 7, 1)).amount == 2340000
    assert services.base_salary_on(dt.date(2026, 12, 2)).basis == "Nghị định 73/2024/NĐ-CP"
    assert services.prize_amount(catalogue[CSTD_CS], dt.date(2025, 1, 1)) == 2340000
    assert services.prize_amount(catalogue[LDTT], dt.date(2024, 1, 1)) == 540000
    assert services.prize_amount(catalogue[GDVH], dt.date(2025, 1, 1)) is None
