"""The vote rule (``council.decide``), table-driven: quorum and approval edges for each base,
exact shares pass and one vote less fails; absent members' written votes count in the base
and the yes votes but never in the quorum."""

from decimal import Decimal

import pytest

from guongsang.awards.council import decide
from guongsang.awards.models import AwardType, VoteBase


def rule(quorum="0.6667", approval="0.5", base=VoteBase.MEMBERS) -> AwardType:
    return AwardType(quorum=Decimal(quorum), approval=Decimal(approval), vote_base=base)


CASES = [
    # (id, rule, member_count, present, written, yes, no, abstain, quorum_met, passed)
    ("quorum 2/3 exactly: 6 of 9", rule(), 9, 6, 0, 6, 0, 0, True, True),
    ("quorum one less: 5 of 9", rule(), 9, 5, 0, 5, 0, 0, False, False),
    ("quorum 0.6667 means 2 of 3", rule(), 3, 2, 0, 2, 0, 0, True, True),
    ("quorum 1 of 2 is not 2/3", rule(), 2, 1, 0, 1, 0, 0, False, False),
    ("written votes never make the quorum", rule(), 9, 5, 4, 9, 0, 0, False, False),
    ("90% of members exactly: 9 of 10", rule("0.5", "0.9"), 10, 10, 0, 9, 1, 0, True, True),
    ("90% of members, one less: 8 of 10", rule("0.5", "0.9"), 10, 10, 0, 8, 2, 0, True, False),
    (
        "members base counts absentees as not agreeing",
        rule("0.5", "0.9"),
        10,
        9,
        0,
        9,
        0,
        0,
        True,
        True,
    ),
    ("members base: 8 present all yes of 10", rule("0.5", "0.9"), 10, 8, 0, 8, 0, 0, True, False),
    (
        "written yes votes count for members base",
        rule("0.5", "0.9"),
        10,
        7,
        3,
        10,
        0,
        0,
        True,
        True,
    ),
    (
        "present base exactly half",
        rule("0.5", "0.5", VoteBase.PRESENT),
        10,
        8,
        0,
        4,
        4,
        0,
        True,
        True,
    ),
    ("present base one less", rule("0.5", "0.5", VoteBase.PRESENT), 10, 8, 0, 3, 5, 0, True, False),
    (
        "present base includes written voters",
        rule("0.5", "0.5", VoteBase.PRESENT),
        10,
        6,
        2,
        4,
        4,
        0,
        True,
        True,
    ),
    (
        "present base, written makes base bigger",
        rule("0.5", "0.5", VoteBase.PRESENT),
        10,
        6,
        2,
        3,
        5,
        0,
        True,
        False,
    ),
    ("valid base exactly half", rule("0.5", "0.5", VoteBase.VALID), 10, 10, 0, 5, 5, 0, True, True),
    (
        "valid base: abstention is valid, not yes",
        rule("0.5", "0.5", VoteBase.VALID),
        10,
        10,
        0,
        4,
        4,
        2,
        True,
        False,
    ),
    (
        "valid base ignores those who did not vote",
        rule("0.5", "0.5", VoteBase.VALID),
        10,
        7,
        0,
        4,
        3,
        0,
        True,
        True,
    ),
    (
        "valid base with written votes",
        rule("0.5", "0.6667", VoteBase.VALID),
        9,
        6,
        3,
        6,
        3,
        0,
        True,
        True,
    ),
    (
        "valid base with written votes, one less",
        rule("0.5", "0.6667", VoteBase.VALID),
        9,
        6,
        3,
        5,
        4,
        0,
        True,
        False,
    ),
    ("no ballots never passes", rule("0", "0", VoteBase.VALID), 5, 5, 0, 0, 0, 0, True, False),
    ("no members never passes", rule("0", "0"), 0, 0, 0, 0, 0, 0, False, False),
    ("unanimity 100%", rule("1", "1"), 5, 5, 0, 5, 0, 0, True, True),
    ("unanimity, one abstains", rule("1", "1"), 5, 5, 0, 4, 0, 1, True, False),
]


@pytest.mark.parametrize(
    "award_type,members,present,written,yes,no,abstain,quorum_met,passed",
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_decide(award_type, members, present, written, yes, no, abstain, quorum_met, passed):
    result = decide(
        award_type=award_type,
        member_count=members,
        present=present,
        written=written,
        yes=yes,
        no=no,
        abstain=abstain,
    )
    assert result.quorum_met is quorum_met
    assert result.passed is passed
    assert result.words  # explained in words
    if not quorum_met:
        assert "Không đủ số thành viên" in result.words


def test_the_rule_in_words_names_figures_and_base():
    result = decide(
        award_type=rule("0.5", "0.9"),
        member_count=10,
        present=10,
        written=0,
        yes=9,
        no=1,
        abstain=0,
    )
    assert result.words == (
        "9/10 phiếu đồng ý (tổng số thành viên hội đồng), cần từ 90%: thông qua."
    )
