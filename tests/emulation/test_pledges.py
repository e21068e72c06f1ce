"""Pledges (giao ước thi đua): a member commune records its targets (free text, or an indicator
of a report form it answers, with a value) and the signed document; the organiser may too;
nobody else; a past year's pledge stays; the document is served only through access."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from guongsang.emulation import pledges
from guongsang.emulation.models import Pledge
from guongsang.reports import services as report_services
from guongsang.reports.services import IndicatorSpec

from .test_block_pages import YEAR, _past_block
from .test_block_pages import emu as emu  # noqa: F401,PLC0414 - the ``emu`` fixture

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SIGNED = dt.date(YEAR, 1, 1)


def url(name, *args):
    return reverse(f"emulation:{name}", args=args)


def pdf(name="giao-uoc.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def indicators(emu):
    """The province's annual form (two numeric indicators, one text) and another province's."""
    cast = emu.cast
    form = report_services.form_create(
        by=cast.province_admin,
        unit=cast.province,
        code="KH53-NAM",
        name="Báo cáo năm",
        period_kind="year",
    )
    section = report_services.section_add(by=cast.province_admin, form=form, title="Tuyên truyền")
    tt = report_services.indicator_add(
        by=cast.province_admin,
        section=section,
        spec=IndicatorSpec(
            code="TT", label="Tổng số hoạt động", value_type="integer", measure="cuộc"
        ),
    )
    text = report_services.indicator_add(
        by=cast.province_admin,
        section=section,
        spec=IndicatorSpec(code="KQ", label="Kết quả nổi bật", value_type="text"),
    )
    other = report_services.form_create(
        by=cast.outsider, unit=cast.other_province, code="LS", name="Báo cáo LS", period_kind="year"
    )
    other_section = report_services.section_add(by=cast.outsider, form=other, title="A")
    foreign = report_services.indicator_add(
        by=cast.outsider,
        section=other_section,
        spec=IndicatorSpec(code="X", label="Chỉ tiêu Lạng Sơn", value_type="integer"),
    )
    return {"tt": tt, "text": text, "foreign": foreign}


# ---- the service -------------------------------------------------------------------------------
def test_a_member_records_its_pledge(emu, indicators):
    cast = emu.cast
    pledge = pledges.pledge_save(
        by=cast.a_staff,
        block=emu.one,
        unit=cast.commune_a,
        signed_on=SIGNED,
        note="Ký tại hội nghị cụm",
        targets=[
            "  100% chi hội   sinh hoạt định kỳ ",
            pledges.Target(indicator=indicators["tt"], target=Decimal("24")),
            {"text": "", "target": None},  # an empty line: skipped
        ],
        document=pdf(),
    )
    targets = list(pledge.targets.all())
    assert [(t.text, t.indicator, t.target) for t in targets] == [
        ("100% chi hội sinh hoạt định kỳ", None, None),
        ("Tổng số hoạt động", indicators["tt"], Decimal("24.00")),
    ]
    assert pledge.document.name.startswith("pledges/") and pledge.document.name.endswith(".pdf")
    # Saved again: the targets are replaced, the document kept.
    again = pledges.pledge_save(
        by=cast.province_admin, block=emu.one, unit=cast.commune_a, targets=["Một chỉ tiêu"]
    )
    assert again.pk == pledge.pk and [t.text for t in again.targets.all()] == ["Một chỉ tiêu"]
    assert again.document.name == pledge.document.name


def test_who_may_write_a_pledge(emu):
    cast = emu.cast
    for by, unit in (
        (cast.b_staff, cast.commune_a),  # the deputy of the same cluster
        (emu.c_staff, cast.commune_a),  # another cluster
        (cast.outsider, cast.commune_a),
        (cast.branch_viewer, cast.commune_a),
    ):
        with pytest.raises(ValidationError, match="không thể sửa giao ước"):
            pledges.pledge_save(by=by, block=emu.one, unit=unit, targets=["x"])
    with pytest.raises(ValidationError, match="không thuộc cụm"):
        pledges.pledge_save(by=emu.c_staff, block=emu.one, unit=emu.commune_c, targets=["x"])


def test_a_past_years_pledge_stays(emu):
    past = _past_block(emu)
    with pytest.raises(ValidationError, match="năm đã qua"):
        pledges.pledge_save(
            by=emu.cast.province_admin, block=past, unit=emu.cast.commune_a, targets=["x"]
        )


def test_bad_targets_dates_and_files(emu, indicators):
    cast = emu.cast

    def save(**kw):
        kw.setdefault("targets", ["x"])
        return pledges.pledge_save(by=cast.a_staff, block=emu.one, unit=cast.commune_a, **kw)

    cases = [
        ({"targets": [pledges.Target(indicator=indicators["foreign"])]}, "không thuộc biểu mẫu"),
        ({"targets": [pledges.Target(indicator=indicators["text"])]}, "không thuộc biểu mẫu"),
        ({"targets": ["a\x00b"]}, "ký tự không hợp lệ"),
        ({"targets": ["x" * 501]}, "không quá 500"),
        ({"targets": [pledges.Target(text="x", target=Decimal("-1"))]}, "mức đăng ký"),
        ({"targets": [pledges.Target(text="x", target=Decimal("1e20"))]}, "mức đăng ký"),
        ({"targets": [pledges.Target(text="x", target=Decimal("NaN"))]}, "mức đăng ký"),
        ({"targets": [pledges.Target(target=Decimal("3"))]}, "ghi nội dung"),
        ({"targets": ["x"] * 31}, "Tối đa 30"),
        ({"signed_on": dt.date(YEAR - 3, 1, 1)}, "Ngày ký"),
        ({"signed_on": dt.date(YEAR + 1, 1, 1)}, "Ngày ký"),
        ({"note": "a\x00"}, "ký tự không hợp lệ"),
        ({"document": pdf("a.pdf", b"MZ\x90\x00not a pdf")}, "không đúng loại"),
        ({"document": pdf("a.xlsx", b"PK\x03\x04broken")}, "không đúng loại"),
    ]
    for kw, message in cases:
        with pytest.raises(ValidationError, match=message):
            save(**kw)
    with override_settings(UPLOAD_MAX_BYTES=10):
        with pytest.raises(ValidationError, match="quá lớn"):
            save(document=pdf())
    assert not Pledge.objects.exists()


# ---- the pages ---------------------------------------------------------------------------------
def _post(targets, **extra):
    data = {
        "t-TOTAL_FORMS": str(len(targets)),
        "t-INITIAL_FORMS": "0",
        "t-MIN_NUM_FORMS": "0",
        "t-MAX_NUM_FORMS": "30",
        "signed_on": SIGNED.strftime("%d/%m/%Y"),
        "note": "",
    }
    for n, (text, indicator, target) in enumerate(targets):
        data[f"t-{n}-text"] = text
        data[f"t-{n}-indicator"] = indicator
        data[f"t-{n}-target"] = target
    data.update(extra)
    return data


def test_member_fills_its_pledge_by_the_page(emu, indicators):
    cast = emu.cast
    client = emu.login(cast.a_staff)
    edit = url("pledge_edit", emu.one.pk, cast.commune_a.pk)
    page = client.get(edit)
    text = page.content.decode()
    assert page.status_code == 200
    assert "KH53-NAM · TT. Tổng số hoạt động (cuộc)" in text
    assert "Kết quả nổi bật" not in text and "Chỉ tiêu Lạng Sơn" not in text
    response = client.post(
        edit,
        _post(
            [
                ("Phát triển 30 hội viên mới", "", ""),
                ("", indicators["tt"].pk, "24,5"),
                ("", "", ""),
            ],
            document=pdf(),
        ),
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get(block=emu.one, unit=cast.commune_a)
    assert [(t.text, t.target) for t in pledge.targets.all()] == [
        ("Phát triển 30 hội viên mới", None),
        ("Tổng số hoạt động", Decimal("24.50")),
    ]
    assert pledge.signed_on == SIGNED and pledge.document
    # The pledge page and the block page show it; the document downloads for the block's readers.
    text = client.get(url("pledge_detail", emu.one.pk, cast.commune_a.pk)).content.decode()
    assert "Phát triển 30 hội viên mới" in text and "24,5 cuộc" in text
    assert "Theo chỉ tiêu TT của biểu mẫu KH53-NAM" in text
    block_page = emu.login(cast.b_staff).get(url("block_detail", emu.one.pk)).content.decode()
    assert f"Ký ngày {SIGNED:%d/%m/%Y} · 2 chỉ tiêu" in block_page
    assert "1/2" in block_page
    for user in (cast.a_staff, cast.b_staff, cast.province_admin):
        download = emu.login(user).get(url("pledge_document", pledge.pk))
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert download["X-Content-Type-Options"] == "nosniff"
    for user in (emu.c_staff, cast.outsider, cast.branch_viewer):
        assert emu.login(user).get(url("pledge_document", pledge.pk)).status_code == 404
        assert (
            emu.login(user).get(url("pledge_detail", emu.one.pk, cast.commune_a.pk)).status_code
            == 404
        )
    # The edit form shows what was saved; removing the document.
    page = client.get(edit).content.decode()
    assert 'value="Phát triển 30 hội viên mới"' in page and "Bỏ văn bản đã tải lên" in page
    client.post(edit, _post([("Một chỉ tiêu", "", "")], remove_document="on"))
    pledge.refresh_from_db()
    assert not pledge.document


def test_pledge_page_bad_input(emu, indicators):
    cast = emu.cast
    client = emu.login(cast.a_staff)
    edit = url("pledge_edit", emu.one.pk, cast.commune_a.pk)
    cases = [
        (_post([("a\x00", "", "")]), "ký tự điều khiển"),
        (_post([("x", indicators["foreign"].pk, "")]), "Chọn một chỉ tiêu trong danh sách."),
        (_post([("x", "", "１２")]), "Nhập một số"),
        (_post([("x", "", "9" * 40)]), ""),
        (_post([("x", "", "")], signed_on="31/02/2026"), "Nhập ngày theo dạng ngày/tháng/năm"),
        (_post([("x", "", "")], signed_on="01/01/99999"), "Nhập ngày theo dạng ngày/tháng/năm"),
        (_post([("x", "", "")], document=pdf("x.pdf", b"GIF89a")), "không đúng loại"),
        (_post([("x", "", "")], **{"t-TOTAL_FORMS": "100000"}), ""),
        ({"signed_on": ""}, ""),  # no management form
    ]
    for data, message in cases:
        page = client.post(edit, data)
        assert page.status_code == 200, data
        assert message in page.content.decode(), message
    assert not Pledge.objects.exists()


def test_pledge_edit_rights(emu):
    cast = emu.cast
    # The organiser records a member's pledge; others get 404.
    assert (
        emu.login(cast.province_admin)
        .get(url("pledge_edit", emu.one.pk, cast.commune_b.pk))
        .status_code
        == 200
    )
    for user in (cast.a_staff, emu.c_staff, cast.outsider):
        assert (
            emu.login(user).get(url("pledge_edit", emu.one.pk, cast.commune_b.pk)).status_code
            == 404
        )
    # A unit that is not a member, a unit id out of range.
    client = emu.login(cast.province_admin)
    assert client.get(url("pledge_edit", emu.one.pk, emu.commune_c.pk)).status_code == 404
    assert client.get(f"/thi-dua/cum/{emu.one.pk}/giao-uoc/{'9' * 30}/").status_code == 404
    assert client.get(url("pledge_document", 10**6)).status_code == 404


def test_pledge_page_of_a_past_year(emu):
    past = _past_block(emu)
    Pledge.objects.create(
        block=past, unit=emu.cast.commune_a, created_by=emu.cast.a_staff, note="Năm trước"
    )
    client = emu.login(emu.cast.a_staff)
    text = client.get(url("pledge_detail", past.pk, emu.cast.commune_a.pk)).content.decode()
    assert "Năm trước" in text and "chỉ xem được" in text and "Sửa giao ước" not in text
    page = client.post(url("pledge_edit", past.pk, emu.cast.commune_a.pk), _post([]), follow=True)
    assert "Giao ước thi đua của năm đã qua được giữ nguyên, không sửa được." in (
        page.content.decode()
    )
