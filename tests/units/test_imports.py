"""Excel import of branches (chi hội) and groups (tổ phụ nữ): the service, the upload page,
the template download and the ``import_units`` command."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from guongsang.units import imports
from guongsang.units.imports import HEADERS, ImportRejected, import_units
from guongsang.units.models import Unit, UnitKind

from ..factories import Role, make_unit, make_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---- helpers ----------------------------------------------------------------------------------
def xlsx(rows, header=HEADERS) -> bytes:
    """A workbook whose first sheet is ``header`` then ``rows`` (``None`` = a blank row)."""
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for number, row in enumerate(rows, start=2):
        if row is None:
            continue  # leave the row empty: later rows keep their Excel numbers
        for col, value in enumerate(row, start=1):
            ws.cell(row=number, column=col, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "don-vi.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def rejected(**kwargs) -> list[imports.RowError]:
    before = Unit.objects.count()
    with pytest.raises(ImportRejected) as info:
        import_units(**kwargs)
    assert Unit.objects.count() == before, "a rejected file must create nothing"
    return info.value.errors


def by_row(errors) -> dict[int, str]:
    out: dict[int, str] = {}
    for error in errors:
        out[error.row] = (out.get(error.row, "") + " | " + error.message).strip(" |")
    return out


# ---- the service ------------------------------------------------------------------------------
def test_good_file_creates_branches_and_groups(cast):
    data = xlsx(
        [
            # The group comes before its branch: the branch is created first anyway.
            ["01450-CH02-T1", "Tổ phụ nữ số 1", "Tổ phụ nữ", "01450-CH02", None, ""],
            [
                "01450-CH02",
                "  Chi hội   Bản Giới ",
                "Chi hội",
                "01450",
                "15/03/2018",
                "Thôn Bản Giới",
            ],
            ["01450-CH03", "Chi hội Nà Lạn", "chi hoi", "01450", dt.date(2019, 1, 2), None],
            # A group under an existing branch; the parent code in another case.
            ["01450-CH01-T2", "Tổ phụ nữ số 2", "TỔ", "01450-ch01", "2020-05-06", None],
            ["01450-CH03-T1", "Tổ phụ nữ số 1", "to phu nu", "01450-CH03", "06-07-2021", None],
        ]
    )
    report = import_units(data=data, by=cast.a_admin, within=cast.commune_a)

    assert report.ok
    assert len(report.created) == 5
    branch = Unit.objects.get(code="01450-CH02")
    assert branch.name == "Chi hội Bản Giới"
    assert branch.kind == UnitKind.BRANCH
    assert branch.parent == cast.commune_a
    assert branch.valid_from == dt.date(2018, 3, 15)
    assert branch.note == "Thôn Bản Giới"
    assert branch.is_descendant_of(cast.commune_a, include_self=False)
    assert branch.depth == cast.commune_a.depth + 1

    group = Unit.objects.get(code="01450-CH02-T1")
    assert group.kind == UnitKind.GROUP
    assert group.parent == branch
    assert group.path.startswith(branch.path)
    assert group.depth == branch.depth + 1
    assert group.valid_from is None

    assert Unit.objects.get(code="01450-CH03").valid_from == dt.date(2019, 1, 2)
    other_group = Unit.objects.get(code="01450-CH01-T2")
    assert other_group.parent == cast.branch_a
    assert other_group.valid_from == dt.date(2020, 5, 6)
    assert Unit.objects.get(code="01450-CH03-T1").valid_from == dt.date(2021, 7, 6)
    # Created in tree order (branches first): every created unit sits in commune A.
    assert {u.pk for u in report.created} == set(
        Unit.objects.subtree_of(cast.commune_a)
        .filter(code__in=[u.code for u in report.created])
        .values_list("pk", flat=True)
    )


def test_numbers_in_cells_are_read_as_codes(cast):
    report = import_units(
        data=xlsx([[12345, "Chi hội số 12345", "Chi hội", "01450", None, None]]),
        by=None,
    )
    assert [u.code for u in report.created] == ["12345"]


def test_one_bad_row_creates_nothing_and_every_bad_row_is_named(cast):
    data = xlsx(
        [
            ["01450-CH10", "Chi hội Tốt", "Chi hội", "01450", "", ""],  # 2: fine
            ["", "Chi hội Không Mã", "Chi hội", "01450", "", ""],  # 3
            ["01450-CH11", "Chi hội Một", "Chi hội", "01450", "", ""],  # 4: fine by itself
            ["01450-ch11", "Chi hội Hai", "Chi hội", "01450", "", ""],  # 5: same code as 4
            ["01450-ch01", "Chi hội Trùng", "Chi hội", "01450", "", ""],  # 6: in the DB
            ["01450-CH12", "Chi hội Lạc", "Chi hội", "KHONG-CO", "", ""],  # 7
            ["01450-CH13", "Ban Tuyên giáo", "Ban chuyên môn", "01450", "", ""],  # 8
            ["01450-T99", "Tổ phụ nữ lạc", "Tổ phụ nữ", "01450", "", ""],  # 9
            ["01450-CH14", "Chi hội Ngày Sai", "Chi hội", "01450", "31/02/2020", ""],  # 10
            ["01450-CH15", "", "Chi hội", "", "", ""],  # 11
            ["01450-CH16", "Chi hội trong chi hội", "Chi hội", "01450-CH10", "", ""],  # 12
            ["01450-CH17", "Chi hội dưới tổ", "Chi hội", "01450-CH01-T1", "", ""],  # 13
            ["01450-CH10-T1", "Tổ phụ nữ số 1", "Tổ phụ nữ", "01450-CH10", "", ""],  # 14: fine
        ]
    )
    errors = rejected(data=data, by=cast.a_admin, within=cast.commune_a)
    rows = by_row(errors)

    assert sorted(rows) == [3, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert [e.row for e in errors] == sorted(e.row for e in errors)
    assert "thiếu mã đơn vị" in rows[3]
    assert "mã 01450-ch11 trùng với dòng 4" in rows[5]
    assert "mã 01450-ch01 đã có trong hệ thống" in rows[6]
    assert "không tìm thấy đơn vị cấp trên KHONG-CO" in rows[7]
    assert "loại 'Ban chuyên môn' không hợp lệ" in rows[8]
    assert "Không thể đặt Tổ phụ nữ dưới Xã Đông Khê" in rows[9]
    assert "ngày thành lập '31/02/2020' không đúng dạng ngày/tháng/năm" in rows[10]
    assert "thiếu tên đơn vị" in rows[11]
    assert "thiếu mã đơn vị cấp trên" in rows[11]
    assert "chi hội phải thuộc xã, phường" in rows[12]
    assert "Không thể đặt Chi hội dưới Tổ phụ nữ số 1" in rows[13]
    assert not Unit.objects.filter(code__in=["01450-CH10", "01450-CH11", "01450-CH10-T1"]).exists()


def test_row_numbers_are_the_excel_rows_across_blank_rows(cast):
    data = xlsx(
        [
            ["01450-CH20", "Chi hội Một", "Chi hội", "01450", "", ""],  # 2
            None,  # 3
            None,  # 4
            ["01450-CH21", "Chi hội Hai", "Hội viên", "01450", "", ""],  # 5
            ["", "", "", "", "", ""],  # 6: blank cells only
            ["01450-CH22", "Chi hội Ba", "Chi hội", "01450", "ngày mai", ""],  # 7
        ]
    )
    assert sorted(by_row(rejected(data=data, by=cast.a_admin, within=cast.commune_a))) == [5, 7]


def test_parent_outside_the_uploading_unit_is_rejected(cast):
    data = xlsx(
        [
            ["01450-CH30", "Chi hội Nà Pàn 2", "Chi hội", "01450", "", ""],
            ["01288-CH30", "Chi hội Tân Giang", "Chi hội", "01288", "", ""],  # commune B
            ["01288-CH01-T9", "Tổ lạc", "Tổ phụ nữ", "01288-CH01", "", ""],  # branch of B
        ]
    )
    rows = by_row(rejected(data=data, by=cast.a_admin, within=cast.commune_a))
    assert sorted(rows) == [3, 4]
    assert "01288" in rows[3]
    assert "01288-CH01" in rows[4]
    assert not Unit.objects.filter(parent=cast.commune_b, code="01288-CH30").exists()


def test_parent_the_user_does_not_manage_is_rejected_without_a_page(cast):
    """The command with --user has no uploading unit: the user's rights alone decide."""
    data = xlsx([["01288-CH31", "Chi hội Tân Giang", "Chi hội", "01288", "", ""]])
    rows = by_row(rejected(data=data, by=cast.a_admin))
    assert "đơn vị cấp trên 01288 không có hoặc bạn không quản lý" in rows[2]
    # Staff of commune A may view it but not manage it.
    data = xlsx([["01450-CH31", "Chi hội Mới", "Chi hội", "01450", "", ""]])
    assert 2 in by_row(rejected(data=data, by=cast.a_staff))


def test_closed_parent_is_rejected(cast):
    data = xlsx([["X-DK-CH01", "Chi hội cũ", "Chi hội", "X-DK", "", ""]])
    rows = by_row(rejected(data=data, by=cast.province_admin, within=cast.province))
    assert "đơn vị cấp trên X-DK đã hết hiệu lực" in rows[2]


def test_province_admin_imports_into_any_commune_of_her_province(cast):
    data = xlsx(
        [
            ["01450-CH40", "Chi hội A", "Chi hội", "01450", "", ""],
            ["01288-CH40", "Chi hội B", "Chi hội", "01288", "", ""],
        ]
    )
    report = import_units(data=data, by=cast.province_admin, within=cast.province)
    assert {u.parent_id for u in report.created} == {cast.commune_a.pk, cast.commune_b.pk}


@pytest.mark.django_db
def test_not_an_xlsx_renamed_is_rejected():
    errors = rejected(data="Mã;Tên\n01450-CH01;Chi hội\n".encode(), by=None)
    assert [(e.row, e.message) for e in errors] == [(0, "Tệp không phải bảng tính Excel .xlsx.")]


@pytest.mark.django_db
def test_a_zip_that_is_not_a_workbook_is_rejected():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    errors = rejected(data=out.getvalue(), by=None)
    assert [(e.row, e.message) for e in errors] == [
        (0, "Không đọc được tệp Excel; hãy dùng tệp mẫu.")
    ]


def test_oversized_file_is_rejected(cast, settings):
    data = xlsx([["01450-CH50", "Chi hội", "Chi hội", "01450", "", ""]])
    settings.UPLOAD_MAX_BYTES = len(data) - 1
    errors = rejected(data=data, by=None)
    assert len(errors) == 1 and errors[0].row == 0
    assert errors[0].message.startswith("Tệp quá lớn")


@pytest.mark.django_db
def test_file_without_data_rows_is_rejected():
    errors = rejected(data=xlsx([None, ["", None, "", "", "", ""]]), by=None)
    assert [e.message for e in errors] == ["Tệp không có dòng dữ liệu nào."]


def test_more_rows_than_the_limit_is_rejected(cast, settings):
    settings.IMPORT_MAX_ROWS = 5000
    rows = [[f"X{i}", "Chi hội", "Chi hội", "01450", "", ""] for i in range(5001)]
    errors = rejected(data=xlsx(rows), by=None)
    assert [e.message for e in errors] == [
        "Tệp có quá 5.000 dòng; hãy chia nhỏ (và xóa các dòng trống ở cuối bảng)."
    ]


def test_sheet_with_a_stale_dimension_is_read_in_full(cast):
    """Some programs write a wrong used range (<dimension ref="A1"/>) in the sheet; openpyxl's
    read-only mode trusts it unless told otherwise."""
    data = xlsx(
        [
            ["01450-CH60", "Chi hội Sáu Mươi", "Chi hội", "01450", "", ""],
            ["01450-CH61", "Chi hội Sáu Mốt", "Chi hội", "01450", "", ""],
        ]
    )
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content, n = re.subn(
                    rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1"/>', content
                )
                assert n == 1
            dst.writestr(item, content)
    report = import_units(data=out.getvalue(), by=cast.a_admin, within=cast.commune_a)
    assert sorted(u.code for u in report.created) == ["01450-CH60", "01450-CH61"]


# ---- the upload page --------------------------------------------------------------------------
def import_url(unit) -> str:
    return reverse("units:import", args=[unit.pk])


def test_import_page_url():
    assert import_url(Unit(pk=7)) == "/don-vi/7/nhap-excel/"


def test_import_page_shows_the_form_and_template_link(cast):
    response = cast.client_for(cast.a_admin).get(import_url(cast.commune_a))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"{reverse('units:import_template')}?don_vi={cast.commune_a.pk}" in content
    assert 'enctype="multipart/form-data"' in content


def test_upload_good_file_creates_units_and_redirects(cast):
    data = xlsx(
        [
            ["01450-CH70", "Chi hội Bảy Mươi", "Chi hội", "01450", "01/01/2024", ""],
            ["01450-CH70-T1", "Tổ phụ nữ số 1", "Tổ phụ nữ", "01450-CH70", "", ""],
        ]
    )
    client = cast.client_for(cast.a_admin)
    response = client.post(import_url(cast.commune_a), {"file": upload(data)})
    assert response.status_code == 302
    assert response["Location"] == reverse("units:detail", args=[cast.commune_a.pk])
    assert Unit.objects.get(code="01450-CH70-T1").parent.code == "01450-CH70"
    page = client.get(response["Location"])
    assert "Đã nhập 2 đơn vị." in page.content.decode()


def test_upload_bad_file_shows_the_error_table_and_creates_nothing(cast):
    data = xlsx(
        [
            ["01450-CH71", "Chi hội Tốt", "Chi hội", "01450", "", ""],
            ["01450-CH72", "Chi hội Sai Ngày", "Chi hội", "01450", "32/13/2020", ""],
            ["01450-CH73", "Tổ lạc", "Tổ phụ nữ", "01450", "", ""],
        ]
    )
    before = Unit.objects.count()
    client = cast.client_for(cast.a_admin)
    response = client.post(import_url(cast.commune_a), {"file": upload(data)})
    assert response.status_code == 200
    assert Unit.objects.count() == before
    content = response.content.decode()
    assert "import-errors" in content
    assert "Chưa nhập: có 2 lỗi" in content
    assert '<td data-label="Dòng">3</td>' in content
    assert '<td data-label="Dòng">4</td>' in content
    assert "ngày thành lập &#x27;32/13/2020&#x27; không đúng dạng ngày/tháng/năm" in content
    assert "Không thể đặt Tổ phụ nữ dưới Xã Đông Khê" in content
    # The page keeps working: the corrected file goes in.
    fixed = xlsx([["01450-CH71", "Chi hội Tốt", "Chi hội", "01450", "", ""]])
    response = client.post(import_url(cast.commune_a), {"file": upload(fixed)})
    assert response.status_code == 302
    assert Unit.objects.filter(code="01450-CH71").exists()


def test_upload_with_a_parent_of_commune_b_is_rejected(cast):
    data = xlsx([["01288-CH80", "Chi hội Tân Giang", "Chi hội", "01288", "", ""]])
    response = cast.client_for(cast.a_admin).post(
        import_url(cast.commune_a), {"file": upload(data)}
    )
    assert response.status_code == 200
    assert "đơn vị cấp trên 01288 không thuộc đơn vị này" in response.content.decode()
    assert not Unit.objects.filter(code="01288-CH80").exists()


def test_upload_non_xlsx_renamed_shows_a_clear_message(cast):
    response = cast.client_for(cast.a_admin).post(
        import_url(cast.commune_a), {"file": upload(b"Ma,Ten\n1,2\n", name="danh-sach.xlsx")}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tệp không phải bảng tính Excel .xlsx." in content
    assert '<td data-label="Dòng">—</td>' in content


def test_upload_oversized_file_is_rejected(cast, settings):
    data = xlsx([["01450-CH81", "Chi hội", "Chi hội", "01450", "", ""]])
    settings.UPLOAD_MAX_BYTES = 1000
    assert len(data) > 1000
    response = cast.client_for(cast.a_admin).post(
        import_url(cast.commune_a), {"file": upload(data)}
    )
    assert response.status_code == 200
    assert "Tệp quá lớn" in response.content.decode()
    assert not Unit.objects.filter(code="01450-CH81").exists()


def test_upload_without_a_file_shows_the_form_again(cast):
    # A browser always sends the CSRF token along, so the form is bound.
    response = cast.client_for(cast.a_admin).post(
        import_url(cast.commune_a), {"csrfmiddlewaretoken": "x"}
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_commune_b_admin_gets_404_on_commune_a_import_page(cast):
    b_admin = make_user(cast.commune_b, Role.ADMIN, username="b.admin")
    client = cast.client_for(b_admin)
    assert client.get(import_url(cast.commune_a)).status_code == 404
    data = xlsx([["01450-CH82", "Chi hội", "Chi hội", "01450", "", ""]])
    assert client.post(import_url(cast.commune_a), {"file": upload(data)}).status_code == 404
    assert not Unit.objects.filter(code="01450-CH82").exists()
    assert client.get(import_url(cast.commune_b)).status_code == 200


@pytest.mark.parametrize("who", ["a_staff", "b_staff", "branch_viewer", "outsider"])
def test_users_without_manage_rights_get_404(cast, who):
    response = cast.client_for(getattr(cast, who)).get(import_url(cast.commune_a))
    assert response.status_code == 404


def test_missing_unit_is_404_and_anonymous_is_sent_to_login(cast, client):
    assert cast.client_for(cast.a_admin).get("/don-vi/999999/nhap-excel/").status_code == 404
    response = client.get(import_url(cast.commune_a))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# ---- the template -----------------------------------------------------------------------------
def test_template_downloads_as_xlsx_with_the_headers(cast):
    response = cast.client_for(cast.a_admin).get(reverse("units:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "mau-nhap-don-vi.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == HEADERS


def test_template_for_a_unit_round_trips_through_the_import_page(cast):
    commune = make_unit("Xã Đàm Thuỷ", UnitKind.COMMUNE, cast.province, code="01501")
    client = cast.client_for(cast.province_admin)
    response = client.get(reverse("units:import_template"), {"don_vi": commune.pk})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert ws["D2"].value == "01501"
    response = client.post(import_url(commune), {"file": upload(response.content)})
    assert response.status_code == 302
    group = Unit.objects.get(code="01501-CH01-T1")
    assert group.kind == UnitKind.GROUP
    assert group.parent.parent == commune
    assert group.parent.valid_from == dt.date(2018, 3, 15)


def test_template_needs_manage_rights(cast):
    url = reverse("units:import_template")
    assert cast.client_for(cast.a_staff).get(url).status_code == 404
    a_admin = cast.client_for(cast.a_admin)
    assert a_admin.get(url, {"don_vi": cast.commune_b.pk}).status_code == 404
    assert a_admin.get(url, {"don_vi": "abc"}).status_code == 404


# ---- the command ------------------------------------------------------------------------------
def test_command_imports_a_file(cast, tmp_path):
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(
        xlsx(
            [
                ["01288-CH90", "Chi hội Tổ dân phố 9", "Chi hội", "01288", "", ""],
                ["01288-CH90-T1", "Tổ phụ nữ số 1", "Tổ phụ nữ", "01288-CH90", "", ""],
            ]
        )
    )
    out = io.StringIO()
    call_command("import_units", str(path), stdout=out)
    assert "Đã nhập 2 đơn vị." in out.getvalue()
    assert Unit.objects.get(code="01288-CH90").parent == cast.commune_b


def test_command_reports_row_errors_and_imports_nothing(cast, tmp_path):
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(
        xlsx(
            [
                ["01288-CH91", "Chi hội Tốt", "Chi hội", "01288", "", ""],
                ["01288-CH92", "Chi hội Lạc", "Chi hội", "KHONG-CO", "", ""],
                ["", "Chi hội Không Mã", "Chi hội", "01288", "", ""],
            ]
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="Không nhập dòng nào: 2 lỗi"):
        call_command("import_units", str(path), stdout=io.StringIO(), stderr=err)
    assert "Dòng 3: không tìm thấy đơn vị cấp trên KHONG-CO" in err.getvalue()
    assert "Dòng 4: thiếu mã đơn vị" in err.getvalue()
    assert not Unit.objects.filter(code="01288-CH91").exists()


def test_command_reports_file_level_errors(db, tmp_path):
    path = tmp_path / "khong-phai.xlsx"
    path.write_text("không phải Excel")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_units", str(path), stderr=err)
    assert "Tệp: Tệp không phải bảng tính Excel .xlsx." in err.getvalue()
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command("import_units", str(tmp_path / "khong-co.xlsx"))


def test_command_with_user_uses_her_rights(cast, tmp_path):
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(xlsx([["01288-CH93", "Chi hội", "Chi hội", "01288", "", ""]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_units", str(path), user=cast.a_admin.username, stderr=err)
    assert "Dòng 2: đơn vị cấp trên 01288 không có hoặc bạn không quản lý" in err.getvalue()
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("import_units", str(path), user="khong.co")
    call_command("import_units", str(path), user=cast.province_admin.username, stdout=io.StringIO())
    assert Unit.objects.get(code="01288-CH93").parent == cast.commune_b


def test_command_writes_the_template(db, tmp_path):
    path = tmp_path / "mau.xlsx"
    out = io.StringIO()
    call_command("import_units", str(path), template=True, stdout=out)
    assert "Đã ghi tệp mẫu" in out.getvalue()
    ws = load_workbook(path).worksheets[0]
    assert [c.value for c in ws[1]] == HEADERS


def test_parent_code_typed_as_a_number_keeps_its_leading_zero(cast):
    import io

    from openpyxl import Workbook

    from guongsang.units.imports import HEADERS, import_units
    from guongsang.units.models import Unit

    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(["01450-CH77", "Chi hội Khuổi Lường", "Chi hội", 1450, None, None])
    out = io.BytesIO()
    wb.save(out)
    report = import_units(data=out.getvalue(), by=cast.a_admin)
    assert [u.name for u in report.created] == ["Chi hội Khuổi Lường"]
    assert Unit.objects.get(code="01450-CH77").parent == cast.commune_a


def test_template_code_columns_are_text():
    import io

    from openpyxl import load_workbook

    from guongsang.units.imports import template_workbook

    ws = load_workbook(io.BytesIO(template_workbook())).worksheets[0]
    assert ws["A5"].number_format == "@" and ws["D5"].number_format == "@"
