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
