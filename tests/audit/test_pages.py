"""The log's pages: admins read the entries of the subtrees they manage, newest first, filter
them and export them; nothing of another commune by page, filter, export or guessed id; bad
filter input is a form error, never a 500."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from guongsang.accounts.models import Role
from guongsang.audit import services as audit
from guongsang.audit.models import Action, AuditEntry
from tests.factories import make_user

from .conftest import one

pytestmark = pytest.mark.django_db

LIST = reverse("audit:list")


@pytest.fixture
def log(cast):
    """One entry on each unit of interest, and one on no unit."""
    entries = {
        "a": audit.record(
            action=Action.PASSWORD_RESET,
            actor=cast.a_admin,
            unit=cast.commune_a,
            obj=cast.a_staff,
            address="192.0.2.1",
        ),
        "a_branch": audit.record(
            action=Action.ROLE_ADD, actor=cast.a_admin, unit=cast.branch_a, label="Mục chi hội A1"
        ),
        "b": audit.record(
            action=Action.PASSWORD_RESET,
            actor=cast.province_admin,
            unit=cast.commune_b,
            obj=cast.b_staff,
            label="Mục của phường B",
        ),
        "province": audit.record(
            action=Action.LOGIN, actor=cast.province_admin, unit=cast.province
        ),
        "other": audit.record(
            action=Action.LOGIN, actor=cast.outsider, unit=cast.other_province, label="Lạng Sơn"
        ),
        "nowhere": audit.record(
            action=Action.LOGIN_FAILED, actor_username="ai.do", label="Tên lạ không đơn vị"
        ),
    }
    return entries


def page_ids(response) -> set[int]:
    return {e.pk for e in response.context["page"].object_list}


def workbook(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


class TestWhoSeesWhat:
    def test_a_commune_admin_reads_her_subtree_only(self, cast, log):
        client = cast.client_for(cast.a_admin)
        response = client.get(LIST)
        assert response.status_code == 200
        assert page_ids(response) == {log["a"].pk, log["a_branch"].pk}
        body = response.content.decode()
        assert "Đặt lại mật khẩu" in body and "Mục chi hội A1" in body
        assert "Mục của phường B" not in body and "Tên lạ không đơn vị" not in body
        # Newest first.
        assert [e.pk for e in response.context["page"].object_list] == [
            log["a_branch"].pk,
            log["a"].pk,
        ]

    def test_nothing_of_commune_b_by_filter_export_or_guessed_id(self, cast, log):
        client = cast.client_for(cast.a_admin)
        assert client.get(LIST, {"don_vi": cast.commune_b.pk}).status_code == 404
        # Typed by name: not found in her scope, said so, the filter ignored (her own entries).
        response = client.get(LIST, {"don_vi_text": "Phường Tân Giang"})
        assert page_ids(response) == {log["a"].pk, log["a_branch"].pk}
        assert "Không tìm thấy đơn vị" in response.content.decode()
        assert client.get(LIST, {"nguoi": "tinh.admin"}).context["page"].object_list == []
        for key in ("b", "province", "other", "nowhere"):
            assert client.get(reverse("audit:detail", args=[log[key].pk])).status_code == 404
        assert client.get(reverse("audit:detail", args=[log["a"].pk])).status_code == 200
        sheet = workbook(client.get(LIST, {"xuat": "xlsx"}))
        text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
        assert "Mục chi hội A1" in text and "Bế Thị Hoa" in text
        assert "Mục của phường B" not in text and "Lạng Sơn" not in text
        assert "Tên lạ không đơn vị" not in text
        assert sheet.max_row == 3  # the header and her two entries

    def test_the_province_admin_reads_her_province_but_not_the_unitless_entries(self, cast, log):
        response = cast.client_for(cast.province_admin).get(LIST)
        assert page_ids(response) == {log[k].pk for k in ("a", "a_branch", "b", "province")}

    def test_central_admins_and_superusers_read_the_unitless_entries(self, cast, log):
        central = make_user(cast.central, Role.ADMIN, username="tw.admin")
        everything = {e.pk for e in log.values()}
        assert page_ids(cast.client_for(central).get(LIST)) >= everything
        root = make_user(None, is_superuser=True, is_staff=True, username="root")
        assert page_ids(cast.client_for(root).get(LIST)) >= everything

    @pytest.mark.parametrize("who", ["a_staff", "b_staff", "branch_viewer"])
    def test_officers_who_manage_nothing_get_404(self, cast, log, who):
        client = cast.client_for(getattr(cast, who))
        assert client.get(LIST).status_code == 404
        assert client.get(LIST, {"xuat": "xlsx"}).status_code == 404
        assert client.get(reverse("audit:detail", args=[log["a"].pk])).status_code == 404
        assert 'href="/nhat-ky/"' not in client.get("/").content.decode()
        assert not AuditEntry.objects.filter(action=Action.AUDIT_EXPORT).exists()

    def test_anonymous_is_sent_to_the_login(self, log):
        from django.test import Client

        response = Client().get(LIST)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]

    def test_the_menu_links_it_for_admins(self, cast):
        client = cast.client_for(cast.a_admin)
        body = client.get("/").content.decode()
        assert 'href="/nhat-ky/"' in body and "Nhật ký" in body
        body = client.get(LIST).content.decode()
        assert 'href="/nhat-ky/" aria-current="page">Nhật ký</a>' in body


class TestFilters:
    def test_by_action_user_unit_and_dates(self, cast, log):
        client = cast.client_for(cast.province_admin)
        ids = page_ids(client.get(LIST, {"thao_tac": Action.PASSWORD_RESET}))
        assert ids == {log["a"].pk, log["b"].pk}
        assert page_ids(client.get(LIST, {"nguoi": "a.admin"})) == {
            log["a"].pk,
            log["a_branch"].pk,
        }
        assert page_ids(client.get(LIST, {"don_vi": cast.branch_a.pk})) == {log["a_branch"].pk}
        assert page_ids(client.get(LIST, {"don_vi_text": "Xã Đông Khê"})) == {
            log["a"].pk,
            log["a_branch"].pk,
        }
        today = timezone.localdate()
        tomorrow = today + dt.timedelta(days=1)
        assert len(page_ids(client.get(LIST, {"tu": today.isoformat()}))) == 4
        assert page_ids(client.get(LIST, {"tu": tomorrow.isoformat()})) == set()
        assert len(page_ids(client.get(LIST, {"den": today.isoformat()}))) == 4
        assert (
            page_ids(client.get(LIST, {"den": (today - dt.timedelta(days=1)).isoformat()})) == set()
        )

    @pytest.mark.parametrize(
        "params",
        [
            {"nguoi": "a\x00b"},
            {"nguoi": "x" * 500},
            {"tu": "２０２６-01-01"},
            {"tu": "²026-01-01"},
            {"den": "0001-01-01"},
            {"den": "9999-12-31"},
            {"tu": "99999-01-01"},
            {"tu": "2026-13-45"},
            {"tu": "2026-02-01", "den": "2026-01-01"},
            {"thao_tac": "khong-co"},
            {"thao_tac": "a\x00"},
            {"don_vi_text": "a\x00b"},
        ],
    )
    def test_bad_input_is_a_form_error_never_a_500(self, cast, log, params):
        client = cast.client_for(cast.a_admin)
        response = client.get(LIST, params)
        assert response.status_code == 200
        assert response.context["filter_errors"] or response.context["unit_filter"].errors
        assert 'class="errorlist' in response.content.decode()
        # The list still shows her entries only, the bad filter ignored.
        assert page_ids(response) <= {log["a"].pk, log["a_branch"].pk}
        assert client.get(LIST, {**params, "xuat": "xlsx"}).status_code == 200

    @pytest.mark.parametrize(
        "params",
        [{"page": "99999999999999999999"}, {"page": "²"}, {"page": "-1"}, {"don_vi": "²"},
         {"don_vi": "99999999999999999999"}],
    )  # fmt: skip
    def test_huge_or_odd_numbers(self, cast, log, params):
        response = cast.client_for(cast.a_admin).get(LIST, params)
        # A page out of range is the first or last page; an id that names no unit of hers is
        # a 404, as everywhere.
        assert response.status_code in (200, 404)


class TestExport:
    def test_text_is_never_a_formula_and_the_export_is_recorded(self, cast, log):
        audit.record(
            action=Action.ACCOUNT_UPDATE,
            actor=cast.a_admin,
            unit=cast.commune_a,
            label='=HYPERLINK("http://x.example","bấm")',
            details={"changes": {"full_name": ["A", "@SUM(1)"]}},
        )
        client = cast.client_for(cast.a_admin)
        sheet = workbook(client.get(LIST, {"xuat": "xlsx", "thao_tac": Action.ACCOUNT_UPDATE}))
        headers = [c.value for c in sheet[1]]
        assert headers[:4] == ["STT", "Thời điểm", "Tên đăng nhập", "Thao tác"]
        row = sheet[2]
        assert row[3].value == "Sửa thông tin tài khoản" and row[4].value == "Xã Đông Khê"
        assert row[5].value.startswith("=HYPERLINK") and row[5].data_type == "s"
        assert "@SUM(1)" in row[6].value and row[6].data_type == "s"
        assert sheet.max_row == 2
        entry = one(Action.AUDIT_EXPORT)
        assert entry.actor == cast.a_admin and entry.unit == cast.a_admin.unit
        assert entry.details["rows"] == 1 and entry.details["truncated"] is False
        assert entry.details["filters"] == {"thao_tac": Action.ACCOUNT_UPDATE}
        # The export appears in the log it exported from.
        page = client.get(LIST).content.decode()
        assert "Xuất nhật ký hệ thống" in page

    def test_a_long_export_stops_and_says_so(self, cast, log, monkeypatch):
        from guongsang.audit import views

        monkeypatch.setattr(views, "EXPORT_MAX", 1)
        sheet = workbook(cast.client_for(cast.a_admin).get(LIST, {"xuat": "xlsx"}))
        assert sheet.max_row == 3 and "Chỉ xuất 1 mục" in sheet.cell(3, 2).value
        assert one(Action.AUDIT_EXPORT).details["truncated"] is True


class TestDetail:
    def test_the_details_in_words(self, cast, log):
        entry = audit.record(
            action=Action.ROLE_REMOVE,
            actor=cast.a_admin,
            unit=cast.branch_a,
            obj=cast.branch_viewer,
            details={"role": "staff", "tokens_revoked": 2},
        )
        body = cast.client_for(cast.a_admin).get(reverse("audit:detail", args=[entry.pk]))
        text = body.content.decode()
        assert "Bỏ vai trò" in text and "Số mã API bị thu hồi" in text and "Lục Thị Xuân" in text


def test_the_list_costs_the_same_for_3_or_60_entries(cast, django_assert_max_num_queries):
    client = cast.client_for(cast.province_admin)

    def add(n):
        for i in range(n):
            audit.record(
                action=Action.LOGIN, actor=cast.a_staff, unit=cast.commune_a, label=f"#{i}"
            )

    add(3)
    client.get(LIST)  # session and caches warm
    with django_assert_max_num_queries(7) as first:
        assert client.get(LIST, {"don_vi": cast.commune_a.pk}).status_code == 200
    add(57)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(LIST, {"don_vi": cast.commune_a.pk})
    assert len(response.context["page"].object_list) == 50 and response.context["page"].has_next()
