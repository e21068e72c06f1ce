"""The summary page (reports:summary): what it shows, who may see which unit, bad query input."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from guongsang.units.models import UnitKind

from ..factories import make_unit
from .test_figures import add_activity, records  # noqa: F401 (fixture)

URL = reverse("reports:summary")
H1_2026 = {"tu": "2026-01-01", "den": "2026-06-30"}


def cells(html: str, label: str) -> list[str]:
    """The numbers of the table row whose header cell holds ``label``."""
    row = re.search(rf"<tr[^>]*>\s*<th[^>]*>(?:<a [^>]*>)?{re.escape(label)}.*?</tr>", html, re.S)
    assert row, label
    return re.findall(r"<td>([^<]*)</td>", row.group(0))


def test_province_admin_reads_the_summary(cast, records):  # noqa: F811
    client = cast.client_for(cast.province_admin)
    r = client.get(URL, {"don_vi": cast.province.pk, **H1_2026})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Sơ kết, tổng kết: Hội LHPN tỉnh Cao Bằng" in html
    # Task states depend on today's date (after 2026-06-30 here: overdue is overdue).
    assert cells(html, "Xã Đông Khê")[:7] == ["3", "75", "55", "2", "2", "0", "2"]
    assert cells(html, "Phường Tân Giang")[:7] == ["1", "12", "12", "0", "1", "1", "0"]
    assert cells(html, "Trực tiếp tại Tỉnh Cao Bằng")[:3] == ["2", "150", "120"]
    assert cells(html, "Tổng cộng") == ["6", "237", "187", "2", "3", "2", "2", "2", "1", "1"]
    assert cells(html, "Cùng kỳ năm trước")[:3] == ["2", "38", "33"]
    assert cells(html, "Tăng (+) / giảm (−)")[:3] == ["+4", "+199", "+154"]
    # Drill-down to a commune keeps the period.
    assert f'href="{URL}?don_vi={cast.commune_a.pk}&amp;tu=2026-01-01&amp;den=2026-06-30"' in html
    assert "Huyện Thạch An" not in html  # merged: no row of its own
    # Server-drawn chart with a text alternative; no inline style anywhere (CSP).
    assert "<svg" in html and "<desc" in html and "Xã Đông Khê: 3 (cùng kỳ 1)" in html
    assert " style=" not in html and "<script>" not in html
    assert cells(html, "Hội nghị") == ["4", "1", "210", "8", "160", "8"]
    assert cells(html, "Mô hình mới") == ["0", "0", "1", "1", "0", "+1"]


def test_former_structure_switch(cast, records):  # noqa: F811
    client = cast.client_for(cast.province_admin)
    html = client.get(URL, {"don_vi": cast.province.pk, "cu": "1", **H1_2026}).content.decode()
    assert cells(html, "Huyện Thạch An")[:3] == ["2", "70", "50"]
    assert "đã kết thúc hoạt động 30/06/2025" in html
    assert cells(html, "Xã Đông Khê")[:3] == ["2", "55", "45"]
    assert cells(html, "Tổng cộng")[:3] == ["6", "237", "187"]
    assert "Xem theo cơ cấu hiện nay" in html


def test_defaults_to_the_users_top_unit_and_this_year(cast, records):  # noqa: F811
    client = cast.client_for(cast.a_staff)
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Sơ kết, tổng kết: Hội LHPN xã Đông Khê" in html
    assert "6 tháng đầu năm" in html and "Cả năm" in html
    assert "Chi hội Nà Pàn" in html
    # The fields show the period the figures are for, defaults included.
    today = timezone.localdate()
    assert f'name="tu" value="{today.year}-01-01"' in html
    assert f'name="den" value="{today.isoformat()}"' in html
    html = client.get(URL, {"tu": "2025-03-01"}).content.decode()
    assert 'name="tu" value="2025-03-01"' in html and 'name="den" value="2025-12-31"' in html


def test_commune_sees_only_its_subtree(cast, records):  # noqa: F811
    client = cast.client_for(cast.a_staff)
    for unit in (cast.commune_b, cast.province, cast.other_commune, cast.branch_b):
        assert client.get(URL, {"don_vi": unit.pk, **H1_2026}).status_code == 404
    assert client.get(URL, {"don_vi": 987654321}).status_code == 404
    # Its branch, and the former commune it absorbed (read-only history), are visible.
    assert client.get(URL, {"don_vi": cast.branch_a.pk, **H1_2026}).status_code == 200
    r = client.get(URL, {"don_vi": cast.former_commune.pk, **H1_2026})
    assert r.status_code == 200 and "Thị trấn Đông Khê" in r.content.decode()
    outsider = cast.client_for(cast.outsider)
    assert outsider.get(URL, {"don_vi": cast.province.pk}).status_code == 404


def test_anonymous_is_sent_to_login(cast):
    r = cast.client_for(cast.a_staff).__class__().get(URL)
    assert r.status_code == 302 and "next=" in r["Location"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"tu": "2026-13-40"}, "Nhập ngày theo dạng năm-tháng-ngày"),
        ({"tu": "2026-01-01\x00"}, "Nhập ngày theo dạng năm-tháng-ngày"),
        ({"den": "²"}, "Nhập ngày theo dạng năm-tháng-ngày"),
        ({"tu": "1800-01-01"}, "Ngày phải trong khoảng 01/01/2000 – 31/12/2100"),
        ({"tu": "9999-12-31"}, "Ngày phải trong khoảng"),
        ({"tu": "2026-06-30", "den": "2026-01-01"}, "Ngày kết thúc phải sau ngày bắt đầu"),
        ({"tu": "2001-01-01", "den": "2026-01-01"}, "Khoảng thời gian dài nhất là 10 năm"),
        ({"don_vi": "²"}, "Đơn vị không hợp lệ"),
        ({"don_vi": "99999999999999999999999999"}, "Đơn vị không hợp lệ"),
        ({"don_vi": "-1"}, "Đơn vị không hợp lệ"),
        ({"don_vi": "1\x00"}, "Đơn vị không hợp lệ"),
        # Both wrong: both said.
        ({"don_vi": "²", "tu": "1800-01-01"}, "Ngày phải trong khoảng"),
        ({"don_vi": "²", "tu": "1800-01-01"}, "Đơn vị không hợp lệ"),
    ],
)
def test_bad_input_gets_a_message_never_a_500(cast, params, message):
    client = cast.client_for(cast.province_admin)
    r = client.get(URL, params)
    assert r.status_code == 400
    html = r.content.decode()
    assert message in html
    assert "Tổng hợp theo đơn vị" not in html
    if "tu" in params and "\x00" not in params["tu"]:
        assert f'value="{params["tu"]}"' in html  # the input is kept


def test_empty_state(cast):
    client = cast.client_for(cast.b_staff)
    html = client.get(URL, {"tu": "2020-01-01", "den": "2020-12-31"}).content.decode()
    assert "Chưa có số liệu nào của đơn vị trong kỳ này" in html


def test_page_query_count_does_not_grow_with_units(cast, records):  # noqa: F811
    client = cast.client_for(cast.province_admin)
    params = {"don_vi": cast.province.pk, **H1_2026}
    client.get(URL, params)  # warm the session

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, params).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(10):
        commune = make_unit(f"Xã Thử {i}", UnitKind.COMMUNE, cast.province)
        add_activity(commune, dt.date(2026, 2, 2), records.forms["hn"], 1, 1, cast.province_admin)
    assert count() == before


def test_chart_draws_the_highest_rows_of_a_wide_level(cast, records):  # noqa: F811
    for i in range(41):
        commune = make_unit(f"Xã Rộng {i:02d}", UnitKind.COMMUNE, cast.province)
        add_activity(commune, dt.date(2026, 2, 2), records.forms["hn"], 1, 1, cast.province_admin)
    client = cast.client_for(cast.province_admin)
    html = client.get(URL, {"don_vi": cast.province.pk, **H1_2026}).content.decode()
    assert "40 đơn vị có số liệu cao nhất" in html
    assert html.count('class="sum-bar-now"') == 80  # two charts of 40 bars
    assert html.count(">Xã Rộng ") >= 41  # the table keeps every row


def test_links_to_the_excel_file_and_the_draft(cast, records):  # noqa: F811
    html = (
        cast.client_for(cast.province_admin)
        .get(URL, {"don_vi": cast.province.pk, **H1_2026})
        .content.decode()
    )
    query = f"don_vi={cast.province.pk}&amp;tu=2026-01-01&amp;den=2026-06-30"
    assert f'href="{reverse("reports:summary_xlsx")}?{query}"' in html
    assert f'action="{reverse("reports:draft")}"' in html
    # A viewer reads the figures and downloads them, but drafts no report.
    viewer_html = cast.client_for(cast.branch_viewer).get(URL, H1_2026).content.decode()
    assert "summary_xlsx" not in viewer_html and reverse("reports:summary_xlsx") in viewer_html
    assert reverse("reports:draft") not in viewer_html


def test_names_are_escaped_in_the_rows_and_the_charts(cast, records):  # noqa: F811
    # The table and chart rows are written in Python, not by the template: same escaping.
    name = 'Xã <b>Thử</b> & "Mới" có tên rất dài'
    commune = make_unit(name, UnitKind.COMMUNE, cast.province)
    add_activity(commune, dt.date(2026, 2, 2), records.forms["hn"], 1, 1, cast.province_admin)
    client = cast.client_for(cast.province_admin)
    html = client.get(URL, {"don_vi": cast.province.pk, **H1_2026}).content.decode()
    assert "<b>Thử</b>" not in html
    link = f"{URL}?don_vi={commune.pk}&amp;tu=2026-01-01&amp;den=2026-06-30"
    assert f'<a href="{link}">{escape(name)}</a>' in html
    assert f"<title>{escape(name)}: 1</title>" in html  # the bar
    assert f"{escape(name)}: 1 (cùng kỳ 0). " in html  # the chart's text alternative
    assert f'text-anchor="end">{escape(name[:25])}…</text>' in html  # cut to 26 characters
