"""The demo's award histories, on top of the whole Cao Bằng demo."""

import datetime as dt
import io

from django.core.management import call_command

from guongsang.awards.demo import load_demo
from guongsang.awards.models import Award
from guongsang.exemplars.models import Subject


def history(name: str) -> list[tuple[str, int]]:
    return list(
        Award.objects.filter(subject__name=name)
        .order_by("year", "award_type__rank", "name")
        .values_list("name", "year")
    )


def test_demo_histories(db):
    call_command("load_demo", stdout=io.StringIO())
    load_demo()
    year = dt.date.today().year
    hanh = history("Nông Thị Hạnh")
    for y in range(year - 3, year):
        assert ("Lao động tiên tiến", y) in hanh
    for y in range(year - 2, year):
        assert ("Chiến sĩ thi đua cơ sở", y) in hanh and ("Sáng kiến được công nhận", y) in hanh
    # The exemplar demo's title stays, as an award of the history.
    assert ("Gia đình văn hóa", year - 1) in hanh
    assert [y for n, y in history("Hoàng Thị Duyên") if n == "Gia đình văn hóa"] == [
        year - 3,
        year - 2,
        year - 1,
    ]
    assert ("Bằng khen của Hội LHPN tỉnh", year - 1) in history("Chi hội Pác Khoang")
    count = Award.objects.count()
    load_demo()  # again: nothing added
    assert Award.objects.count() == count
    duyen = Subject.objects.get(name="Hoàng Thị Duyên")
    assert all(a.unit_path == duyen.unit_path for a in duyen.awards.all())


def test_demo_commendation_cycle(db):
    """The province's round: its recognised exemplar and Đông Khê's member proposed, accepted,
    voted on by the province's council in a closed session, with its minutes' draft."""
    from guongsang.awards.demo import load_commendation_demo
    from guongsang.awards.models import (
        BallotCast,
        CommendationRound,
        ItemOutcome,
        ProposalState,
        Session,
        SessionState,
    )

    call_command("load_demo", stdout=io.StringIO())
    rnd = CommendationRound.objects.get(unit__name="Tỉnh Cao Bằng")
    proposals = {p.unit.name: p for p in rnd.proposals.all()}
    assert set(proposals) == {"Tỉnh Cao Bằng", "Xã Đông Khê"}
    assert {p.state for p in proposals.values()} == {ProposalState.ACCEPTED}
    items = {
        i.subject.name: i
        for p in proposals.values()
        for i in p.items.select_related("subject", "award_type")
    }
    assert items["Hoàng Thị Duyên"].award_type.code == "giay-khen-hoi-tinh"
    assert items["Nông Thị Hạnh"].award_type.code == "bang-khen-hoi-tinh"
    assert {i.outcome for i in items.values()} == {ItemOutcome.AWARDED}
    session = Session.objects.get(round=rnd)
    assert session.state == SessionState.CLOSED and session.minutes is not None
    assert [(a.yes, a.no, a.abstain, a.passed) for a in session.agenda.all()] == [
        (2, 0, 1, True),
        (2, 0, 1, True),
    ]
    assert BallotCast.objects.filter(session=session).count() == 3
    decision = session.decisions.get()
    assert decision.document.is_issued and decision.issued_at is not None
    assert {i.outcome for i in rnd.proposals.get(unit__name="Xã Đông Khê").items.all()} == {
        ItemOutcome.AWARDED
    }
    hanh_awards = Award.objects.filter(subject__name="Nông Thị Hạnh", source="decision")
    assert [a.decision_number for a in hanh_awards] == [decision.document.symbol]
    load_commendation_demo()  # again: nothing added
    assert CommendationRound.objects.count() == 1 and Session.objects.count() == 1
