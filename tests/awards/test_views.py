"""Pages: the catalogue (read by everyone signed in, edited by the central union only), the base
salary, and the award history on the subject's page (recorded and removed by the subject's
unit; another commune gets the same 404 as for a missing award)."""

from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guongsang.awards.models import Award, AwardType, BaseSalary, EligibilityRule, RuleKind

from .conftest import CSTD_CS, CSTD_TINH, GDVH, KY_NIEM_CHUONG, LDTT, TTLDTT

CATALOGUE = reverse("awards:catalogue")
SALARY = reverse("awards:base_salary")


def subject_url(subject) -> str:
    return reverse("exemplars:subject_detail", args=[subject.pk])


def test_catalogue_page_in_words(aw):
    client = aw.cast.client_for(aw.cast.b_staff)
    body = client.get(CATALOGUE).content.decode()
    for text in (
        "Danh hiệu thi đua",
        "Hình thức khen thưởng",
        "Sáng kiến được công nhận",
        "Chiến sĩ thi đua cơ sở",
        "Kỷ niệm chương “Vì sự phát triển của phụ nữ Việt Nam”",
        "Giải thưởng Nguyễn Thị Định",
        # 1.0 × 2,340,000 đồng; 0.3 × 2,340,000 = 702,000 đồng.
        "2.340.000 đồng",
        "702.000 đồng",
        "Bỏ phiếu kín, từ 90% tổng số thành viên hội đồng",
        "Bỏ phiếu kín, từ 50% số phiếu hợp lệ",
        "Trung ương Hội",
    ):
        assert text in body, text
    assert reverse("awards:catalogue_edit", args=[CSTD_CS]) not in body
    detail = client.get(reverse("awards:catalogue_detail", args=[CSTD_CS])).content.decode()
    for text in (
        "Phải có “Lao động tiên tiến” trong cùng năm. (chặn)",
        "Phải có “Sáng kiến được công nhận” trong cùng năm. (chặn)",
        "Số được tặng trong một đơn vị không quá 15% số được tặng “Lao động tiên tiến” cùng năm. "
        "(cảnh báo)",
        "chưa xác nhận",
    ):
        assert text in detail, text
    tinh = client.get(reverse("awards:catalogue_detail", args=[CSTD_TINH])).content.decode()
    assert (
        "Họp khi có từ 66,67% thành viên hội đồng; bỏ phiếu kín; đạt khi được từ 90% tổng số "
        "thành viên hội đồng tán thành."
    ) in tinh
    assert "Phải có “Chiến sĩ thi đua cơ sở” 3 năm liên tục, tính cả năm đề nghị. (chặn)" in tinh
    once = client.get(reverse("awards:catalogue_detail", args=[KY_NIEM_CHUONG])).content.decode()
    assert "Mỗi đối tượng chỉ được tặng một lần. (chặn)" in once
    assert client.get(reverse("awards:catalogue_detail", args=["khong-co"])).status_code == 404
    assert client.get("/khen-thuong/danh-muc/" + "a" * 41 + "/").status_code == 404
    assert aw.cast.client_for(aw.cast.outsider).get(CATALOGUE).status_code == 200
    assert Client().get(CATALOGUE).status_code == 302  # signed-in users only


def test_catalogue_page_query_count(aw):
    client = aw.cast.client_for(aw.cast.a_staff)
    client.get(CATALOGUE)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(CATALOGUE).status_code == 200
    first = len(ctx)
    # More entries with more rules: the same number of queries.
    for n in range(5):
        extra = AwardType.objects.create(code=f"them-{n}", name=f"Giấy khen số {n}", kind="form")
        EligibilityRule.objects.create(award_type=extra, kind=RuleKind.NOT_WITHIN, years=2 + n)
    with CaptureQueriesContext(connection) as ctx:
        client.get(CATALOGUE)
    assert len(ctx) == first <= 12, [q["sql"] for q in ctx.captured_queries]


def test_catalogue_editing_is_for_the_central_union(aw):
    entry = aw.catalogue[TTLDTT]
    edit = reverse("awards:catalogue_edit", args=[TTLDTT])
    rule = aw.catalogue[CSTD_CS].rules.get(kind=RuleKind.SHARE_CAP)
    rule_url = reverse("awards:rule_edit", args=[CSTD_CS, rule.pk])
    data = {
        "name": "Tập thể lao động tiên tiến",
        "kind": "title",
        "for_collective": "on",
        "conferring_levels": ["province", "central"],
        "quorum": "0,6667",
        "approval": "0,5",
        "vote_base": "valid",
        "secret_ballot": "on",
        "prize_multiple": "1,0",
        "rank": "10",
        "active": "on",
        "note": "Hệ số đã được Ban Thường vụ xác nhận.",
    }
    for user in (aw.cast.province_admin, aw.cast.a_admin, aw.cast.outsider):
        client = aw.cast.client_for(user)
        assert client.get(edit).status_code == 404
        assert client.post(edit, data).status_code == 404
        assert (
            client.post(rule_url, {"severity": "block", "years": 0, "share": "0.2"}).status_code
            == 404
        )
        assert (
            client.post(SALARY, {"valid_from": "2026-07-01", "amount": "2530000"}).status_code
            == 404
        )
        assert (
            reverse("awards:catalogue_edit", args=[TTLDTT])
            not in client.get(reverse("awards:catalogue_detail", args=[TTLDTT])).content.decode()
        )
    entry.refresh_from_db()
    assert entry.prize_multiple == Decimal("0.80") and BaseSalary.objects.count() == 2

    client = aw.cast.client_for(aw.central_admin)
    assert client.get(edit).status_code == 200
    bad = client.post(edit, data | {"for_collective": ""})
    body = bad.content.decode()
    assert bad.status_code == 200 and "Chọn ít nhất một loại đối tượng được tặng." in body
    assert "Hệ số đã được Ban Thường vụ xác nhận." in body  # the input is kept
    assert "approval" in client.post(edit, data | {"approval": "1,5"}).context["form"].errors
    assert (
        "Danh mục đã có “lao dong tien tien”."
        in client.post(edit, data | {"name": "lao dong tien tien"}).content.decode()
    )
    assert client.post(edit, data).status_code == 302
    entry.refresh_from_db()
    assert (entry.prize_multiple, entry.note) == (
        Decimal("1.00"),
        "Hệ số đã được Ban Thường vụ xác nhận.",
    )
    assert (
        client.post(
            rule_url, {"severity": "block", "years": 0, "share": "0,2", "active": "on"}
        ).status_code
        == 302
    )
    rule.refresh_from_db()
    assert (rule.severity, rule.share) == ("block", Decimal("0.2000"))
    # A streak's end year is a setting of its rule (only a streak's form offers it).
    assert "ends_year_before" not in client.get(rule_url).context["form"].fields
    streak = aw.catalogue[CSTD_TINH].rules.get(kind=RuleKind.STREAK)
    streak_url = reverse("awards:rule_edit", args=[CSTD_TINH, streak.pk])
    assert "ends_year_before" in client.get(streak_url).context["form"].fields
    posted = {"severity": "block", "years": 3, "active": "on", "ends_year_before": "on"}
    assert client.post(streak_url, posted).status_code == 302
    streak.refresh_from_db()
    assert streak.ends_year_before is True
    detail = client.get(reverse("awards:catalogue_detail", args=[CSTD_TINH])).content.decode()
    assert "3 năm liên tục, đến năm trước năm đề nghị" in detail

    # The base salary: a new amount from a date; the same date twice is refused.
    response = client.post(
        SALARY, {"valid_from": "2026-07-01", "amount": "2530000", "basis": "NĐ mới"}
    )
    assert response.status_code == 302
    again = client.post(SALARY, {"valid_from": "01/07/2026", "amount": "2600000"})
    assert "Đã có mức lương cơ sở áp dụng từ ngày 01/07/2026." in again.content.decode()
    assert BaseSalary.objects.count() == 3


def test_history_on_the_subject_page(aw):
    staff = aw.cast.client_for(aw.cast.a_staff)
    url = subject_url(aw.household)
    page = staff.get(url).content.decode()
    assert "Quá trình khen thưởng" in page and "Chưa ghi khen thưởng nào." in page
    # The select offers the entries of the household kind only, "Gia đình văn hóa" first chosen.
    assert f'<option value="{aw.catalogue[GDVH].pk}" selected>Gia đình văn hóa</option>' in page
    assert f'value="{aw.catalogue[LDTT].pk}"' not in page
    response = staff.post(
        url,
        {
            "aw-award_type": aw.catalogue[GDVH].pk,
            "aw-year": "2024",
            "aw-decision_number": "15/QĐ-UBND",
            "aw-decision_date": "2024-12-20",
            "aw-conferred_by": "UBND xã Đông Khê",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Đã ghi vào quá trình khen thưởng." in body
    assert "15/QĐ-UBND" in body and "20/12/2024" in body and "UBND xã Đông Khê" in body
    # Refused: a duplicate, with the input kept and a Vietnamese message.
    again = staff.post(
        url, {"aw-award_type": aw.catalogue[GDVH].pk, "aw-year": "2024", "aw-conferred_by": "Xã"}
    )
    assert "Đối tượng đã có “Gia đình văn hóa” năm 2024." in again.content.decode()
    assert 'value="Xã"' in again.content.decode()
    # Neither an entry nor a name; an entry of another kind.
    empty = staff.post(url, {"aw-year": "2024"}).content.decode()
    assert "Chọn danh hiệu, hình thức khen thưởng hoặc nhập tên." in empty
    other = staff.post(url, {"aw-award_type": aw.catalogue[LDTT].pk, "aw-year": "2024"})
    assert other.status_code == 200 and "award_type" in other.context["award_form"].errors
    control = staff.post(url, {"aw-name": "Giấy\x01khen", "aw-year": "2024"})
    assert "Có ký tự không hợp lệ." in control.content.decode()
    assert Award.objects.filter(subject=aw.household).count() == 1


def test_history_query_count(aw):
    staff = aw.cast.client_for(aw.cast.a_staff)
    url = subject_url(aw.individual)
    staff.get(url)
    with CaptureQueriesContext(connection) as ctx:
        staff.get(url)
    first = len(ctx)
    for year in range(2015, 2025):
        aw.give(aw.individual, LDTT, year)
    with CaptureQueriesContext(connection) as ctx:
        body = staff.get(url).content.decode()
    assert body.count("Lao động tiên tiến</a>") == 10
    assert len(ctx) == first, [q["sql"] for q in ctx.captured_queries]


def test_delete_and_access(aw):
    b_award = aw.give(aw.b_individual, LDTT, 2024)
    a_award = aw.give(aw.individual, LDTT, 2024)
    for user in (aw.cast.a_staff, aw.cast.a_admin, aw.cast.outsider, aw.cast.branch_viewer):
        client = aw.cast.client_for(user)
        assert client.get(subject_url(aw.b_individual)).status_code == 404
        assert client.post(reverse("awards:award_delete", args=[b_award.pk])).status_code == 404
        assert client.post(reverse("awards:award_delete", args=[999999])).status_code == 404
        forged = client.post(
            subject_url(aw.b_individual),
            {"aw-award_type": aw.catalogue[CSTD_CS].pk, "aw-year": 2024},
        )
        assert forged.status_code == 404
    assert (
        aw.cast.client_for(aw.cast.a_staff)
        .post(reverse("awards:award_delete", args=[2**40]))
        .status_code
        == 404
    )
    # The branch viewer reads A's history but records nothing.
    viewer = aw.cast.client_for(aw.cast.branch_viewer)
    page = viewer.get(subject_url(aw.individual)).content.decode()
    assert "Lao động tiên tiến" in page and "Ghi khen thưởng" not in page
    assert viewer.post(reverse("awards:award_delete", args=[a_award.pk])).status_code == 404
    assert set(Award.objects.values_list("pk", flat=True)) == {a_award.pk, b_award.pk}
    staff = aw.cast.client_for(aw.cast.a_staff)
    assert staff.get(reverse("awards:award_delete", args=[a_award.pk])).status_code == 405
    response = staff.post(reverse("awards:award_delete", args=[a_award.pk]), follow=True)
    assert "Đã xóa “Lao động tiên tiến” năm 2024." in response.content.decode()
    assert set(Award.objects.values_list("pk", flat=True)) == {b_award.pk}


def test_navigation_has_the_awards_entry(aw):
    body = aw.cast.client_for(aw.cast.a_staff).get(CATALOGUE).content.decode()
    assert f'<a href="{CATALOGUE}" aria-current="page">Khen thưởng</a>' in body
