"""Outreach tests on top of the fixed cast and the exemplar pipeline of tests/exemplars: helpers
that recognise exemplars through the pipeline's services, record consent and publish stories."""

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from guongsang.exemplars import services as ex_services
from guongsang.exemplars.models import Category, Exemplar, ReviewAction, SubjectKind
from guongsang.outreach import services
from guongsang.outreach.models import Activity, ActivityForm, Consent, Story
from guongsang.units.models import Unit

from ..exemplars import conftest as pipeline
from ..exemplars.conftest import CULTURED_FAMILY, World

# The exemplar pipeline's fixtures, reused as they are.
movement = pipeline.movement
criteria_set = pipeline.criteria_set
review_round = pipeline.review_round
reviewer = pipeline.reviewer
world = pipeline.world

# The forms of plan 53/KH-BTV, section II.3, and those of the field (seeded by outreach/0002
# and 0008), in the order quick entry offers them.
HOI_NGHI = "Hội nghị"
NOI_CHUYEN = "Nói chuyện chuyên đề"
SINH_HOAT = "Sinh hoạt chi hội"
SINH_HOAT_TO = "Sinh hoạt tổ phụ nữ"
HOI_THAO = "Hội thảo, tọa đàm, giao lưu, trao đổi kinh nghiệm"
VAN_NGHE = "Văn hóa, văn nghệ, biểu dương"
HOI_THI = "Hội thi"
TIN_BAI = "Tin bài trên trang thông tin điện tử"
MANG_XA_HOI = "Mạng xã hội (Zalo, Facebook…)"
BAO_DAI = "Báo, đài địa phương"
LOA = "Loa truyền thanh xã, thôn, xóm"
BAN_TIN = "Bản tin “Thông tin Phụ nữ”"
PA_NO = "Pa nô, áp phích, khẩu hiệu"
PLAN_FORMS = [
    HOI_NGHI,
    NOI_CHUYEN,
    SINH_HOAT,
    SINH_HOAT_TO,
    HOI_THAO,
    VAN_NGHE,
    HOI_THI,
    TIN_BAI,
    MANG_XA_HOI,
    BAO_DAI,
    LOA,
    BAN_TIN,
    PA_NO,
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

STORY_BODY = (
    "<p>Chị giữ nghề dệt thổ cẩm và dạy lại cho các chị em trong xóm.</p>"
    "<h2>Cách làm mới</h2><ul><li>Nhận khách nghỉ tại nhà.</li></ul>"
)


def form(name: str) -> ActivityForm:
    return ActivityForm.objects.get(name=name)


def image_bytes(fmt: str = "JPEG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (173, 20, 87)).save(out, fmt)
    return out.getvalue()


def token_for(user) -> str:
    out = io.StringIO()
    call_command("create_api_token", user.username, stdout=out)
    return out.getvalue().strip()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Column:
    """Builds what the outreach tests need through the services."""

    world: World

    @property
    def cast(self):
        return self.world.cast

    def staff_for(self, unit: Unit):
        return (
            self.cast.b_staff
            if unit.path.startswith(self.cast.commune_b.path)
            else (self.cast.a_staff)
        )

    def exemplar(
        self,
        kind: str = SubjectKind.INDIVIDUAL,
        *,
        unit: Unit | None = None,
        name: str | None = None,
        category: str = Category.ADVANCED_EXEMPLAR,
        year: int | None = None,
        movement=None,
        **fields,
    ) -> Exemplar:
        """A subject recognised through the pipeline: nominated, completed, submitted,
        forwarded up to the province and recognised by its reviewer."""
        unit = unit or self.cast.branch_a
        by = self.staff_for(unit)
        subject = self.world.subject(kind, unit=unit, by=by, name=name, **fields)
        if year is not None:  # the prerequisite title, held in the nomination's year
            ex_services.subject_title_add(by=by, subject=subject, title=CULTURED_FAMILY, year=year)
        nomination = ex_services.nomination_create(
            by=by,
            subject=subject,
            category=category,
            movement=movement or self.world.movement,
            criteria_set=self.world.criteria_set,
            review_round=self.world.round,
            year=year,
        )
        nomination = self.world.complete(nomination, by=by)
        nomination = ex_services.nomination_submit(by=by, nomination=nomination)
        while nomination.current_unit_id != self.world.round.unit_id:
            nomination = ex_services.nomination_review(
                by=self.cast.province_admin, nomination=nomination, action=ReviewAction.FORWARD
            )
        ex_services.nomination_review(
            by=self.world.reviewer,
            nomination=nomination,
            action=ReviewAction.RECOGNISE,
            decision_ref="45/QĐ-BTV",
            decision_date=timezone.localdate(),
        )
        return Exemplar.objects.select_related("subject__unit").get(nomination=nomination)

    def consent(self, exemplar: Exemplar, *, by=None, given_by: str | None = None) -> Consent:
        subject = exemplar.subject
        return services.consent_record(
            by=by or self.staff_for(subject.unit),
            subject=subject,
            given_by=given_by or subject.name,
            capacity="Bản thân",
            given_on=timezone.localdate() - dt.timedelta(days=3),
        )

    def draft(
        self, exemplar: Exemplar, title: str = "Giữ nghề dệt, đón khách ở Bản Giốc", **kw
    ) -> Story:
        kw.setdefault("body", STORY_BODY)
        kw.setdefault("summary", "Một hộ hội viên làm du lịch cộng đồng.")
        return services.story_create(
            by=kw.pop("by", None) or self.staff_for(exemplar.subject.unit),
            exemplar=exemplar,
            title=title,
            **kw,
        )

    def in_review(self, exemplar: Exemplar, title: str = "Giữ nghề dệt", **kw) -> Story:
        story = self.draft(exemplar, title, **kw)
        return services.story_submit(by=self.staff_for(exemplar.subject.unit), story=story)

    def published(
        self, exemplar: Exemplar, title: str = "Giữ nghề dệt, đón khách ở Bản Giốc", **kw
    ) -> Story:
        if not exemplar.subject.consents.filter(withdrawn_on__isnull=True).exists():
            self.consent(exemplar)
        story = self.in_review(exemplar, title, **kw)
        return services.story_publish(by=self.cast.province_admin, story=story)


@pytest.fixture(autouse=True)
def plan_forms(db):
    """The seeded forms, put back if a transactional test flushed them."""
    for order, name in enumerate(PLAN_FORMS):
        ActivityForm.objects.get_or_create(name=name, defaults={"order": order})


@pytest.fixture
def column(world) -> Column:
    return Column(world)


def make_activity(by, unit, title: str = "Hội nghị biểu dương phụ nữ tiêu biểu", **kw) -> Activity:
    kw.setdefault("date", timezone.localdate() - dt.timedelta(days=10))
    kw.setdefault("form", form(HOI_NGHI))
    kw.setdefault("participants", 40)
    kw.setdefault("members", 30)
    return services.activity_create(by=by, unit=unit, title=title, **kw)
