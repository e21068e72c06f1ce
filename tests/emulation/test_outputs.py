"""The outputs, opened as their readers open them: the rankings as XLSX (openpyxl; a unit's or
a block's name typed as a formula stays text; every export in the audit log), the minutes of
the block's meeting and one unit's scoring table as DOCX in the Decree 30/2020 layout
(python-docx), and who may download them."""

import io

import pytest
from docx import Document as Docx

from guongsang.audit.models import Action, AuditEntry
from guongsang.awards import seed
from guongsang.core.downloads import DOCX
from guongsang.emulation import meetings, services
from guongsang.units.models import UnitKind

from ..factories import Role, make_unit, make_user
from ..xlsx import HOSTILE, assert_text_cells, download
from .test_meetings import TODAY, make_round, record
from .test_ranking_pages import YEAR, final, make_world, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return make_world(cast)


@pytest.fixture
def catalogue(db):
    return seed.seed_catalogue()


def docx_text(response) -> str:
    """Every paragraph and table cell of the document, header tables included."""
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    doc = Docx(io.BytesIO(response.content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def docx_tables(response) -> list[list[list[str]]]:
    doc = Docx(io.BytesIO(response.content))
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


# ---- XLSX of the rankings ------------------------------------------------------------------
def test_the_blocks_ranking_as_a_workbook(world):
    w, cast = world, world.cast
    final(w, w.commune_e, 60, c1=36)
    final(w, cast.commune_a, 50, bonus=2, penalty=1)
    submitted(w, cast.commune_b, 55)
    book = download(
        cast.client_for(cast.province_admin), f"/thi-dua/xep-hang/cum/{w.one.pk}/excel/"
    )
    ws = book.worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == f"Xếp hạng thi đua Cụm thi đua số 1 năm {YEAR}"
    assert rows[1][:6] == ["Xếp hạng", "Đơn vị", "Cụm, khối", "Tự chấm", "Chấm chéo", "Điểm chốt"]
    assert rows[2][:2] == [1, "Xã Quang Trung"] and rows[2][5] == 96 and rows[2][8] == "Xuất sắc"
    assert rows[3][:2] == [2, "Xã Đông Khê"] and rows[3][5:8] == [51, 2, 1]
    flat = [v for row in rows for v in row if v is not None]
    assert "Chưa chốt điểm" in flat and "Phường Tân Giang" in flat
    assert "Đã gửi, chờ cụm trưởng chấm chéo" in flat and 55 in flat
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.object_label == "emulation.ranking" and entry.details["rows"] == 2
    assert entry.actor == cast.province_admin and entry.unit == cast.province


def test_a_member_exports_only_what_she_sees(world):
    w, cast = world, world.cast
    final(w, cast.commune_a, 50)
    submitted(w, cast.commune_b, 55)
    book = download(cast.client_for(w.e_staff), f"/thi-dua/xep-hang/cum/{w.one.pk}/excel/")
    flat = [c.value for row in book.worksheets[0].iter_rows() for c in row if c.value is not None]
    assert "Xã Đông Khê" in flat and "Phường Tân Giang" in flat  # apart, name only
    assert 55 not in flat and "Đã gửi, chờ cụm trưởng chấm chéo" not in flat


def test_text_typed_as_a_formula_stays_text(world):
    w, cast = world, world.cast
    by = cast.province_admin
    hostile_units = [make_unit(name, UnitKind.COMMUNE, cast.province) for name in HOSTILE[:3]]
    block = services.block_save(
        by=by,
        organiser=cast.province,
        year=YEAR,
        name='=HYPERLINK("http://x","Cụm")',
        members=hostile_units,
        leader=hostile_units[0],
        deputy=hostile_units[1],
    )
    for unit in hostile_units:
        staff = make_user(unit, Role.STAFF)
        w.staff[unit.pk] = staff
        w.block_of[unit.pk] = block
    for unit in hostile_units[:2]:
        final(w, unit, 50)
    submitted(w, hostile_units[2], 40)
    client = cast.client_for(by)
    book = download(client, f"/thi-dua/xep-hang/cum/{block.pk}/excel/")
    assert_text_cells(book, [*HOSTILE[:3], '=HYPERLINK("http://x","Cụm")'])
    book = download(client, f"/thi-dua/xep-hang/don-vi/{cast.province.pk}/excel/?nam={YEAR}")
    assert_text_cells(book, [*HOSTILE[:3], '=HYPERLINK("http://x","Cụm")'])


def test_the_overall_ranking_as_a_workbook(world):
    w, cast = world, world.cast
    final(w, cast.commune_a, 50)
    final(w, w.commune_c, 60, c1=30)
    book = download(
        cast.client_for(cast.province_admin),
        f"/thi-dua/xep-hang/don-vi/{cast.province.pk}/excel/?nam={YEAR}",
    )
    rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert rows[0][0] == f"Xếp hạng thi đua chung của Hội LHPN tỉnh Cao Bằng năm {YEAR}"
    assert rows[2][:3] == [1, "Xã Minh Khai", "Cụm thi đua số 2"]
    assert rows[3][:3] == [2, "Xã Đông Khê", "Cụm thi đua số 1"]
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.details["filters"] == {"nam": str(YEAR)} and entry.unit == cast.province


# ---- DOCX of the minutes -----------------------------------------------------------------------
def test_the_minutes_of_the_blocks_meeting(world, catalogue):
    w, cast = world, world.cast
    rnd = make_round(w)
    final(w, cast.commune_a, 60, c1=36)
    final(w, cast.commune_b, 50)
    meeting = record(
        w,
        award_type=catalogue["co-thi-dua-tinh"],
        conclusion="Các đơn vị thống nhất kết quả.\nGiao cụm trưởng hoàn thiện hồ sơ.",
    )
    meetings.meeting_propose_in_round(by=cast.province_admin, meeting=meeting, round=rnd)
    response = cast.client_for(w.e_staff).get(f"/thi-dua/hop-cum/{w.one.pk}/bien-ban/word/")
    text = docx_text(response)
    assert "HỘI LHPN XÃ ĐÔNG KHÊ" in text  # headed by the leader unit
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "BIÊN BẢN" in text
    assert f"Họp Cụm thi đua số 1 năm {YEAR}" in text
    assert f"Đông Khê, ngày {TODAY.day:02d} tháng" in text
    assert "Hội trường UBND xã Đông Khê" in text and TODAY.strftime("%d/%m/%Y") in text
    assert "Chủ trì: Bế Thị Hoa." in text and "Thư ký: Nông Thị Én." in text
    assert "Số đơn vị dự họp: 3/3" in text
    tables = docx_tables(response)
    ranking = next(t for t in tables if t[0][0] == "Xếp hạng")
    assert ranking[1][:2] == ["1", "Xã Đông Khê"] and ranking[1][4:] == ["96", "Xuất sắc"]
    assert ranking[2][:2] == ["2", "Phường Tân Giang"] and ranking[2][4] == "50"
    assert "Chưa chốt điểm: Xã Quang Trung." in text
    tally = next(t for t in tables if t[0][:3] == ["STT", "Đơn vị", "Số phiếu"])
    assert tally[1] == ["1", "Xã Đông Khê", "2", "66,7"]
    assert "Đơn vị dẫn đầu cụm thi đua năm" in text and "Hội LHPN xã Đông Khê (2/3 phiếu)" in text
    assert "“Cờ thi đua của Hội LHPN tỉnh” cho Hội LHPN xã Đông Khê" in text
    assert "Giao cụm trưởng hoàn thiện hồ sơ." in text
    signatures = next(t for t in tables if t[0] == ["THƯ KÝ", "CHỦ TRÌ"])
    assert signatures[1] == ["Nông Thị Én", "Bế Thị Hoa"]


# ---- DOCX of a unit's scoring table --------------------------------------------------------------
def test_the_scoring_table_of_one_unit(world):
    w, cast = world, world.cast
    score = final(
        w,
        cast.commune_b,
        55,
        c1=30,
        bonus=3,
        penalty=2,
        note="Có 3 điển hình được công nhận",
        penalty_note="Báo cáo quý II chậm",
    )
    url = f"/thi-dua/xep-hang/bang-diem/{score.pk}/word/"
    response = cast.client_for(cast.b_staff).get(url)
    text = docx_text(response)
    assert "HỘI LHPN PHƯỜNG TÂN GIANG" in text and "BÁO CÁO" in text
    assert f"Kết quả chấm điểm thi đua năm {YEAR}" in text
    rows = next(t for t in docx_tables(response) if t[0][0] == "Số")
    assert rows[0] == [
        "Số",
        "Tiêu chí",
        "Điểm tối đa",
        "Tự chấm",
        "Chấm chéo",
        "Điểm chốt",
        "Ghi chú",
    ]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["1.1"][1:6] == ["Hoạt động", "40", "30", "30", "30"]
    assert "Minh chứng: Sổ theo dõi hoạt động" in by_code["1.1"][6]
    assert by_code["1.2"][2:6] == ["60", "55", "55", "55"]
    assert "Tự chấm: Có 3 điển hình được công nhận" in by_code["1.2"][6]
    assert by_code["2.2"][2:6] == ["−5", "—", "—", "2"]
    assert "Chốt: Báo cáo quý II chậm" in by_code["2.2"][6]
    total = next(r for r in rows if r[1] == "TỔNG CỘNG")
    assert total[3:6] == ["88", "88", "86"]
    assert "Xếp loại: Tốt." in text


def test_who_downloads_a_scoring_table(world):
    w, cast = world, world.cast
    draft = submitted(w, cast.commune_b, 55)
    url = f"/thi-dua/xep-hang/bang-diem/{draft.pk}/word/"
    assert cast.client_for(cast.province_admin).get(url).status_code == 200
    assert cast.client_for(cast.a_staff).get(url).status_code == 200  # the checker
    for user in (w.e_staff, w.c_staff, cast.outsider, cast.branch_viewer):
        assert cast.client_for(user).get(url).status_code == 404  # not final, not hers
    finished = final(w, w.commune_c, 40)
    url = f"/thi-dua/xep-hang/bang-diem/{finished.pk}/word/"
    assert cast.client_for(w.d_staff).get(url).status_code == 200
    assert cast.client_for(cast.outsider).get(url).status_code == 404
