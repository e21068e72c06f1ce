"""The Cao Bằng demo: today's 56 commune-level unions, a few branches and groups, part of the
pre-2025 district structure with its mergers, and one account for each kind of user.

The lineage of the former communes below is illustrative demo data for trying the software,
not the official merger list (Nghị quyết of the Standing Committee of the National Assembly)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from guongsang.accounts.models import Membership, Role, User

from . import admin_units
from .models import Unit, UnitKind
from .services import REFORM_DATE, unit_close, unit_create

DEMO_PASSWORD = "GuongSang@2026"
LAST_DAY_BEFORE_REFORM = REFORM_DATE - dt.timedelta(days=1)

# Former districts (closed 30/6/2025) and former communes, each with the code of today's commune
# it went into.
FORMER = [
    (
        "H-THACHAN",
        "Huyện Thạch An",
        [
            ("X-DONGKHE", "Thị trấn Đông Khê", "Xã Đông Khê"),
            ("X-THUYHUNG", "Xã Thụy Hùng", "Xã Đông Khê"),
            ("X-DUCLONG", "Xã Đức Long", "Xã Đức Long"),
        ],
    ),
    (
        "H-TRUNGKHANH",
        "Huyện Trùng Khánh",
        [
            ("X-TTTRUNGKHANH", "Thị trấn Trùng Khánh", "Xã Trùng Khánh"),
            ("X-DAMTHUY", "Xã Đàm Thủy", "Xã Đàm Thuỷ"),
            ("X-CHIVIEN", "Xã Chí Viễn", "Xã Đàm Thuỷ"),
        ],
    ),
]

BRANCHES = {
    "Xã Đông Khê": ["Chi hội Nà Pàn", "Chi hội Pác Khoang", "Chi hội Bản Giới"],
    "Phường Tân Giang": ["Chi hội Tổ dân phố 1", "Chi hội Tổ dân phố 2"],
    "Xã Đàm Thuỷ": ["Chi hội Bản Giốc", "Chi hội Đàm Thủy"],
}

# username, full name, home unit (name or code), role, position
USERS = [
    ("tinh.thuongtruc", "Hoàng Thị Thu Hà", "04", Role.ADMIN, "Phó Chủ tịch Hội LHPN tỉnh"),
    ("tinh.canbo", "Nông Thị Mai", "04-BTG", Role.STAFF, "Cán bộ Ban Tuyên giáo"),
    ("tinh.hoidong", "Lưu Thị Hằng", "04", Role.REVIEWER, "Ủy viên Hội đồng TĐKT"),
    ("dongkhe.thuongtruc", "Đàm Thị Lan", "Xã Đông Khê", Role.ADMIN, "Chủ tịch Hội LHPN xã"),
    ("dongkhe.canbo", "Bế Thị Hoa", "Xã Đông Khê", Role.STAFF, "Cán bộ Hội LHPN xã"),
    ("tangiang.canbo", "Triệu Thị Nga", "Phường Tân Giang", Role.STAFF, "Cán bộ Hội LHPN phường"),
    # A ward late on the province's plan: she finds the reminder in her notifications.
    ("thucphan.canbo", "Nông Thị Duyên", "Phường Thục Phán", Role.STAFF, "Cán bộ Hội LHPN phường"),
    ("chihoi.napan", "Lục Thị Xuân", "Chi hội Nà Pàn", Role.VIEWER, "Chi hội trưởng"),
]


def _unit(ref: str) -> Unit:
    # Today's units only: a former commune may share its name with today's.
    return Unit.objects.filter(code=ref).first() or Unit.objects.exclude(
        parent__kind=UnitKind.DISTRICT
    ).get(name=ref, valid_to__isnull=True)


@transaction.atomic
def load_demo() -> list[tuple[str, str, str, str]]:
    """Load the demo into an empty database; returns the logins (username, password, name, role)."""
    province = admin_units.find_province("Cao Bằng")
    admin_units.import_province(province)
    cao_bang = Unit.objects.get(code=admin_units.province_code(province.code.value))

    for code, name in (("04-VP", "Văn phòng"), ("04-BTG", "Ban Tuyên giáo")):
        if not Unit.objects.filter(code=code).exists():
            unit_create(code=code, name=name, kind=UnitKind.DEPARTMENT, parent=cao_bang)

    for district_code, district_name, communes in FORMER:
        if Unit.objects.filter(code=district_code).exists():
            continue
        district = unit_create(
            code=district_code, name=district_name, kind=UnitKind.DISTRICT, parent=cao_bang
        )
        for code, name, successor_name in communes:
            old = unit_create(code=code, name=name, kind=UnitKind.COMMUNE, parent=district)
            unit_close(
                unit=old,
                on=REFORM_DATE,
                successor=_unit(successor_name),
                note="Sắp xếp đơn vị hành chính cấp xã năm 2025 (dữ liệu minh họa).",
            )
        unit_close(
            unit=district,
            on=REFORM_DATE,
            successor=cao_bang,
            note="Kết thúc hoạt động cấp huyện từ 01/7/2025.",
        )

    for commune_name, branches in BRANCHES.items():
        commune = _unit(commune_name)
        for i, branch_name in enumerate(branches, start=1):
            code = f"{commune.code}-CH{i:02d}"
            if Unit.objects.filter(code=code).exists():
                continue
            branch = unit_create(
                code=code,
                name=branch_name,
                kind=UnitKind.BRANCH,
                parent=commune,
                valid_from=dt.date(2025, 7, 1),
            )
            for j in (1, 2):
                unit_create(
                    code=f"{code}-T{j}",
                    name=f"Tổ phụ nữ số {j}",
                    kind=UnitKind.GROUP,
                    parent=branch,
                )

    for username, full_name, unit_ref, role, position in USERS:
        unit = _unit(unit_ref)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                unit=unit,
                position=position,
            )
            role_unit = cao_bang if unit.kind == UnitKind.DEPARTMENT else unit
            Membership.objects.create(user=user, unit=role_unit, role=role)
    return demo_logins()


def demo_logins() -> list[tuple[str, str, str, str]]:
    users = User.objects.filter(username__in=[row[0] for row in USERS]).select_related("unit")
    by_name = {user.username: user for user in users}
    rows = []
    for username, full_name, _unit_ref, role, _position in USERS:
        if username in by_name:
            unit = by_name[username].unit
            rows.append((username, DEMO_PASSWORD, full_name, f"{Role(role).label} · {unit}"))
    return rows
