"""Eligibility rules, table by table: each case names the history, the rule as the catalogue
holds it, and the sentence the officer reads. The rules are rows: a case changes a row, never
the code. The proposal year is YEAR (2026) throughout; the subject is ``aw.individual``, in
branch A1 of commune A (Xã Đông Khê)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guongsang.awards import eligibility
from guongsang.awards.eligibility import Outcome
from guongsang.awards.models import Award, AwardType, EligibilityRule, RuleKind, Severity
from guongsang.exemplars.models import Subject, SubjectKind

from .conftest import BANG_KHEN_TINH, CSTD_CS, CSTD_TINH, GDVH, LDTT, SANG_KIEN, TTLDTT

YEAR = 2026


def only_rule(entry: AwardType, kind: str, other: AwardType | None = None, **fields):
    """Make ``kind`` the entry's only rule (the seeded ones removed), so a case sees one finding."""
    entry.rules.all().delete()
    fields.setdefault("severity", Severity.BLOCK)
    return EligibilityRule.objects.create(award_type=entry, kind=kind, other=other, **fields)


def hold(subject: Subject, entry: AwardType, *years: int, free_text: str | None = None) -> None:
    """Record awards directly (past years and the proposal year alike); ``free_text``: as a
    migrated free-text row with no catalogue entry."""
    for year in years:
        Award.objects.create(
            subject=subject,
            award_type=None if free_text else entry,
            name=free_text or entry.name,
            year=year,
        )


def people(unit, n: int, prefix: str = "Hội viên") -> list[Subject]:
    return [
        Subject.objects.create(kind=SubjectKind.INDIVIDUAL, unit=unit, name=f"{prefix} {i}")
        for i in range(n)
    ]


def rule_finding(findings):
    [finding] = [f for f in findings if f.rule is not None]
    return finding


def check(aw, code, subject=None, **kw):
    subject = subject or aw.individual
    return eligibility.check(subject=subject, award_type=aw.catalogue[code], year=YEAR, **kw)


# ---- REQUIRES: the other entry held in the year (years = 0) or the year before (years = 1)

REQUIRES = [
    pytest.param(0, [2026], True, "Đã có “Lao động tiên tiến” năm 2026.", id="same-year-held"),
    pytest.param(
        0, [2025], False, "Chưa có “Lao động tiên tiến” năm 2026.", id="same-year-only-year-before"
    ),
    pytest.param(1, [2025], True, "Đã có “Lao động tiên tiến” năm 2025.", id="year-before-held"),
    pytest.param(
        1, [2026], False, "Chưa có “Lao động tiên tiến” năm 2025.", id="year-before-only-same-year"
    ),
    pytest.param(0, [], False, "Chưa có “Lao động tiên tiến” năm 2026.", id="never-held"),
]


@pytest.mark.parametrize(("years", "held", "ok", "sentence"), REQUIRES)
def test_requires(aw, years, held, ok, sentence):
    only_rule(aw.catalogue[CSTD_CS], RuleKind.REQUIRES, aw.catalogue[LDTT], years=years)
    hold(aw.individual, aw.catalogue[LDTT], *held)
    finding = rule_finding(check(aw, CSTD_CS))
    assert (finding.ok, finding.message) == (ok, sentence)


# ---- STREAK: the N consecutive years ending with the year before the proposal's year

STREAK = [
    pytest.param(
        [2023, 2024, 2025],
        True,
        "Đủ 3 năm liên tục đạt “Chiến sĩ thi đua cơ sở”: 2023, 2024, 2025.",
        id="exactly-three",
    ),
    pytest.param(
        [2024, 2025],
        False,
        "Chưa đủ 3 năm liên tục đạt “Chiến sĩ thi đua cơ sở”: có 2024, 2025; thiếu 2023.",
        id="two-of-three",
    ),
    pytest.param(
        [2023, 2025],
        False,
        "Chưa đủ 3 năm liên tục đạt “Chiến sĩ thi đua cơ sở”: có 2023, 2025; thiếu 2024.",
        id="gap",
    ),
    pytest.param(
        list(range(2018, 2026)),
        True,
        "Đủ 3 năm liên tục đạt “Chiến sĩ thi đua cơ sở”: 2023, 2024, 2025.",
        id="longer-streak",
    ),
    pytest.param(
        [2024, 2025, 2026],
        False,
        "Chưa đủ 3 năm liên tục đạt “Chiến sĩ thi đua cơ sở”: có 2024, 2025; thiếu 2023.",
        id="proposal-year-not-counted",
    ),
    pytest.param(
        [2019, 2020, 2021, 2022, 2024, 2025],
        False,
        "Chưa đủ 3 năm liên tục đạt “Chiến sĩ thi đua cơ sở”: có 2024, 2025; thiếu 2023.",
        id="long-but-broken",
    ),
    pytest.param(
        [],
        False,
        "Chưa đủ 3 năm liên tục đạt “Chiến sĩ thi đua cơ sở”: thiếu 2023, 2024, 2025.",
        id="never-held",
    ),
]


@pytest.mark.parametrize(("held", "ok", "sentence"), STREAK)
def test_streak_ending_the_year_before(aw, held, ok, sentence):
    """A proposal for 2026 of a rule whose streak ends with the year before: 2023–2025."""
    only_rule(
        aw.catalogue[CSTD_TINH],
        RuleKind.STREAK,
        aw.catalogue[CSTD_CS],
        years=3,
        ends_year_before=True,
    )
    hold(aw.individual, aw.catalogue[CSTD_CS], *held)
    finding = rule_finding(check(aw, CSTD_TINH))
    assert (finding.ok, finding.message) == (ok, sentence)


STREAK_WITH_THE_YEAR = [
    pytest.param(
        [2024, 2025, 2026],
        True,
        "Đủ 3 năm liên tục đạt “Chiến sĩ thi đua cơ sở”: 2024, 2025, 2026.",
        id="third-in-the-proposal-year",
    ),
    pytest.param(
        [2023, 2024, 2025],
        False,
        "Chưa đủ 3 năm liên tục đạt “Chiến sĩ thi đua cơ sở”: có 2024, 2025; thiếu 2026.",
        id="the-proposal-year-missing",
    ),
]


@pytest.mark.parametrize(("held", "ok", "sentence"), STREAK_WITH_THE_YEAR)
def test_streak_including_the_proposal_year(aw, held, ok, sentence):
    """The seeded reading of "Chiến sĩ thi đua cấp tỉnh": considered in the year of the third
    "Chiến sĩ thi đua cơ sở", so a 2026 proposal needs 2024, 2025 and 2026."""
    rule = aw.catalogue[CSTD_TINH].rules.get(kind=RuleKind.STREAK)
    assert rule.ends_year_before is False  # as seeded (migration 0007)
    aw.catalogue[CSTD_TINH].rules.exclude(pk=rule.pk).delete()
    hold(aw.individual, aw.catalogue[CSTD_CS], *held)
    finding = rule_finding(check(aw, CSTD_TINH))
    assert (finding.ok, finding.message) == (ok, sentence)


def test_seeded_streaks_read_as_the_decree_times_them(aw):
    """CSTĐ cấp tỉnh, cấp bộ: the year of the third CSTĐ cơ sở; toàn quốc: the year after."""
    readings = dict(
        EligibilityRule.objects.filter(kind=RuleKind.STREAK).values_list(
            "award_type__code", "ends_year_before"
        )
    )
    assert readings == {"cstd-cap-tinh": False, "cstd-cap-bo": False, "cstd-toan-quoc": True}


def held_run(held: set[int], year: int, offset: int) -> int:
    """Oracle: how many consecutive years the subject holds, counting back from the last year a
    streak may end with."""
    run, y = 0, year - offset
    while y in held:
        run, y = run + 1, y - 1
    return run


@settings(
    max_examples=60,
    deadline=None,
    database=None,  # no example database written into the checkout
    derandomize=True,  # the same examples on every run, so CI failures reproduce
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    held=st.sets(st.integers(2010, 2026), max_size=17),
    length=st.integers(1, 6),
    year=st.integers(2012, 2026),
    before=st.booleans(),
)
def test_streak_property(aw, held, length, year, before):
    """For any set of years held, the STREAK finding is ok iff the run of consecutive years
    ending where the streak ends is at least N long."""
    entry, other = aw.catalogue[CSTD_TINH], aw.catalogue[CSTD_CS]
    if not EligibilityRule.objects.filter(award_type=entry, kind=RuleKind.STREAK).exists():
        only_rule(entry, RuleKind.STREAK, other, years=1)
    EligibilityRule.objects.filter(award_type=entry).update(years=length, ends_year_before=before)
    Award.objects.filter(subject=aw.individual).delete()
    rows = [Award(subject=aw.individual, award_type=other, year=y) for y in held]
    for row in rows:
        row.fill_derived()
    Award.objects.bulk_create(rows)
    findings = eligibility.check(subject=aw.individual, award_type=entry, year=year)
    finding = rule_finding(findings)
    expected = held_run(held, year, 1 if before else 0) >= length
    assert finding.ok is expected, (sorted(held), length, year, finding.message)
    assert (eligibility.summary(findings) == Outcome.ELIGIBLE) is expected


# ---- NOT_WITHIN: not the same entry in the N years before, nor in the year itself

NOT_WITHIN = [
    pytest.param(
        5, [2020], True,
        "Không có “Bằng khen của Hội LHPN tỉnh” từ năm 2021 đến năm 2026.",
        id="5y-just-outside",
    ),
    pytest.param(
        5, [2021], False,
        "Đã có “Bằng khen của Hội LHPN tỉnh” năm 2021, trong 5 năm trước năm 2026 (từ năm 2021).",
        id="5y-first-year-inside",
    ),
    pytest.param(
        5, [2026], False, "Đã có “Bằng khen của Hội LHPN tỉnh” năm 2026.", id="5y-same-year"
    ),
    pytest.param(
        5, [2015, 2023, 2025], False,
        "Đã có “Bằng khen của Hội LHPN tỉnh” năm 2023, 2025, trong 5 năm trước năm 2026 "
        "(từ năm 2021).",
        id="5y-several",
    ),
    pytest.param(
        1, [2025], False,
        "Đã có “Bằng khen của Hội LHPN tỉnh” năm 2025, trong 1 năm trước năm 2026 (từ năm 2025).",
        id="1y-year-before",
    ),
    pytest.param(
        1, [2024], True,
        "Không có “Bằng khen của Hội LHPN tỉnh” từ năm 2025 đến năm 2026.",
        id="1y-two-years-before",
    ),
    pytest.param(
        5, [], True,
        "Không có “Bằng khen của Hội LHPN tỉnh” từ năm 2021 đến năm 2026.",
        id="never-held",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("years", "held", "ok", "sentence"), NOT_WITHIN)
def test_not_within(aw, years, held, ok, sentence):
    entry = aw.catalogue[BANG_KHEN_TINH]
    only_rule(entry, RuleKind.NOT_WITHIN, years=years)
    hold(aw.individual, entry, *held)
    finding = rule_finding(check(aw, BANG_KHEN_TINH))
    assert (finding.ok, finding.message) == (ok, sentence)


# ---- SHARE_CAP: holders in the scope's subtree and year, with the candidates, ≤ floor(p × base)

LINE = (
    "“Chiến sĩ thi đua cơ sở” năm 2026 của Hội LHPN xã Đông Khê: {n} người ({held} đã có, {new} "
    "đang đề nghị), {verdict} 15% của {base} người đạt “Lao động tiên tiến” (tối đa {cap})."
)

# ldtt_a / cstd_a: LĐTT and CSTĐCS holders of 2026 in commune A (others than the subject);
# the same in commune B; pending candidates in A and in B.
SHARE_CAP = [
    pytest.param(
        dict(ldtt_a=20, cstd_a=2), True,
        dict(n=3, held=2, new=1, verdict="trong mức", base=20, cap=3),
        id="exactly-at-floor",
    ),
    pytest.param(
        dict(ldtt_a=19, cstd_a=2), False,
        dict(n=3, held=2, new=1, verdict="vượt", base=19, cap=2),
        id="one-over",
    ),
    pytest.param(
        dict(ldtt_a=0, cstd_a=0), False,
        dict(n=1, held=0, new=1, verdict="vượt", base=0, cap=0),
        id="zero-holders-of-other",
    ),
    pytest.param(
        dict(ldtt_a=20, cstd_a=1, pending_a=1), True,
        dict(n=3, held=1, new=2, verdict="trong mức", base=20, cap=3),
        id="pending-within",
    ),
    pytest.param(
        dict(ldtt_a=20, cstd_a=1, pending_a=2), False,
        dict(n=4, held=1, new=3, verdict="vượt", base=20, cap=3),
        id="pending-counted-over",
    ),
    pytest.param(
        dict(ldtt_a=20, cstd_a=2, cstd_b=5), True,
        dict(n=3, held=2, new=1, verdict="trong mức", base=20, cap=3),
        id="other-commune-holders-not-counted",
    ),
    pytest.param(
        dict(ldtt_a=6, ldtt_b=20), False,
        dict(n=1, held=0, new=1, verdict="vượt", base=6, cap=0),
        id="other-commune-base-not-counted",
    ),
    pytest.param(
        dict(ldtt_a=20, cstd_a=2, pending_b=3), True,
        dict(n=3, held=2, new=1, verdict="trong mức", base=20, cap=3),
        id="pending-in-other-commune-not-counted",
    ),
    pytest.param(
        dict(ldtt_a=20, cstd_a=2, subject_holds=True), True,
        dict(n=3, held=3, new=0, verdict="trong mức", base=20, cap=3),
        id="candidate-already-holder-counted-once",
    ),
    pytest.param(
        dict(ldtt_a=20, cstd_a=2, free_text=True), True,
        dict(n=3, held=2, new=1, verdict="trong mức", base=20, cap=3),
        id="free-text-history-counted",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("setup", "ok", "figures"), SHARE_CAP)
def test_share_cap(aw, setup, ok, figures):
    cast, ldtt, cstd = aw.cast, aw.catalogue[LDTT], aw.catalogue[CSTD_CS]
    only_rule(cstd, RuleKind.SHARE_CAP, ldtt, share="0.15")
    free = {"free_text": "lao  dong tien tien"} if setup.get("free_text") else {}
    free_cstd = {"free_text": "chiến sĩ thi đua CƠ SỞ"} if setup.get("free_text") else {}
    for unit, suffix in ((cast.branch_a, "a"), (cast.branch_b, "b")):
        for s in people(unit, setup.get(f"ldtt_{suffix}", 0), f"LĐTT {suffix}"):
            hold(s, ldtt, YEAR, **free)
        for s in people(unit, setup.get(f"cstd_{suffix}", 0), f"CSTĐ {suffix}"):
            hold(s, cstd, YEAR, **free_cstd)
    pending = [s.pk for s in people(cast.group_a, setup.get("pending_a", 0), "Đề nghị a")]
    pending += [s.pk for s in people(cast.branch_b, setup.get("pending_b", 0), "Đề nghị b")]
    if setup.get("subject_holds"):
        hold(aw.individual, cstd, YEAR)
    finding = rule_finding(check(aw, CSTD_CS, pending=pending))
    assert (finding.ok, finding.message) == (ok, LINE.format(**figures))


def test_share_cap_scope_can_be_given(aw):
    """The caller may name the scope: the province counts both communes."""
    ldtt, cstd = aw.catalogue[LDTT], aw.catalogue[CSTD_CS]
    only_rule(cstd, RuleKind.SHARE_CAP, ldtt, share="0.15")
    for s in people(aw.cast.branch_a, 10) + people(aw.cast.branch_b, 10):
        hold(s, ldtt, YEAR)
    finding = rule_finding(check(aw, CSTD_CS, scope_unit=aw.cast.province))
    assert finding.ok
    assert "của Hội LHPN tỉnh Cao Bằng: 1 người" in finding.message
    assert "của 20 người đạt" in finding.message


def test_share_cap_batch_checked_as_a_whole(aw):
    """check_many: the subjects proposed together are each other's candidates."""
    ldtt, cstd = aw.catalogue[LDTT], aw.catalogue[CSTD_CS]
    only_rule(cstd, RuleKind.SHARE_CAP, ldtt, share="0.15")
    for s in people(aw.cast.branch_a, 13):
        hold(s, ldtt, YEAR)
    batch = people(aw.cast.branch_a, 2, "Đề nghị") + [aw.b_individual]
    found = eligibility.check_many(batch, cstd, YEAR)
    a_findings = [rule_finding(found[s.pk]) for s in batch[:2]]
    assert [f.ok for f in a_findings] == [False, False]
    assert "2 người (0 đã có, 2 đang đề nghị), vượt 15% của 13 người" in a_findings[0].message
    b_finding = rule_finding(found[aw.b_individual.pk])
    assert "Hội LHPN phường Tân Giang: 1 người" in b_finding.message


# ---- Severity is the rule's setting; inactive rules are ignored


@pytest.mark.parametrize(
    ("severity", "outcome"),
    [
        pytest.param(Severity.BLOCK, Outcome.BLOCKED, id="block"),
        pytest.param(Severity.WARN, Outcome.WARNINGS, id="warn"),
    ],
)
def test_severity_is_the_rules_setting(aw, severity, outcome):
    rule = only_rule(
        aw.catalogue[CSTD_CS], RuleKind.REQUIRES, aw.catalogue[SANG_KIEN], severity=severity
    )
    findings = check(aw, CSTD_CS)
    assert rule_finding(findings).severity == severity
    assert eligibility.summary(findings) == outcome
    # Changing the setting changes the outcome, without code.
    rule.severity = Severity.WARN if severity == Severity.BLOCK else Severity.BLOCK
    rule.save()
    other = Outcome.WARNINGS if outcome == Outcome.BLOCKED else Outcome.BLOCKED
    assert eligibility.summary(check(aw, CSTD_CS)) == other


def test_passing_rules_make_the_subject_eligible(aw):
    only_rule(aw.catalogue[CSTD_CS], RuleKind.REQUIRES, aw.catalogue[LDTT])
    hold(aw.individual, aw.catalogue[LDTT], YEAR)
    assert eligibility.summary(check(aw, CSTD_CS)) == Outcome.ELIGIBLE


def test_inactive_rule_is_ignored(aw):
    only_rule(aw.catalogue[CSTD_CS], RuleKind.REQUIRES, aw.catalogue[LDTT], active=False)
    findings = check(aw, CSTD_CS)
    assert [f for f in findings if f.rule is not None] == []
    assert eligibility.summary(findings) == Outcome.ELIGIBLE


def test_incomplete_rule_warns_that_it_was_not_checked(aw):
    only_rule(aw.catalogue[CSTD_CS], RuleKind.SHARE_CAP, aw.catalogue[LDTT], share=None)
    finding = rule_finding(check(aw, CSTD_CS))
    assert (finding.ok, finding.severity) == (False, Severity.WARN)
    assert "chưa kiểm tra được" in finding.message


# ---- The entry must apply to the subject's kind and be in use


@pytest.mark.parametrize(
    ("subject", "code", "sentence"),
    [
        pytest.param(
            "household", CSTD_CS, "“Chiến sĩ thi đua cơ sở” không dành cho hộ gia đình.",
            id="cstd-household",
        ),
        pytest.param(
            "collective", LDTT, "“Lao động tiên tiến” không dành cho tập thể.",
            id="ldtt-collective",
        ),
        pytest.param(
            "individual", GDVH, "“Gia đình văn hóa” không dành cho cá nhân.",
            id="gdvh-individual",
        ),
        pytest.param(
            "individual", TTLDTT, "“Tập thể lao động tiên tiến” không dành cho cá nhân.",
            id="ttldtt-individual",
        ),
    ],
)  # fmt: skip
def test_entry_not_for_the_subject_kind_blocks(aw, subject, code, sentence):
    findings = check(aw, code, subject=getattr(aw, subject))
    [applies] = [f for f in findings if f.kind == eligibility.APPLIES]
    assert (applies.ok, applies.severity, applies.message) == (False, Severity.BLOCK, sentence)
    assert eligibility.summary(findings) == Outcome.BLOCKED


def test_entry_for_the_subject_kind_says_so(aw):
    findings = check(aw, GDVH, subject=aw.household)
    [applies] = [f for f in findings if f.kind == eligibility.APPLIES]
    assert applies.ok and applies.message == "“Gia đình văn hóa” dành cho hộ gia đình."


def test_inactive_entry_blocks(aw):
    entry = aw.catalogue[GDVH]
    entry.active = False
    entry.save()
    findings = check(aw, GDVH, subject=aw.household)
    [inactive] = [f for f in findings if f.kind == eligibility.ACTIVE]
    assert inactive.message == "“Gia đình văn hóa” không còn được dùng."
    assert eligibility.summary(findings) == Outcome.BLOCKED


# ---- Free-text history migrated before the catalogue is matched by its folded name


@pytest.mark.parametrize(
    "written",
    [
        pytest.param("Lao động tiên tiến", id="as-catalogue"),
        pytest.param("lao  động TIÊN tiến", id="case-and-spaces"),
        pytest.param("Lao dong tien tien", id="without-diacritics"),
    ],
)
def test_free_text_history_matches(aw, written):
    only_rule(aw.catalogue[CSTD_CS], RuleKind.REQUIRES, aw.catalogue[LDTT])
    hold(aw.individual, None, YEAR, free_text=written)
    finding = rule_finding(check(aw, CSTD_CS))
    assert finding.ok, finding.message


def test_free_text_of_another_title_does_not_match(aw):
    only_rule(aw.catalogue[CSTD_CS], RuleKind.REQUIRES, aw.catalogue[LDTT])
    hold(aw.individual, None, YEAR, free_text="Lao động giỏi")
    assert not rule_finding(check(aw, CSTD_CS)).ok


def test_free_text_years_join_a_streak(aw):
    only_rule(aw.catalogue[CSTD_TINH], RuleKind.STREAK, aw.catalogue[CSTD_CS], years=3)
    hold(aw.individual, aw.catalogue[CSTD_CS], 2023, 2025)
    hold(aw.individual, None, 2024, free_text="chiến sĩ thi đua cơ sở")
    assert rule_finding(check(aw, CSTD_TINH)).ok


def test_free_text_counts_for_not_within(aw):
    entry = aw.catalogue[BANG_KHEN_TINH]
    only_rule(entry, RuleKind.NOT_WITHIN, years=5)
    hold(aw.individual, None, 2024, free_text="bằng khen của hội lhpn tỉnh")
    finding = rule_finding(check(aw, BANG_KHEN_TINH))
    assert not finding.ok and "năm 2024" in finding.message


# ---- The seeded catalogue as a whole


def test_seeded_cstd_co_so_explains_every_rule(aw):
    hold(aw.individual, aw.catalogue[LDTT], YEAR)
    messages = [f.message for f in check(aw, CSTD_CS)]
    assert messages[:3] == [
        "“Chiến sĩ thi đua cơ sở” dành cho cá nhân.",
        "Đã có “Lao động tiên tiến” năm 2026.",
        "Chưa có “Sáng kiến được công nhận” năm 2026.",
    ]
    assert messages[3].startswith("“Chiến sĩ thi đua cơ sở” năm 2026 của Hội LHPN xã Đông Khê")


def test_share_cap_limit_is_the_floor():
    from decimal import Decimal

    assert eligibility.share_cap_limit(Decimal("0.15"), 12) == 1
    assert eligibility.share_cap_limit(Decimal("0.15"), 20) == 3
    assert eligibility.share_cap_limit(Decimal("0.15"), 0) == 0
    assert eligibility.share_cap_limit(Decimal("1"), 7) == 7


# ---- Cost: a fixed number of queries whatever the history and the batch


def _history(subject, entries, years):
    for entry in entries:
        hold(subject, entry, *years)


@pytest.mark.parametrize("history_years", [1, 25], ids=["short-history", "long-history"])
def test_check_costs_fixed_queries(aw, django_assert_num_queries, history_years):
    """Seeded CSTĐ cơ sở: two REQUIRES and a share cap. Rules, the branch's commune (scope),
    the history, the share-cap aggregate."""
    entries = [aw.catalogue[LDTT], aw.catalogue[CSTD_CS], aw.catalogue[SANG_KIEN]]
    _history(aw.individual, entries, range(YEAR - history_years + 1, YEAR + 1))
    subject = Subject.objects.select_related("unit").get(pk=aw.individual.pk)
    entry = AwardType.objects.get(code=CSTD_CS)
    with django_assert_num_queries(4):
        eligibility.check(subject=subject, award_type=entry, year=YEAR)
    # The pending candidates' paths: one more.
    pending = [s.pk for s in people(aw.cast.branch_a, history_years)]
    with django_assert_num_queries(5):
        eligibility.check(subject=subject, award_type=entry, year=YEAR, pending=pending)
    # Rules prefetched with the entry: one fewer.
    entry = AwardType.objects.prefetch_related(eligibility.with_rules()).get(code=CSTD_CS)
    with django_assert_num_queries(3):
        eligibility.check(subject=subject, award_type=entry, year=YEAR)


@pytest.mark.parametrize("size", [2, 12], ids=["two-subjects", "twelve-subjects"])
def test_check_many_costs_fixed_queries(aw, django_assert_num_queries, size):
    """Subjects across two communes (two scopes), units not loaded: rules, units, communes,
    history, one aggregate."""
    entries = [aw.catalogue[LDTT], aw.catalogue[CSTD_CS]]
    batch = people(aw.cast.branch_a, size // 2) + people(aw.cast.branch_b, size - size // 2)
    for s in batch:
        _history(s, entries, range(2020, YEAR + 1))
    batch = list(Subject.objects.filter(pk__in=[s.pk for s in batch]))
    entry = AwardType.objects.get(code=CSTD_CS)
    with django_assert_num_queries(5):
        found = eligibility.check_many(batch, entry, YEAR)
    assert len(found) == size
    assert all(len(findings) == 4 for findings in found.values())


def test_check_many_of_nothing(aw):
    assert eligibility.check_many([], aw.catalogue[CSTD_CS], YEAR) == {}
