"""The exemplar pipeline on top of the fixed cast: a movement of the central union, a criteria
set and a review round of the province, a provincial reviewer, and helpers that build subjects
and nominations through the services.

Criteria of the set (each subject kind meets the general group plus its own):
  general     G1 required, evidence required; G2 required
  collective  C1 required; C2 optional
  individual  I1 required; I2 required, prerequisite title "Gia đình văn hóa"
  household   H1 required; H2 required, prerequisite title "Gia đình văn hóa"; H3 optional
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from guongsang.accounts.models import User
from guongsang.exemplars import services
from guongsang.exemplars.models import (
    CatalogueKind,
    Category,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    Movement,
    Nomination,
    ReviewAction,
    ReviewRound,
    Subject,
    SubjectKind,
)
from guongsang.exemplars.services import AnswerInput, CriterionSpec
from guongsang.units.models import Unit

from ..conftest import Cast
from ..factories import Role, make_user

CULTURED_FAMILY = "Gia đình văn hóa"
KINDS = [SubjectKind.COLLECTIVE, SubjectKind.INDIVIDUAL, SubjectKind.HOUSEHOLD]

G1 = "Chấp hành tốt chủ trương của Đảng, pháp luật của Nhà nước và quy định của địa phương"
G2 = "Có tinh thần tương thân, tương ái, tích cực tham gia công tác an sinh xã hội"
C1 = "Hoàn thành xuất sắc các hoạt động công tác Hội và phong trào phụ nữ"
C2 = "Tổ chức Đảng, đoàn thể trong sạch vững mạnh (nếu có)"
I1 = "Gương mẫu đi đầu trong các phong trào thi đua, các cuộc vận động"
I2 = "Gia đình phải đạt tiêu chuẩn danh hiệu “Gia đình văn hóa”"
H1 = "Đạt 8 tiêu chí của Cuộc vận động “Xây dựng gia đình 5 không, 3 sạch”"
H2 = "Hộ gia đình điển hình phải đạt tiêu chuẩn danh hiệu “Gia đình văn hóa”"
H3 = "Có thu nhập và mức sống cao hơn các hộ khác tại địa phương"

DEFAULT_NAMES = {
    SubjectKind.COLLECTIVE: "Chi hội Nà Pàn",
    SubjectKind.INDIVIDUAL: "Nông Thị Hạnh",
    SubjectKind.HOUSEHOLD: "Hoàng Thị Duyên",
}


def this_year() -> int:
    return timezone.localdate().year


@dataclass
class World:
    cast: Cast
    movement: Movement
    criteria_set: CriteriaSet
    round: ReviewRound
    reviewer: User

    def criterion(self, text: str) -> Criterion:
        return Criterion.objects.get(group__criteria_set=self.criteria_set, text=text)

    def subject(
        self,
        kind: str = SubjectKind.INDIVIDUAL,
        *,
        unit: Unit | None = None,
        by: User | None = None,
        name: str | None = None,
        **fields,
    ) -> Subject:
        unit = unit or self.cast.branch_a
        by = by or (self.cast.b_staff if unit.path.startswith(self.cast.commune_b.path) else None)
        by = by or self.cast.a_staff
        fields.setdefault("not_duplicate", True)
        if kind == SubjectKind.INDIVIDUAL:
            fields.setdefault("gender", "female")
            fields.setdefault("birth_year", 1985)
            fields.setdefault("ethnicity", "Tày")
        elif kind == SubjectKind.HOUSEHOLD:
            fields.setdefault("birth_year", 1979)
            fields.setdefault("member_count", 5)
        else:
            fields.setdefault("member_count", 46)
            fields.setdefault("women_percent", 100)
        return services.subject_create(
            by=by, unit=unit, kind=kind, name=name or DEFAULT_NAMES[kind], **fields
        )

    def _by(self, nomination_or_subject) -> User:
        unit = getattr(nomination_or_subject, "proposing_unit", None) or getattr(
            nomination_or_subject, "unit", None
        )
        return (
            self.cast.b_staff
            if unit.path.startswith(self.cast.commune_b.path)
            else (self.cast.a_staff)
        )

    def nominate(
        self, subject: Subject, *, by: User | None = None, category=Category.ADVANCED_EXEMPLAR
    ) -> Nomination:
        return services.nomination_create(
            by=by or self._by(subject),
            subject=subject,
            category=category,
            movement=self.movement,
            criteria_set=self.criteria_set,
            review_round=self.round,
        )

    def complete(self, nomination: Nomination, *, by: User | None = None) -> Nomination:
        """Everything a submission needs: every criterion met with evidence, the title the
        prerequisites ask for, and the achievement report."""
        by = by or self._by(nomination)
        subject = nomination.subject
        if not subject.awards.filter(name=CULTURED_FAMILY).exists():
            services.subject_title_add(
                by=by, subject=subject, title=CULTURED_FAMILY, year=this_year()
            )
        answers = {
            c.pk: AnswerInput(met=True, evidence_text="Có xác nhận của chi hội và UBND xã.")
            for c in services.criteria_for(nomination.criteria_set, subject.kind)
        }
        return services.nomination_save(
            by=by,
            nomination=nomination,
            answers=answers,
            achievement_report="Vận động 32 hộ hội viên trồng thạch đen, thu nhập tăng.",
        )

    def submitted(
        self, kind: str = SubjectKind.INDIVIDUAL, *, unit: Unit | None = None, **fields
    ) -> Nomination:
        """A complete nomination of a new subject, submitted to the unit above its own."""
        subject = self.subject(kind, unit=unit, **fields)
        nomination = self.complete(self.nominate(subject))
        return services.nomination_submit(by=self._by(subject), nomination=nomination)

    def at_province(self, kind: str = SubjectKind.INDIVIDUAL, **fields) -> Nomination:
        """Submitted from branch A1 and forwarded by commune A: waiting at the province."""
        nomination = self.submitted(kind, **fields)
        return services.nomination_review(
            by=self.cast.a_admin, nomination=nomination, action=ReviewAction.FORWARD
        )

    def recognised(self, kind: str = SubjectKind.INDIVIDUAL, **fields) -> Nomination:
        nomination = self.at_province(kind, **fields)
        return services.nomination_review(
            by=self.reviewer,
            nomination=nomination,
            action=ReviewAction.RECOGNISE,
            decision_ref="45/QĐ-BTV",
            decision_date=timezone.localdate(),
        )


@pytest.fixture
def movement(cast) -> Movement:
    return services.movement_create(
        by=None,
        unit=cast.central,
        kind=CatalogueKind.MOVEMENT,
        name="Xây dựng người Phụ nữ Việt Nam thời đại mới",
        start_year=2022,
        end_year=2027,
    )


@pytest.fixture
def criteria_set(cast, movement) -> CriteriaSet:
    return services.criteria_set_create(
        by=cast.province_admin,
        unit=cast.province,
        name="Tiêu chí phát hiện, lựa chọn điển hình tiên tiến",
        year=this_year(),
        movement=movement,
        source="Kế hoạch số 53/KH-BTV, mục II.2",
        groups=[
            (
                CriterionGroup.GENERAL,
                "Tiêu chí chung",
                [CriterionSpec(G1, evidence_required=True), CriterionSpec(G2)],
            ),
            (
                SubjectKind.COLLECTIVE,
                "Tập thể",
                [CriterionSpec(C1), CriterionSpec(C2, required=False)],
            ),
            (
                SubjectKind.INDIVIDUAL,
                "Cá nhân",
                [CriterionSpec(I1), CriterionSpec(I2, prerequisite_title=CULTURED_FAMILY)],
            ),
            (
                SubjectKind.HOUSEHOLD,
                "Hộ gia đình",
                [
                    CriterionSpec(H1),
                    CriterionSpec(H2, prerequisite_title=CULTURED_FAMILY),
                    CriterionSpec(H3, required=False),
                ],
            ),
        ],
    )


@pytest.fixture
def review_round(cast, movement) -> ReviewRound:
    return services.round_create(
        by=cast.province_admin,
        unit=cast.province,
        name=f"Xét điển hình tiên tiến năm {this_year()}",
        year=this_year(),
        deadline=timezone.localdate() + dt.timedelta(days=30),
        movement=movement,
    )


@pytest.fixture
def reviewer(cast) -> User:
    return make_user(
        cast.province, Role.REVIEWER, username="tinh.hoidong", full_name="Lưu Thị Hằng"
    )


@pytest.fixture
def world(cast, movement, criteria_set, review_round, reviewer) -> World:
    return World(
        cast=cast,
        movement=movement,
        criteria_set=criteria_set,
        round=review_round,
        reviewer=reviewer,
    )
