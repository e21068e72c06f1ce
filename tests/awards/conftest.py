"""Commendation tests on top of the fixed cast (tests/conftest.py):

Trung ương Hội (TW) ── Tỉnh Cao Bằng ─┬─ commune A (Xã Đông Khê) ── branch A1 ── group A1a
                                      └─ commune B (Phường Tân Giang) ── branch B1

Users: ``central_admin`` (admin of TW: may edit the catalogue), ``cast.province_admin``,
``cast.a_staff`` / ``cast.a_admin`` (commune A), ``cast.b_staff`` (commune B), ``cast.outsider``
(another province). Subjects of each kind in commune A's branch, and an individual and a
household in commune B's branch.

``catalogue`` is the seeded catalogue, {code: AwardType} (``seed_catalogue`` is idempotent: the
data migration already seeded it, transactional tests flush it). ``aw.give(subject, code, year)``
records an award through the service as the staff of the subject's commune."""

import datetime as dt
from dataclasses import dataclass

import pytest

from guongsang.accounts.models import User
from guongsang.awards import seed
from guongsang.awards.models import Award, AwardType
from guongsang.exemplars import services as ex_services
from guongsang.exemplars.models import Subject, SubjectKind

from ..conftest import Cast
from ..factories import Role, make_user

# Catalogue codes the tests use.
LDTT = "lao-dong-tien-tien"
CSTD_CS = "cstd-co-so"
CSTD_TINH = "cstd-cap-tinh"
CSTD_TQ = "cstd-toan-quoc"
SANG_KIEN = "sang-kien"
TTLDTT = "tt-lao-dong-tien-tien"
TTLDXS = "tt-lao-dong-xuat-sac"
GDVH = "gia-dinh-van-hoa"
GIAY_KHEN_XA = "giay-khen-hoi-xa"
BANG_KHEN_TINH = "bang-khen-hoi-tinh"
KY_NIEM_CHUONG = "kniem-chuong-vi-phu-nu"
NGUYEN_THI_DINH = "giai-thuong-nguyen-thi-dinh"


@dataclass
class Awards:
    cast: Cast
    catalogue: dict[str, AwardType]
    central_admin: User
    individual: Subject  # commune A, branch A1
    household: Subject  # commune A, branch A1
    collective: Subject  # commune A, branch A1
    b_individual: Subject  # commune B, branch B1
    b_household: Subject  # commune B, branch B1

    def staff_for(self, subject: Subject) -> User:
        in_b = subject.unit_path.startswith(self.cast.commune_b.path)
        return self.cast.b_staff if in_b else self.cast.a_staff

    def give(self, subject: Subject, code: str, year: int, *, by: User | None = None, **kw):
        """Record an award of the catalogue entry ``code`` through the service."""
        from guongsang.awards import services

        return services.award_add(
            subject=subject,
            by=by or self.staff_for(subject),
            award_type=self.catalogue[code],
            year=year,
            **kw,
        )

    def history(self, subject: Subject) -> list[tuple[str, int]]:
        return list(
            Award.objects.filter(subject=subject)
            .order_by("year", "name")
            .values_list("name", "year")
        )


@pytest.fixture
def catalogue(db) -> dict[str, AwardType]:
    return seed.seed_catalogue()


@pytest.fixture
def central_admin(cast) -> User:
    return make_user(cast.central, Role.ADMIN, username="tw.admin", full_name="Hà Thị Nga")


def make_subject(by: User, unit, kind: str, name: str, **fields) -> Subject:
    fields.setdefault("not_duplicate", True)
    if kind == SubjectKind.INDIVIDUAL:
        fields.setdefault("gender", "female")
        fields.setdefault("birth_year", 1985)
    elif kind == SubjectKind.HOUSEHOLD:
        fields.setdefault("birth_year", 1979)
        fields.setdefault("member_count", 5)
    else:
        fields.setdefault("member_count", 46)
    return ex_services.subject_create(by=by, unit=unit, kind=kind, name=name, **fields)


@pytest.fixture
def aw(cast, catalogue, central_admin) -> Awards:
    a, b = cast.a_staff, cast.b_staff
    return Awards(
        cast=cast,
        catalogue=catalogue,
        central_admin=central_admin,
        individual=make_subject(a, cast.branch_a, SubjectKind.INDIVIDUAL, "Nông Thị Hạnh"),
        household=make_subject(a, cast.branch_a, SubjectKind.HOUSEHOLD, "Hoàng Thị Duyên"),
        collective=make_subject(a, cast.branch_a, SubjectKind.COLLECTIVE, "Chi hội Nà Pàn"),
        b_individual=make_subject(b, cast.branch_b, SubjectKind.INDIVIDUAL, "Triệu Thị Mai"),
        b_household=make_subject(b, cast.branch_b, SubjectKind.HOUSEHOLD, "Lương Thị Tâm"),
    )


@pytest.fixture
def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
