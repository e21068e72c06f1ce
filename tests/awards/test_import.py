"""Excel import of past awards: the template, all rows or none, every bad row named by its
Excel row number in Vietnamese, and only subjects the uploader records for."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from guongsang.awards.imports import HEADERS, import_awards
from guongsang.awards.models import Award, AwardSource
from guongsang.core.spreadsheets import ImportRejected, set_value

from .conftest import LDTT

IMPORT = reverse("awards:award_import")
TEMPLATE = reverse("awards:award_template")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows, header=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for number, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            set_value(ws.cell(row=number, column=col), value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def by_row(exc) -> dict[int, str]:
    return {e.row: e.message for e in exc.value.errors}


def test_all_rows_or_none(aw, today):
    a = aw.cast
    aw.give(aw.individual, LDTT, 2022)
    rows = [
        [
            aw.individual.pk,
            "",
            "",
            "Lao động tiên tiến",
            2023,
            "12/QĐ-UBND",
            "20/12/2023",
            "UBND xã",
        ],
        ["", "hoang thi duyen", "01450", "gia-dinh-van-hoa", "2024", "", "", ""],
        ["", "Chi hội Nà Pàn", "01450-CH01", "Tập thể lao động tiên tiến", 2024.0, "", None, ""],
        [aw.b_individual.pk, "", "", "Lao động tiên tiến", 2023, "", "", ""],
        [999999, "", "", "Lao động tiên tiến", 2023, "", "", ""],
        ["", "Triệu Thị Mai", "01288", "Lao động tiên tiến", 2023, "", "", ""],
        [aw.individual.pk, "", "", "Lao động tiên tiến", 2023, "", "", ""],
        [aw.individual.pk, "", "", "tt-lao-dong-tien-tien", 2020, "", "", ""],
        [aw.individual.pk, "", "", "", 1900, "", "31/02/2023", "x" * 201],
        [aw.household.pk, "", "", "Gia đình văn hóa", "năm ngoái", "", "", ""],
        [aw.household.pk, "", "", "gia-dinh-van-hoaa", 2023, "", "", ""],
    ]
    with pytest.raises(ImportRejected) as exc:
        import_awards(data=xlsx(rows), by=a.a_staff)
    # Another commune's subject reads exactly like a subject that does not exist.
    assert by_row(exc) == {
        5: f"không có đối tượng mã “{aw.b_individual.pk}” trong phạm vi của bạn",
        6: "không có đối tượng mã “999999” trong phạm vi của bạn",
        7: "không có đối tượng “Triệu Thị Mai” ở đơn vị mã “01288” trong phạm vi của bạn",
        8: "trùng với dòng 2 (cùng đối tượng, danh hiệu, năm)",
        9: "“Tập thể lao động tiên tiến” không áp dụng cho cá nhân",
        10: "thiếu danh hiệu, hình thức; năm phải từ 1945 đến "
        f"{today.year}; cấp tặng dài quá 200 ký tự; "
        "ngày quyết định “31/02/2023” không đúng dạng ngày/tháng/năm",
        11: "năm “năm ngoái” không phải số",
        12: "danh mục không có mã “gia-dinh-van-hoaa”",
    }
    assert Award.objects.count() == 1

    created = import_awards(data=xlsx(rows[:3]), by=a.a_staff)
    assert len(created) == 3
    assert aw.history(aw.individual) == [("Lao động tiên tiến", 2022), ("Lao động tiên tiến", 2023)]
    assert aw.history(aw.household) == [("Gia đình văn hóa", 2024)]
    assert aw.history(aw.collective) == [("Tập thể lao động tiên tiến", 2024)]
    imported = Award.objects.get(subject=aw.individual, year=2023)
    assert (imported.source, imported.decision_number, imported.decision_date.isoformat()) == (
        AwardSource.IMPORT,
        "12/QĐ-UBND",
        "2023-12-20",
    )
    assert imported.created_by == a.a_staff and imported.unit_path == aw.individual.unit_path
    # Already in the history: refused by row, nothing written.
    with pytest.raises(ImportRejected) as exc:
        import_awards(data=xlsx(rows[:1]), by=a.a_staff)
    assert by_row(exc) == {2: "“Nông Thị Hạnh” đã có “Lao động tiên tiến” năm 2023"}


FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)"]


def test_formula_looking_text_is_stored_as_text(aw):
    rows = [
        [aw.individual.pk, "", "", FORMULAS[0], 2020 + i, text, "", text]
        for i, text in enumerate(FORMULAS)
    ]
    import_awards(data=xlsx(rows), by=aw.cast.a_staff)
    stored = list(
        Award.objects.filter(subject=aw.individual)
        .order_by("year")
        .values_list("name", "decision_number", "conferred_by", "award_type")
    )
    assert stored == [(FORMULAS[0], t, t, None) for t in FORMULAS]


def test_names_that_fit_several_subjects_ask_for_the_id(aw):
    from .conftest import make_subject

    twin = make_subject(aw.cast.a_staff, aw.cast.group_a, "individual", "Nông Thị Hạnh")
    rows = [["", "Nông Thị Hạnh", "01450", "Lao động tiên tiến", 2023, "", "", ""]]
    with pytest.raises(ImportRejected) as exc:
        import_awards(data=xlsx(rows), by=aw.cast.a_staff)
    assert by_row(exc) == {
        2: "có 2 đối tượng tên “Nông Thị Hạnh” ở đơn vị “01450”: hãy ghi Mã đối tượng"
    }
    # With the code of the group, only the twin fits.
    rows[0][2] = aw.cast.group_a.code
    import_awards(data=xlsx(rows), by=aw.cast.a_staff)
    assert aw.history(twin) == [("Lao động tiên tiến", 2023)]


def test_file_level_refusals(aw):
    staff = aw.cast.a_staff
    for data, message in (
        (b"not a spreadsheet", "Tệp không phải bảng tính Excel .xlsx."),
        (xlsx([]), "Tệp không có dòng dữ liệu nào."),
        (
            xlsx([[aw.individual.pk, "", "", LDTT, 2020, "", "", ""]] * 5001),
            "Tệp có quá 5.000 dòng; hãy chia nhỏ (và xóa các dòng trống ở cuối bảng).",
        ),
    ):
        with pytest.raises(ImportRejected) as exc:
            import_awards(data=data, by=staff)
        assert by_row(exc) == {0: message}
    assert not Award.objects.exists()


def test_import_page_and_template(aw):
    cast = aw.cast
    for user in (cast.outsider, cast.branch_viewer):
        client = cast.client_for(user)
        assert client.get(IMPORT).status_code == 404
        assert client.get(TEMPLATE).status_code == 404
    client = cast.client_for(cast.a_staff)
    page = client.get(IMPORT)
    assert page.status_code == 200 and "Nhập khen thưởng đã có từ Excel" in page.content.decode()
    book = load_workbook(io.BytesIO(client.get(TEMPLATE).getvalue()))
    assert [c.value for c in book.worksheets[0][1]] == HEADERS
    assert ("Lao động tiên tiến", LDTT) in [
        (r[0].value, r[1].value) for r in book["Danh mục"].iter_rows(min_row=2)
    ]
    bad = [[aw.b_individual.pk, "", "", LDTT, 2023, "", "", ""]]
    response = client.post(IMPORT, {"file": SimpleUploadedFile("k.xlsx", xlsx(bad), XLSX)})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"không có đối tượng mã “{aw.b_individual.pk}” trong phạm vi của bạn" in body
    good = [[aw.individual.pk, "", "", LDTT, 2023, "", "", ""]]
    response = client.post(
        IMPORT, {"file": SimpleUploadedFile("k.xlsx", xlsx(good), XLSX)}, follow=True
    )
    assert "Đã nhập 1 khen thưởng." in response.content.decode()
    assert not Award.objects.filter(subject=aw.b_individual).exists()


def test_odd_digits_and_huge_numbers_are_row_errors(aw):
    rows = [
        ["²", "", "", "Lao động tiên tiến", 2023, "", "", ""],
        ["9" * 5000, "", "", "Lao động tiên tiến", 2023, "", "", ""],
        [aw.individual.pk, "", "", "Lao động tiên tiến", "9" * 5000, "", "", ""],
        [aw.individual.pk, "", "", "Lao động tiên tiến", "²⁰²³", "", "", ""],
    ]
    with pytest.raises(ImportRejected) as exc:
        import_awards(data=xlsx(rows), by=aw.cast.a_staff)
    errors = by_row(exc)
    assert errors[2] == "không có đối tượng mã “²” trong phạm vi của bạn"
    assert errors[3].startswith("không có đối tượng mã “999")
    assert errors[4].startswith("năm “99999999999999999999” không phải số")
    assert errors[5] == "năm “²⁰²³” không phải số"
    assert not Award.objects.exists()
