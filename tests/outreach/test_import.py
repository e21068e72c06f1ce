"""Excel import of activities: the template, all rows or none, every bad row reported by its
Excel row number with a reason in Vietnamese."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from guongsang.core.spreadsheets import ImportRejected
from guongsang.outreach.imports import HEADERS, import_activities
from guongsang.outreach.models import Activity

from .conftest import HOI_NGHI, PLAN_FORMS, SINH_HOAT, XLSX, make_activity

IMPORT = reverse("outreach:activity_import")
TEMPLATE = reverse("outreach:activity_template")
LIST = reverse("outreach:activity_list")
LAST_WEEK = timezone.localdate() - dt.timedelta(days=7)


def xlsx(rows, header=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for number, row in enumerate(rows, start=2):
        if row is None:
            continue
        for col, value in enumerate(row, start=1):
            ws.cell(row=number, column=col, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "hoat-dong.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def by_row(errors) -> dict[int, str]:
    return {e.row: e.message for e in errors}


def good_rows(movement_name: str) -> list[list]:
    return [
        [
            "01450",
            LAST_WEEK.strftime("%d/%m/%Y"),
            HOI_NGHI,
            "Hội nghị biểu dương",
            120,
            110,
            movement_name,
            "https://phunu.caobang.gov.vn/tin/1",
            "Có lãnh đạo xã dự",
        ],
        [
            "01450-ch01",
            dt.datetime.combine(LAST_WEEK, dt.time()),
            "sinh hoat chi hoi",
            "Sinh hoạt chuyên đề “5 không, 3 sạch”",
            "38",
            "35",
            "",
            "",
            "",
        ],
        [
            "01450-CH01-T1",
            LAST_WEEK.isoformat(),
            "  Hội   nghị ",
            "Tổ họp bàn nuôi lợn",
            "1.200",
            None,
            None,
            None,
            None,
        ],
    ]


# ---- the template -----------------------------------------------------------------------------
def test_template_is_a_valid_workbook(cast):
    response = cast.client_for(cast.a_staff).get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="mau-nhap-hoat-dong.xlsx"' in response["Content-Disposition"]
    assert zipfile.is_zipfile(io.BytesIO(response.content))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Hoạt động"]
    assert [c.value for c in ws[1]] == HEADERS
    example = [c.value for c in ws[2]]
    assert example[0] == cast.commune_a.code  # her own unit's code
    assert example[2] in PLAN_FORMS
    assert ws["A5"].number_format == "@"  # codes stay text (leading zeros)
    assert [r[0] for r in wb["Danh mục"].iter_rows(values_only=True)] == PLAN_FORMS
    validations = ws.data_validations.dataValidation
    assert validations and validations[0].type == "list"
    assert "C2:C2000" in str(validations[0].sqref)
    # Only for those who may enter activities.
    assert cast.client_for(cast.branch_viewer).get(TEMPLATE).status_code == 404


def test_the_filled_in_template_imports(cast):
    template = cast.client_for(cast.a_staff).get(TEMPLATE).content
    wb = load_workbook(io.BytesIO(template))
    ws = wb["Hoạt động"]
    ws["B2"] = LAST_WEEK.strftime("%d/%m/%Y")
    ws.append(["01450-CH01", LAST_WEEK.strftime("%d/%m/%Y"), SINH_HOAT, "Sinh hoạt tháng", 20, 18])
    out = io.BytesIO()
    wb.save(out)
    created = import_activities(data=out.getvalue(), by=cast.a_staff)
    assert [a.title for a in created] == ["Sinh hoạt chuyên đề 5 không, 3 sạch", "Sinh hoạt tháng"]


# ---- a good file ------------------------------------------------------------------------------
def test_a_good_file_imports_every_row(column, cast):
    movement = column.world.movement
    client = cast.client_for(cast.a_staff)
    response = client.post(IMPORT, {"file": upload(xlsx(good_rows(movement.name.upper())))})
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert "Đã nhập 3 hoạt động." in client.get(LIST).content.decode()
    rows = {a.title: a for a in Activity.objects.all()}
    assert set(rows) == {
        "Hội nghị biểu dương",
        "Sinh hoạt chuyên đề “5 không, 3 sạch”",
        "Tổ họp bàn nuôi lợn",
    }
    first = rows["Hội nghị biểu dương"]
    assert (first.unit, first.date, first.form.name) == (cast.commune_a, LAST_WEEK, HOI_NGHI)
    assert (first.participants, first.members, first.movement) == (120, 110, movement)
    assert first.link == "https://phunu.caobang.gov.vn/tin/1"
    assert first.notes == "Có lãnh đạo xã dự"
    assert first.created_by == cast.a_staff
    second = rows["Sinh hoạt chuyên đề “5 không, 3 sạch”"]
    assert (second.unit, second.date, second.form.name) == (cast.branch_a, LAST_WEEK, SINH_HOAT)
    assert (second.participants, second.members) == (38, 35)
    third = rows["Tổ họp bàn nuôi lợn"]
    assert (third.unit, third.participants, third.members) == (cast.group_a, 1200, 0)
    # The bulk write fills the derived columns as ``save`` does.
    assert [a.unit_path for a in (first, second, third)] == [
        cast.commune_a.path,
        cast.branch_a.path,
        cast.group_a.path,
    ]


def test_imported_activities_are_found_without_accents(cast):
    import_activities(data=xlsx(good_rows("")), by=cast.a_staff)
    response = cast.client_for(cast.a_staff).get(LIST, {"q": "to hop ban nuoi lon"})
    assert [a.title for a in response.context["page"].object_list] == ["Tổ họp bàn nuôi lợn"]


# ---- a bad file -------------------------------------------------------------------------------
BAD = [
    ["01450", "01/11/2026", HOI_NGHI, "Dòng đúng", 10, 5],  # 2: fine
    ["KHONGCO", "01/11/2026", HOI_NGHI, "Mã đơn vị lạ", 10, 5],  # 3
    ["01288", "01/11/2026", HOI_NGHI, "Đơn vị xã khác", 10, 5],  # 4
    ["01450", "01/11/2026", "Hội chợ", "Hình thức lạ", 10, 5],  # 5
    ["01450", "32/13/2026", HOI_NGHI, "Ngày sai", 10, 5],  # 6
    ["01450", "01/11/2026", HOI_NGHI, "Hội viên nhiều hơn", 10, 50],  # 7
    ["01450", "01/11/2026", HOI_NGHI, "Không phải số", "nhiều", 5],  # 8
    None,  # 9: blank, skipped
    ["01450", "", HOI_NGHI, "", -3, 0],  # 10: no date, no title, negative
    ["09001", "01/11/2026", HOI_NGHI, "Tỉnh khác", 10, 5],  # 11
]


def test_a_file_with_bad_rows_imports_nothing_and_reports_each(cast):
    make_activity(cast.a_staff, cast.commune_a, "Đã có từ trước")
    with pytest.raises(ImportRejected) as info:
        import_activities(data=xlsx(BAD), by=cast.a_staff)
    assert Activity.objects.count() == 1
    errors = by_row(info.value.errors)
    assert set(errors) == {3, 4, 5, 6, 7, 8, 10, 11}
    assert "không có đơn vị mã “KHONGCO” trong phạm vi của bạn" in errors[3]
    assert "không có đơn vị mã “01288” trong phạm vi của bạn" in errors[4]
    assert "hình thức “Hội chợ” không có trong danh mục" in errors[5]
    assert "ngày “32/13/2026” không đúng dạng ngày/tháng/năm" in errors[6]
    assert "số hội viên lớn hơn tổng số người tham dự" in errors[7]
    assert "số người tham dự “nhiều” không phải số" in errors[8]
    assert "thiếu ngày" in errors[10]
    assert "thiếu nội dung" in errors[10]
    assert "số người tham dự không được âm" in errors[10]
    assert "không có đơn vị mã “09001” trong phạm vi của bạn" in errors[11]


def test_the_upload_page_lists_every_bad_row(cast):
    response = cast.client_for(cast.a_staff).post(IMPORT, {"file": upload(xlsx(BAD))})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chưa nhập: có 8 lỗi. Sửa rồi tải lên lại." in html
    for row in (3, 4, 5, 6, 7, 8, 10, 11):
        assert f'<td data-label="Dòng">{row}</td>' in html
    assert "hình thức “Hội chợ” không có trong danh mục" in html
    assert Activity.objects.count() == 0


def test_a_future_date_is_a_bad_row(cast):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    rows = [["01450", tomorrow.strftime("%d/%m/%Y"), HOI_NGHI, "Hội nghị tháng sau", 10, 5]]
    with pytest.raises(ImportRejected) as info:
        import_activities(data=xlsx(rows), by=cast.a_staff)
    assert "không được sau hôm nay" in by_row(info.value.errors)[2]
    assert Activity.objects.count() == 0


def test_a_link_that_is_not_a_web_address_is_a_bad_row(cast):
    rows = [["01450", "01/11/2026", HOI_NGHI, "Tin bài", 0, 0, "", "javascript:alert(1)"]]
    with pytest.raises(ImportRejected) as info:
        import_activities(data=xlsx(rows), by=cast.a_staff)
    assert "đường dẫn" in by_row(info.value.errors)[2]


def test_a_retired_form_is_unknown(cast):
    from guongsang.outreach.models import ActivityForm

    ActivityForm.objects.filter(name=HOI_NGHI).update(active=False)
    rows = [["01450", "01/11/2026", HOI_NGHI, "Hội nghị", 10, 5]]
    with pytest.raises(ImportRejected) as info:
        import_activities(data=xlsx(rows), by=cast.a_staff)
    assert "không có trong danh mục" in by_row(info.value.errors)[2]


def test_an_empty_file_is_refused(cast):
    with pytest.raises(ImportRejected) as info:
        import_activities(data=xlsx([]), by=cast.a_staff)
    assert info.value.errors[0].message == "Tệp không có dòng dữ liệu nào."


# ---- the file itself --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name,data,message",
    [
        (
            "hoat-dong.csv",
            "Mã,Ngày\n01450,01/11/2026\n".encode(),
            "Tệp không phải bảng tính Excel .xlsx.",
        ),
        ("hoat-dong.xlsx", b"%PDF-1.4\n%%EOF\n", "Tệp không phải bảng tính Excel .xlsx."),
        (
            "hoat-dong.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 200,
            "Tệp không phải bảng tính Excel .xlsx.",
        ),
        (
            "hoat-dong.xlsx",
            b"PK\x03\x04 not really a zip",
            "Không đọc được tệp Excel; hãy dùng tệp mẫu.",
        ),
    ],
)
def test_a_file_that_is_not_xlsx_is_refused(cast, name, data, message):
    response = cast.client_for(cast.a_staff).post(IMPORT, {"file": upload(data, name)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Activity.objects.count() == 0


def test_an_oversized_file_is_refused(cast):
    data = xlsx(good_rows("") * 30)
    with override_settings(UPLOAD_MAX_BYTES=len(data) - 1):
        response = cast.client_for(cast.a_staff).post(IMPORT, {"file": upload(data)})
        assert response.status_code == 200
        assert "Tệp quá lớn: tối đa" in response.content.decode()
        with pytest.raises(ImportRejected) as info:
            import_activities(data=data, by=cast.a_staff)
        assert info.value.errors[0].message.startswith("Tệp quá lớn")
    assert Activity.objects.count() == 0


def test_only_editors_import(cast):
    data = xlsx(good_rows(""))
    assert cast.client_for(cast.branch_viewer).get(IMPORT).status_code == 404
    assert (
        cast.client_for(cast.branch_viewer).post(IMPORT, {"file": upload(data)}).status_code == 404
    )
    # Commune B's staff: every row names a unit of commune A.
    response = cast.client_for(cast.b_staff).post(IMPORT, {"file": upload(data)})
    assert response.status_code == 200
    assert response.content.decode().count("trong phạm vi của bạn") == 3
    assert Activity.objects.count() == 0
