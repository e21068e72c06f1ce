"""Award histories for the Cao Bằng demo: runs after the exemplar demo, whose subjects it
finds by name (their "Gia đình văn hóa" titles are already awards). Years follow the calendar,
so the histories stay as described whatever today is (e.g. in 2026: LĐTT 2023–2025)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from guongsang.exemplars.models import Subject

from . import services
from .models import Award, AwardType
from .seed import seed_catalogue


def _give(subject: Subject, code: str, year: int, number: str, day: dt.date, body: str):
    award_type = AwardType.objects.get(code=code)
    if Award.objects.filter(subject=subject, award_type=award_type, year=year).exists():
        return
    services.award_add(
        subject=subject,
        by=None,
        award_type=award_type,
        year=year,
        decision_number=number,
        decision_date=day,
        conferred_by=body,
    )


@transaction.atomic
def load_demo(today: dt.date | None = None) -> None:
    seed_catalogue()
    today = today or dt.date.today()
    year = today.year
    subjects = {
        s.name: s
        for s in Subject.objects.filter(
            name__in=["Nông Thị Hạnh", "Hoàng Thị Duyên", "Chi hội Pác Khoang"]
        ).select_related("unit")
    }
    hanh = subjects.get("Nông Thị Hạnh")
    if hanh is not None:
        # Lao động tiên tiến three years running, then Chiến sĩ thi đua cơ sở twice, each with
        # the initiative it needs: one more year and she may be proposed for the province.
        for y in range(year - 3, year):
            _give(
                hanh,
                "lao-dong-tien-tien",
                y,
                f"{y - 2000 + 10}/QĐ-UBND",
                dt.date(y, 12, 20),
                "Chủ tịch UBND xã Đông Khê",
            )
        for y in range(year - 2, year):
            _give(
                hanh,
                "sang-kien",
                y,
                f"0{y - 2020}/QĐ-HPN",
                dt.date(y, 11, 5),
                "Hội LHPN xã Đông Khê",
            )
            _give(
                hanh,
                "cstd-co-so",
                y,
                f"{y - 2000 + 80}/QĐ-HPN",
                dt.date(y, 12, 28),
                "Ban Thường vụ Hội LHPN tỉnh Cao Bằng",
            )
    duyen = subjects.get("Hoàng Thị Duyên")
    if duyen is not None:
        for y in range(year - 3, year):
            _give(
                duyen,
                "gia-dinh-van-hoa",
                y,
                f"{y - 2000}/QĐ-UBND",
                dt.date(y, 12, 15),
                "UBND xã Đàm Thủy",
            )
        _give(
            duyen,
            "giay-khen-hoi-xa",
            year - 2,
            f"{year - 2000 - 2}/QĐ-HPN",
            dt.date(year - 2, 10, 20),
            "Hội LHPN xã Đàm Thủy",
        )
    pac_khoang = subjects.get("Chi hội Pác Khoang")
    if pac_khoang is not None:
        for y in range(year - 2, year):
            _give(
                pac_khoang,
                "tt-lao-dong-tien-tien",
                y,
                f"{y - 2000 + 100}/QĐ-HPN",
                dt.date(y, 12, 28),
                "Ban Thường vụ Hội LHPN tỉnh Cao Bằng",
            )
        _give(
            pac_khoang,
            "bang-khen-hoi-tinh",
            year - 1,
            f"{year - 2000 + 120}/QĐ-HPN",
            dt.date(year - 1, 12, 28),
            "Ban Thường vụ Hội LHPN tỉnh Cao Bằng",
        )


load_awards_demo = load_demo
