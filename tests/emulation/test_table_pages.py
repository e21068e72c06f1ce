"""Points tables by page: the organiser lists her tables by year, creates one (level, bands,
tie-break), adds groups and criteria while it is not used, and makes a new version once it is
frozen; members of her clusters read it; other provinces get 404; bad input is a message."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from guongsang.emulation import services
from guongsang.emulation.models import PointsCriterion, PointsGroup, PointsTable

from .test_block_pages import YEAR
from .test_block_pages import emu as emu  # noqa: F401,PLC0414 - the ``emu`` fixture

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"emulation:{name}", args=args)


def test_table_list_by_year(emu):
    client = emu.login(emu.cast.province_admin)
    page = client.get(url("table_list"))
    text = page.content.decode()
    assert page.status_code == 200 and "Bảng điểm xã" in text and "Lập bảng điểm" in text
    assert "Xã, phường, đặc khu" in text and "đang soạn" in text
    text = client.get(url("table_list"), {"nam": YEAR + 1}).content.decode()
    assert "Bảng điểm xã" not in text and f"Chưa có bảng điểm thi đua nào năm {YEAR + 1}" in text
    # Members of her clusters read it; an unclustered province does not; no "create" for them.
    text = emu.login(emu.cast.a_staff).get(url("table_list")).content.decode()
    assert "Bảng điểm xã" in text and "Lập bảng điểm" not in text
    text = emu.login(emu.cast.outsider).get(url("table_list")).content.decode()
    assert "Bảng điểm xã" not in text
    for bad in ("２０２６", "99999", "\x00"):
        page = client.get(url("table_list"), {"nam": bad})
        assert (
            page.status_code == 200 and "Năm phải là số từ 1900 đến 2100." in page.content.decode()
        )


def test_table_list_query_count(emu, django_assert_max_num_queries):
    for n in range(12):
        services.table_create(
            by=emu.cast.province_admin,
            issuing_unit=emu.cast.province,
            year=YEAR,
            level="commune",
            name=f"Bảng số {n}",
        )
    client = emu.login(emu.cast.province_admin)
    with django_assert_max_num_queries(10):
        page = client.get(url("table_list"))
    assert page.content.decode().count("Bảng số") == 12


def test_table_detail_shows_groups_criteria_and_totals(emu):
    page = emu.login(emu.cast.a_staff).get(url("table_detail", emu.table.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert "I. Công tác tuyên truyền" in text and "(100 điểm)" in text
    assert "II. Thưởng, trừ" in text and "(0 điểm)" in text
    assert "Tổng điểm chấm" in text and ">100<" in text
    assert "+5" in text and "−5" in text and "bắt buộc" in text
    assert "Xuất sắc từ 95; tốt từ 85; khá từ 70" in text
    assert "ít điểm trừ hơn; nhiều điểm thưởng hơn" in text
    assert "Thêm tiêu chí" not in text  # a member reads only
    text = (
        emu.login(emu.cast.province_admin).get(url("table_detail", emu.table.pk)).content.decode()
    )
    assert "Thêm nhóm tiêu chí" in text and "Thêm tiêu chí" in text
    for user in (emu.cast.outsider, emu.cast.branch_viewer):
        assert emu.login(user).get(url("table_detail", emu.table.pk)).status_code == 404
    assert emu.login(emu.cast.outsider).get(f"/thi-dua/bang-diem/{'9' * 30}/").status_code == 404


def test_table_detail_query_count(emu, django_assert_max_num_queries):
    by = emu.cast.province_admin
    for n in range(6):
        group = services.group_add(by=by, table=emu.table, code=f"G{n}", title=f"Nhóm {n}")
        for m in range(5):
            services.criterion_add(
                by=by,
                group=group,
                code=f"{n}.{m}",
                text="Tiêu chí",
                max_points=Decimal(1),
                figure="activities",
            )
    client = emu.login(by)
    with django_assert_max_num_queries(14):
        page = client.get(url("table_detail", emu.table.pk))
    assert page.content.decode().count("Nhóm ") >= 6


def test_create_a_table(emu):
    client = emu.login(emu.cast.province_admin)
    page = client.get(url("table_create"))
    assert page.status_code == 200 and "Xã, phường, đặc khu" in page.content.decode()
    data = {
        "issuing_unit": emu.cast.province.pk,
        "name": "Bảng điểm các ban",
        "year": YEAR,
        "level": "department",
        "excellent_from": "90",
        "good_from": "80,5",
        "fair_from": "65",
        "tie_1": "more_bonus",
        "tie_2": "earlier_submission",
        "tie_3": "",
    }
    response = client.post(url("table_create"), data)
    table = PointsTable.objects.get(name="Bảng điểm các ban")
    assert response.status_code == 302 and response["Location"] == url("table_detail", table.pk)
    assert (table.level, table.good_from, table.tie_break) == (
        "department",
        Decimal("80.5"),
        "more_bonus,earlier_submission",
    )
    cases = [
        ({"name": "a\x00"}, "ký tự điều khiển"),
        ({"year": "٢٠٢٦"}, "Năm phải là số"),
        ({"year": "99999"}, "Năm phải là số"),
        ({"level": "province"}, "Hãy chọn"),
        ({"issuing_unit": emu.cast.other_province.pk}, "Hãy chọn"),
        ({"excellent_from": "70", "good_from": "80"}, "giảm dần"),
        ({"excellent_from": "１"}, "Nhập một số, ví dụ 7,5."),
        ({"excellent_from": "1e400"}, "Điểm phải từ 0 đến 1000."),
        ({"tie_2": "more_bonus"}, "Mỗi cách xét chỉ chọn một lần."),
        ({"tie_1": "coin_toss"}, "Hãy chọn"),
    ]
    for change, message in cases:
        page = client.post(url("table_create"), {**data, "name": "Bảng X", **change})
        assert page.status_code == 200, change
        assert message in page.content.decode(), change
    assert not PointsTable.objects.filter(name="Bảng X").exists()
    # Not an organiser: 404.
    for user in (emu.cast.a_admin, emu.c_staff):
        assert emu.login(user).get(url("table_create")).status_code == 404


def test_add_groups_and_criteria(emu):
    client = emu.login(emu.cast.province_admin)
    response = client.post(
        url("table_group_add", emu.table.pk), {"code": "III", "title": "Xây dựng tổ chức Hội"}
    )
    assert response.status_code == 302
    group = PointsGroup.objects.get(table=emu.table, code="III")
    response = client.post(
        url("table_criterion_add", emu.table.pk),
        {
            "group": group.pk,
            "code": "3.1",
            "text": "Phát triển hội viên mới",
            "kind": "scored",
            "max_points": "7,5",
            "evidence_required": "on",
            "figure": "activities",
        },
    )
    assert response.status_code == 302
    criterion = PointsCriterion.objects.get(group=group)
    assert (criterion.max_points, criterion.evidence_required, criterion.figure) == (
        Decimal("7.5"),
        True,
        "activities",
    )
    text = client.get(url("table_detail", emu.table.pk)).content.decode()
    assert (
        "Phát triển hội viên mới" in text and "107,5" in text and "Hoạt động tuyên truyền" in text
    )
    other = services.table_create(
        by=emu.cast.province_admin,
        issuing_unit=emu.cast.province,
        year=YEAR,
        level="commune",
        name="Bảng khác",
    )
    foreign_group = services.group_add(
        by=emu.cast.province_admin, table=other, code="I", title="Nhóm"
    )
    cases = [
        ({"group": foreign_group.pk}, "Hãy chọn"),
        ({"max_points": "0"}, "Điểm phải từ 0,01 đến 1000."),
        ({"max_points": "5000"}, "Điểm phải từ 0,01 đến 1000."),
        ({"max_points": "1e400"}, "Điểm phải từ 0,01 đến 1000."),
        ({"max_points": "１"}, "Nhập một số, ví dụ 7,5."),
        ({"code": "x" * 11}, "tối đa 10 kí tự"),
        ({"text": "a\x00"}, "ký tự điều khiển"),
        ({"kind": "magic"}, "Hãy chọn"),
        ({"figure": "no.such.figure"}, "Hãy chọn"),
    ]
    good = {"group": group.pk, "code": "3.2", "text": "T", "kind": "bonus", "max_points": "2"}
    for change, message in cases:
        page = client.post(url("table_criterion_add", emu.table.pk), {**good, **change})
        assert page.status_code == 200, change
        assert message in page.content.decode(), change
    page = client.post(url("table_group_add", emu.table.pk), {"code": "", "title": "a\x00"})
    assert page.status_code == 200 and "ký tự điều khiển" in page.content.decode()
    assert PointsCriterion.objects.filter(group=group).count() == 1
    # A member, another province: 404.
    for user in (emu.cast.a_admin, emu.cast.outsider):
        c = emu.login(user)
        assert (
            c.post(url("table_group_add", emu.table.pk), {"code": "X", "title": "X"}).status_code
            == 404
        )
        assert c.post(url("table_criterion_add", emu.table.pk), good).status_code == 404
        assert c.post(url("table_version", emu.table.pk)).status_code == 404


def test_frozen_table_is_read_only_and_gets_a_new_version(emu):
    PointsTable.objects.filter(pk=emu.table.pk).update(frozen_at=timezone.now())
    client = emu.login(emu.cast.province_admin)
    text = client.get(url("table_detail", emu.table.pk)).content.decode()
    assert "đã được dùng để chấm" in text and "Lập phiên bản mới" in text
    assert "Thêm tiêu chí" not in text
    page = client.post(
        url("table_group_add", emu.table.pk), {"code": "X", "title": "Nhóm mới"}, follow=True
    )
    assert "không sửa được, hãy lập phiên bản mới" in page.content.decode()
    assert not PointsGroup.objects.filter(title="Nhóm mới").exists()
    response = client.post(url("table_version", emu.table.pk))
    copy = PointsTable.objects.get(previous=emu.table)
    assert response.status_code == 302 and response["Location"] == url("table_detail", copy.pk)
    text = client.get(url("table_detail", copy.pk)).content.decode()
    assert copy.version == 2 and "Thêm tiêu chí" in text and ">100<" in text
    assert url("table_detail", emu.table.pk) in text  # the other version linked
    # A member sees why, without the button.
    text = emu.login(emu.cast.a_staff).get(url("table_detail", emu.table.pk)).content.decode()
    assert "đã được dùng để chấm" in text and "Lập phiên bản mới" not in text
