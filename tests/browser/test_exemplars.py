"""The exemplar pipeline in the browser: a commune officer nominates a member, the commune
forwards, the province returns it with a reason, the commune completes and resubmits, and the
province recognises it; the exemplar then stands in the registry and on the subject's page."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone

from guongsang.exemplars import services
from guongsang.exemplars.models import (
    CatalogueKind,
    Exemplar,
    Nomination,
    NominationState,
    ReviewAction,
    ReviewRound,
    Subject,
    SubjectKind,
)
from guongsang.exemplars.services import CriterionSpec

from ..factories import Role, make_user
from .conftest import SCREENSHOTS, choose

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

MOVEMENT = "Xây dựng người Phụ nữ Việt Nam thời đại mới"
SET_NAME = "Tiêu chí điển hình tiên tiến trong phong trào thi đua"
ROUND = "Xét điển hình tiên tiến cấp tỉnh"
C_LAW = "Chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước."
C_ACTIVE = "Tích cực tham gia các hoạt động của Hội và cộng đồng."
C_ECONOMY = "Có mô hình phát triển kinh tế hiệu quả, giúp đỡ ít nhất 3 hội viên khác thoát nghèo."
C_FAMILY = "Gia đình đạt danh hiệu “Gia đình văn hóa” năm xét hoặc năm trước đó."
SUBJECT = "Hoàng Thị Thúy Hằng"
RETURN_REASON = "Bổ sung ảnh mô hình nuôi ong và số hộ được giúp đỡ cụ thể."


def build_pipeline(cast):
    """A movement, a criteria set and a review round run by the province, and its reviewer."""
    year = timezone.localdate().year
    movement = services.movement_create(
        by=cast.province_admin,
        unit=cast.province,
        kind=CatalogueKind.MOVEMENT,
        name=MOVEMENT,
        start_year=year - 1,
        end_year=year + 4,
    )
    criteria_set = services.criteria_set_create(
        by=cast.province_admin,
        unit=cast.province,
        name=SET_NAME,
        year=year,
        movement=movement,
        source="Kế hoạch 53/KH-BTV",
        groups=[
            (
                "general",
                "Tiêu chí chung",
                [CriterionSpec(C_LAW), CriterionSpec(C_ACTIVE, required=False)],
            ),
            (
                "individual",
                "Tiêu chí đối với cá nhân",
                [
                    CriterionSpec(C_ECONOMY, evidence_required=True),
                    CriterionSpec(C_FAMILY, prerequisite_title="Gia đình văn hóa"),
                ],
            ),
        ],
    )
    services.round_create(
        by=cast.province_admin,
        unit=cast.province,
        name=ROUND,
        year=year,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        movement=movement,
    )
    reviewer = make_user(
        cast.province, Role.REVIEWER, username="tinh.xet", full_name="Nông Thị Minh Nguyệt"
    )
    return criteria_set, reviewer


def small_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (173, 20, 87)).save(buffer, format="PNG")
    return buffer.getvalue()


def criterion(page, text):
    return page.get_by_role("group", name=text)


def test_exemplar_pipeline(page, cast, login_as, shot, viewport):
    criteria_set, reviewer = build_pipeline(cast)
    year = timezone.localdate().year

    def screen(step):
        """What the phone shows right now (the sticky action bar over the criteria)."""
        page.screenshot(path=str(SCREENSHOTS / f"exemplar_pipeline-{step}-{viewport['width']}.png"))

    def switch_to(user):
        page.context.clear_cookies()
        login_as(user)

    def review(action_label, comment="", decision_ref="", decision_date=None):
        box = page.locator(".review-box")
        if comment:
            box.get_by_label(re.compile("^Ý kiến")).fill(comment)
        if decision_ref:
            box.get_by_label(re.compile("^Số quyết định")).fill(decision_ref)
        if decision_date:
            box.get_by_label("Ngày quyết định").fill(f"{decision_date:%Y-%m-%d}")
        box.get_by_role("button", name=action_label, exact=True).click()

    services.subject_create(
        by=None,
        unit=cast.group_a,
        kind=SubjectKind.INDIVIDUAL,
        name=SUBJECT,
        gender="female",
        birth_year=1986,
        ethnicity="Nùng",
    )

    # ---- Commune A's officer records a member of branch A as a subject. -----------------------
    switch_to(cast.a_staff)
    page.goto("/dien-hinh/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Điển hình tiên tiến")
    shot("dashboard")
    page.locator(".subnav").get_by_role("link", name="Đối tượng").click()
    page.get_by_role("link", name="Thêm cá nhân").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm đối tượng")
    choose(page, "Đơn vị quản lý", "na pan", "Chi hội Nà Pàn – Xã Đông Khê")
    page.get_by_label("Họ và tên").fill(SUBJECT)
    page.get_by_label("Giới tính").select_option(label="Nữ")
    page.get_by_label("Năm sinh").fill("1986")
    page.get_by_label("Dân tộc").select_option(label="Tày")
    page.get_by_label("Chức vụ, nghề nghiệp").fill("Chi hội trưởng, chủ mô hình nuôi ong")
    page.get_by_label("Điện thoại (chỉ nội bộ)").fill("0912345678")
    shot("subject-form")
    page.get_by_role("button", name="Lưu", exact=True).click()
    # A namesake born the same year in the same commune: flagged, and saved once confirmed.
    expect(page.locator(".msg-warning").first).to_contain_text("Có thể trùng:")
    expect(page.locator(".msg-warning").first).to_contain_text("Tổ phụ nữ số 1")
    shot("subject-duplicate")
    page.get_by_label("Không phải trùng: vẫn lưu").check()
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(f"Đã lưu đối tượng {SUBJECT}.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(SUBJECT)
    subject = Subject.objects.get(name=SUBJECT, unit=cast.branch_a)
    assert subject.unit == cast.branch_a

    # She holds the prerequisite title for this year: recorded in her award history (the
    # catalogue's "Gia đình văn hóa" is for households, so an individual's is typed as written).
    awards = page.locator("section", has=page.get_by_role("heading", name="Quá trình khen thưởng"))
    expect(awards).to_contain_text("Chưa ghi khen thưởng nào.")
    entry = awards.locator("details.award-add")
    entry.get_by_label("Hoặc ghi tên (không có trong danh mục)").fill("Gia đình văn hóa")
    expect(entry.get_by_label("Năm")).to_have_value(str(year))
    entry.get_by_label("Cấp tặng").fill("UBND xã Đông Khê")
    entry.get_by_role("button", name="Ghi khen thưởng").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi vào quá trình khen thưởng.")
    history = awards.locator("table.awards-history")
    expect(history).to_contain_text("Gia đình văn hóa")
    expect(history).to_contain_text(str(year))
    expect(history).to_contain_text("UBND xã Đông Khê")
    shot("subject")

    # ---- A nomination, filled in part. ---------------------------------------------------------
    page.get_by_role("link", name="Đề cử đối tượng này").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Đề cử {SUBJECT}")
    page.get_by_label("Loại điển hình").select_option(label="Điển hình tiên tiến")
    # The one round open to her unit is taken without a step of its own.
    expect(page.locator(".facts")).to_contain_text(ROUND)
    page.get_by_label("Phong trào").select_option(label=MOVEMENT)
    page.get_by_label("Bộ tiêu chí").select_option(label=str(criteria_set))
    shot("nomination-create")
    page.get_by_role("button", name="Tạo hồ sơ").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo hồ sơ đề cử (đang soạn).")
    nomination = Nomination.objects.get(subject=subject)
    expect(page).to_have_url(re.compile(rf"/de-cu/{nomination.pk}/sua/$"))

    page.get_by_label("Báo cáo thành tích").fill(
        "Chị Hằng là chi hội trưởng Chi hội Nà Pàn từ năm 2019.\n\n"
        "Mô hình nuôi ong lấy mật của gia đình cho thu nhập 120 triệu đồng mỗi năm."
    )
    criterion(page, C_ACTIVE).get_by_label("Đạt", exact=True).check()
    criterion(page, C_ECONOMY).get_by_label("Đạt", exact=True).check()
    criterion(page, C_FAMILY).get_by_label("Đạt", exact=True).check()
    # The first required criterion is left unanswered and the model has no evidence yet.
    shot("edit")
    criterion(page, C_ECONOMY).scroll_into_view_if_needed()
    expect(
        page.locator(".sticky-actions").get_by_role("button", name="Lưu nháp")
    ).to_be_in_viewport()
    screen("edit-screen")
    page.get_by_role("button", name="Lưu và gửi xét duyệt").click()
    messages = page.locator(".messages")
    expect(messages).to_contain_text("Đã lưu nhưng chưa gửi được:")
    expect(messages).to_contain_text(f"Chưa đạt tiêu chí bắt buộc: “{C_LAW}”.")
    expect(messages).to_contain_text(f"Thiếu minh chứng cho tiêu chí: “{C_ECONOMY}”.")
    expect(messages).not_to_contain_text("Gia đình văn hóa")  # she holds the title
    expect(criterion(page, C_ECONOMY).get_by_label("Đạt", exact=True)).to_be_checked()
    nomination.refresh_from_db()
    assert nomination.state == NominationState.DRAFT
    shot("missing")

    # A photo of the bee farm as evidence for the economic criterion.
    uploads = page.locator("section", has=page.get_by_role("heading", name="Tệp đính kèm"))
    uploads.get_by_label("Minh chứng cho").select_option(label=C_ECONOMY)
    uploads.get_by_label(re.compile("^Tệp")).set_input_files(
        {"name": "mô-hình-nuôi-ong.png", "mimeType": "image/png", "buffer": small_png()}
    )
    uploads.get_by_role("button", name="Tải lên").click()
    expect(page.locator(".messages")).to_contain_text("Đã tải tệp lên.")
    expect(criterion(page, C_ECONOMY)).to_contain_text("mô-hình-nuôi-ong.png")
    # A file sent by mistake is taken off again.
    uploads.get_by_label(re.compile("^Tệp")).set_input_files(
        {"name": "ảnh-nhầm.png", "mimeType": "image/png", "buffer": small_png()}
    )
    uploads.get_by_role("button", name="Tải lên").click()
    mistake = uploads.locator(".file-line", has_text="ảnh-nhầm.png")
    expect(mistake).to_have_count(1)
    # Its thumbnail loads lazily: let it arrive before the file is deleted, or the browser asks
    # for a file that is gone (a 404 in the console, as a CI run once saw).
    thumb = mistake.locator("img.thumb")
    thumb.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )
    mistake.get_by_role("button", name="Xóa tệp").click()
    expect(mistake).to_have_count(0)
    assert nomination.attachments.count() == 1

    criterion(page, C_LAW).get_by_label("Đạt", exact=True).check()
    criterion(page, C_ECONOMY).get_by_label("Minh chứng").fill(
        "Trại ong 80 đàn; đã hướng dẫn 5 hộ hội viên nuôi ong, 3 hộ thoát nghèo năm 2025."
    )
    shot("complete")
    page.get_by_role("button", name="Lưu và gửi xét duyệt").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi hồ sơ lên cấp trên xét duyệt.")
    expect(page).to_have_url(re.compile(rf"/de-cu/{nomination.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đang xét duyệt")
    expect(page.locator(".facts")).to_contain_text("Xã Đông Khê")
    shot("submitted")

    # ---- Commune A's admin forwards it to the province. ---------------------------------------
    switch_to(cast.a_admin)
    page.goto("/dien-hinh/")
    page.locator(".subnav").get_by_role("link", name="Chờ xét").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ chờ xét")
    shot("queue-commune")
    page.get_by_role("link", name=SUBJECT).click()
    review("Chuyển cấp trên")
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận: Chuyển cấp trên.")
    expect(page.locator(".facts")).to_contain_text("Tỉnh Cao Bằng")
    expect(page.locator(".review-box")).to_have_count(0)

    # ---- The province's reviewer returns it with a reason. ------------------------------------
    switch_to(reviewer)
    page.goto("/dien-hinh/cho-xet/")
    page.get_by_role("link", name=SUBJECT).click()
    checklist = page.locator(".checklist")
    expect(checklist.locator("li.met")).to_have_count(4)
    expect(checklist).to_contain_text("mô-hình-nuôi-ong.png")
    shot("review")
    review("Trả lại để bổ sung")  # no reason: refused
    expect(page.locator(".messages")).to_contain_text("Nhập lý do trả lại để đơn vị bổ sung.")
    review("Trả lại để bổ sung", comment=RETURN_REASON)
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận: Trả lại.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trả lại để bổ sung")

    # ---- Commune A's officer reads the reason, completes and resubmits. -----------------------
    switch_to(cast.a_staff)
    page.goto("/dien-hinh/")
    page.locator("section", has_text="Hồ sơ đang soạn hoặc bị trả lại").get_by_role(
        "link", name=SUBJECT
    ).click()
    expect(page.locator(".trail")).to_contain_text(RETURN_REASON)
    shot("returned")
    page.get_by_role("link", name="Sửa, bổ sung hồ sơ").click()
    expect(page.locator(".msg-warning")).to_contain_text(f"Lý do trả lại: {RETURN_REASON}")
    criterion(page, C_ECONOMY).get_by_label("Minh chứng").fill(
        "Trại ong 80 đàn; đã hướng dẫn 5 hộ hội viên nuôi ong (hộ chị Lục Thị Mây, Nông Thị Én, "
        "Hà Thị Liên, Bế Thị Vân, Lý Thị Sen), 3 hộ thoát nghèo năm 2025."
    )
    shot("resubmit")
    page.get_by_role("button", name="Lưu và gửi lại").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi hồ sơ lên cấp trên xét duyệt.")

    switch_to(cast.a_admin)
    page.goto(f"/dien-hinh/de-cu/{nomination.pk}/")
    review("Chuyển cấp trên")
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận: Chuyển cấp trên.")

    # ---- The province recognises it. ---------------------------------------------------------
    switch_to(reviewer)
    page.goto("/dien-hinh/cho-xet/")
    page.get_by_role("link", name=SUBJECT).click()
    review(
        "Công nhận",
        comment="Mô hình hiệu quả, cần nhân rộng.",
        decision_ref="125/QĐ-HPN",
        decision_date=timezone.localdate(),
    )
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận: Công nhận.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã công nhận")
    exemplar = Exemplar.objects.get(nomination=nomination)
    assert exemplar.recognising_unit == cast.province
    assert exemplar.decision_ref == "125/QĐ-HPN"
    assert exemplar.decision_date == timezone.localdate()

    trail = page.locator(".trail > li")
    expect(trail).to_have_count(6)
    expect(trail).to_contain_text(
        [
            "Gửi xét duyệt",
            "Chuyển cấp trên",
            "Trả lại",
            "Gửi xét duyệt",
            "Chuyển cấp trên",
            "Công nhận",
        ]
    )
    expect(trail.nth(2)).to_contain_text(RETURN_REASON)
    expect(trail.nth(2)).to_contain_text("Nông Thị Minh Nguyệt")
    expect(trail.nth(0)).to_contain_text("Bế Thị Hoa")
    expect(trail.nth(1)).to_contain_text("Đàm Thị Lan")
    assert list(nomination.steps.values_list("action", flat=True)) == [
        ReviewAction.SUBMIT,
        ReviewAction.FORWARD,
        ReviewAction.RETURN,
        ReviewAction.SUBMIT,
        ReviewAction.FORWARD,
        ReviewAction.RECOGNISE,
    ]
    shot("recognised")

    # ---- The registry and the subject's page. ------------------------------------------------
    switch_to(cast.a_staff)
    page.goto("/dien-hinh/")
    page.locator(".subnav").get_by_role("link", name="Sổ điển hình").click()
    row = page.locator("table.table tbody tr", has=page.get_by_role("link", name=SUBJECT))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Điển hình tiên tiến")
    expect(row).to_contain_text("125/QĐ-HPN")
    shot("registry")
    page.get_by_label("Tìm theo tên").fill("thuy hang")  # without diacritics
    page.get_by_role("button", name="Lọc").click()
    expect(row).to_have_count(1)
    row.get_by_role("link", name=SUBJECT).click()
    page.get_by_role("link", name=SUBJECT).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SUBJECT)
    history = page.locator(".history-item")
    expect(history).to_contain_text(f"Điển hình tiên tiến {year}")
    expect(history).to_contain_text("Tỉnh Cao Bằng")
    expect(page.locator("section", has_text="Quá trình đề cử")).to_contain_text("Đã công nhận")
    shot("subject-history")

    # The criteria set is in use now: shown read-only, with its prerequisite spelled out.
    page.goto(f"/dien-hinh/bo-tieu-chi/{criteria_set.pk}/")
    expect(page.locator(".msg-warning")).to_contain_text("Bộ tiêu chí đã được dùng")
    expect(page.locator("ol.criteria").last).to_contain_text("phải có danh hiệu “Gia đình văn hóa”")
    expect(page.get_by_role("button", name="Xóa tiêu chí")).to_have_count(0)
    shot("criteria-set")


def nominate(criteria_set, name, *, unit, by):
    """A complete nomination for a new individual, submitted to the commune."""
    subject = services.subject_create(
        by=by, unit=unit, kind=SubjectKind.INDIVIDUAL, name=name, gender="female"
    )
    services.subject_title_add(
        by=by, subject=subject, title="Gia đình văn hóa", year=timezone.localdate().year
    )
    nomination = services.nomination_create(
        by=by,
        subject=subject,
        category="new_model",
        movement=criteria_set.movement,
        criteria_set=criteria_set,
        review_round=ReviewRound.objects.get(name=ROUND),
        achievement_report="Mô hình “Tổ phụ nữ tiết kiệm” giúp 12 hội viên vay vốn.",
    )
    answers = {
        c.pk: services.AnswerInput(met=True, evidence_text="Biên bản họp chi hội.")
        for c in services.criteria_for(criteria_set, SubjectKind.INDIVIDUAL)
    }
    services.nomination_save(by=by, nomination=nomination, answers=answers)
    return services.nomination_submit(by=by, nomination=nomination)


def test_exemplar_lists(page, cast, login_as, shot):
    """The list pages with something in every state, as the province's admin sees them."""
    criteria_set, reviewer = build_pipeline(cast)
    one = nominate(criteria_set, "Lý Thị Ngọc Ánh", unit=cast.branch_a, by=cast.a_staff)
    two = nominate(criteria_set, "Đàm Thị Thu", unit=cast.group_a, by=cast.a_staff)
    three = nominate(criteria_set, "Hà Thị Mai", unit=cast.branch_a, by=cast.a_staff)
    for n in (one, two, three):
        services.nomination_review(by=cast.a_admin, nomination=n, action=ReviewAction.FORWARD)
    services.nomination_review(
        by=reviewer,
        nomination=one,
        action=ReviewAction.RECOGNISE,
        decision_ref="45/QĐ-BTV",
        decision_date=timezone.localdate(),
    )
    services.nomination_review(
        by=reviewer, nomination=two, action=ReviewAction.RETURN, comment="Thiếu ảnh minh chứng."
    )
    services.nomination_review(
        by=reviewer, nomination=three, action=ReviewAction.REJECT, comment="Chưa đủ tiêu chí."
    )
    login_as(cast.province_admin)

    page.goto("/dien-hinh/de-cu/")
    table = page.locator("table.table")
    expect(table.locator(".state-recognised")).to_have_text("Đã công nhận")
    expect(table.locator(".state-returned")).to_have_text("Trả lại để bổ sung")
    expect(table.locator(".state-rejected")).to_have_text("Không duyệt")
    shot("nominations")
    page.get_by_label("Trạng thái").select_option(label="Không duyệt")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("table.table tbody tr")).to_have_count(1)
    expect(page.locator("table.table")).to_contain_text("Hà Thị Mai")

    page.goto(f"/dien-hinh/de-cu/{three.pk}/")
    expect(page.locator(".reason")).to_contain_text("Lý do không duyệt: Chưa đủ tiêu chí.")
    shot("rejected")

    page.goto("/dien-hinh/doi-tuong/")
    expect(page.locator("table.table tbody tr")).to_have_count(3)
    shot("subjects")

    page.goto("/dien-hinh/so-dien-hinh/")
    page.get_by_role("link", name="Lý Thị Ngọc Ánh").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lý Thị Ngọc Ánh")
    page.get_by_label("Nội dung bồi dưỡng").fill("Tập huấn kỹ năng quản lý tổ tiết kiệm.")
    page.get_by_role("button", name="Ghi bồi dưỡng").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nội dung bồi dưỡng.")
    choose(page, "Đơn vị nhân rộng", "tan giang", "Phường Tân Giang – Tỉnh Cao Bằng")
    page.get_by_label("Kết quả").fill("Thành lập 2 tổ tiết kiệm mới.")
    page.get_by_role("button", name="Ghi nhân rộng").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận nhân rộng.")
    shot("exemplar")

    for name, path in {
        "rounds": "/dien-hinh/dot-xet/",
        "criteria-sets": "/dien-hinh/bo-tieu-chi/",
        "movements": "/dien-hinh/phong-trao/",
        "queue-below": "/dien-hinh/cho-xet/?cap_duoi=1",
    }.items():
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        shot(name)
