"""The home page kept per account and served again while the units, the memberships, the
account's name and her unread count are unchanged; after every kind of write the page served
equals one rendered afresh."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guongsang.accounts.models import Membership, Role, User
from guongsang.notifications import services as notifications
from guongsang.reports import home_views
from guongsang.units import queries
from guongsang.units.models import StructureStamp, Unit, UnitKind
from guongsang.units.services import unit_close
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([^"]+)"')


def page(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def fresh(client) -> str:
    """The page rendered anew (nothing kept), its tokens blanked for comparing."""
    home_views._KEPT.clear()
    return TOKEN.sub(r'\1"', page(client))


def served(client) -> str:
    """The page as a second visit gets it (kept when nothing changed), tokens blanked."""
    page(client)
    return TOKEN.sub(r'\1"', page(client))


def kept_for(user) -> bool:
    return user.pk in home_views._KEPT


def test_second_visit_is_served_kept_with_this_requests_token(cast):
    client = cast.client_for(cast.a_staff)
    first = page(client)
    assert kept_for(cast.a_staff)
    with CaptureQueriesContext(connection) as ran:
        second = page(client)
    # The session, the account, the stamp, the unread count: no membership, unit or template.
    assert len(ran.captured_queries) == 4, [q["sql"] for q in ran.captured_queries]
    assert TOKEN.sub(r'\1"', first) == TOKEN.sub(r'\1"', second)
    assert "\x00" not in second
    tokens = {m.group(2) for m in TOKEN.finditer(second)}
    assert len(tokens) == 1
    # The token served is this browser's: logging out with it works.
    client.enforce_csrf_checks = True
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302  # logged out


def test_a_fresh_render_counts_the_unread_notifications_once(cast):
    """The page's key and the header both want the unread count: one query for both."""
    client = cast.client_for(cast.a_staff)
    notifications.notify(users=[cast.a_staff], text="Có văn bản mới", link="/van-ban/")
    home_views._KEPT.clear()
    with CaptureQueriesContext(connection) as ran:
        html = page(client)
    counts = [q for q in ran.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1, counts
    assert kept_for(cast.a_staff) and "Thông báo" in html


def test_another_browser_of_the_same_account_gets_its_own_token(cast):
    one, two = cast.client_for(cast.a_staff), cast.client_for(cast.a_staff)
    page(one)
    body = page(two)  # served from what the first browser's visit kept
    token = TOKEN.search(body).group(2)
    two_strict = Client(enforce_csrf_checks=True)
    two_strict.cookies = two.cookies
    response = two_strict.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_each_account_gets_her_own_page(cast):
    a, b = cast.client_for(cast.a_staff), cast.client_for(cast.b_staff)
    page(a)
    assert "Triệu Thị Nga" in served(b) and "Bế Thị Hoa" not in served(b)
    assert "Đông Khê" in served(a) and "Tân Giang" not in served(a)


def _rename(cast):
    unit = Unit.objects.get(pk=cast.commune_a.pk)
    unit.name = "Xã Đông Khê Mới"
    unit.save()


def _bulk_rename(cast):
    Unit.objects.filter(pk=cast.commune_a.pk).update(name="Xã Đổi Tên Hàng Loạt")


def _raw_rename(cast):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE units_unit SET name = %s WHERE id = %s", ["Xã Sửa Tay", cast.commune_a.pk]
        )


def _new_branch(cast):
    make_unit("Chi hội Bản Mới", UnitKind.BRANCH, cast.commune_a, code="01450-CH09")


def _close_group(cast):
    unit_close(unit=cast.group_a, on=dt.date(2026, 1, 1), successor=None)


def _add_role(cast):
    Membership.objects.create(user=cast.a_staff, unit=cast.commune_b, role=Role.VIEWER)


def _change_role(cast):
    Membership.objects.filter(user=cast.a_staff).update(role=Role.ADMIN)


def _remove_role(cast):
    Membership.objects.filter(user=cast.a_staff).delete()


def _rename_account(cast):
    User.objects.filter(pk=cast.a_staff.pk).update(full_name="Bế Thị Hoa Mai")


def _notify(cast):
    notifications.notify(users=[cast.a_staff], text="Có văn bản mới")


def _read_all(cast):
    notifications.notify(users=[cast.a_staff], text="Có văn bản mới")
    page(cast.client_for(cast.a_staff))  # kept with the badge
    notifications.mark_all_read(user=cast.a_staff)


WRITES = [
    (_rename, "Đông Khê Mới"),
    (_bulk_rename, "Đổi Tên Hàng Loạt"),
    (_raw_rename, "Sửa Tay"),
    (_new_branch, None),
    (_close_group, None),
    (_add_role, "Tân Giang"),
    (_change_role, "Tạo tài khoản"),
    (_remove_role, "Tài khoản chưa được giao vai trò nào"),
    (_rename_account, "Bế Thị Hoa Mai"),
    (_notify, "count-pill"),
    (_read_all, None),
]


@pytest.mark.parametrize(("write", "shown"), WRITES, ids=[w.__name__ for w, _s in WRITES])
def test_after_every_kind_of_write_the_page_served_is_fresh(cast, write, shown):
    client = cast.client_for(cast.a_staff)
    before = served(client)
    assert kept_for(cast.a_staff)
    write(cast)
    after = served(client)
    assert after == fresh(client)
    assert after != before or write is _read_all
    if shown:
        assert shown in after
    if write is _read_all:
        assert "count-pill" not in after


def test_the_commune_counts_follow_a_new_unit(cast):
    """A commune's home shows its units counted by kind: a new branch moves the stamp."""
    client = cast.client_for(cast.a_staff)
    before = served(client)
    _new_branch(cast)
    after = served(client)
    assert after == fresh(client) and after != before


def test_a_flash_message_is_shown_once_and_never_kept(cast):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    client = cast.client_for(cast.a_staff)
    page(client)  # kept
    # A message waiting in the browser's cookie, as after a form that redirected home.
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.SUCCESS, "Đã lưu thay đổi.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies.update(carrier.cookies)
    assert "Đã lưu thay đổi." in page(client)
    assert "Đã lưu thay đổi." not in page(client)
    assert "Đã lưu thay đổi." not in home_views._KEPT[cast.a_staff.pk][1]


def test_only_the_plain_page_is_kept(cast):
    client = cast.client_for(cast.a_staff)
    client.get(reverse("home"), {"viec_can_lam": "1"})
    client.get(reverse("home"), {"so_don_vi": cast.commune_a.pk}, headers={"HX-Request": "true"})
    assert not kept_for(cast.a_staff)


def test_nothing_is_kept_without_the_stamp_row(cast):
    StructureStamp.objects.all().delete()
    assert queries.structure_stamp() is None
    client = cast.client_for(cast.a_staff)
    assert "Bế Thị Hoa" in page(client)
    assert not kept_for(cast.a_staff)


def test_the_stamp_moves_with_structure_changes_only(cast):
    start = queries.structure_stamp()
    _rename(cast)
    assert queries.structure_stamp() > start
    unchanged = queries.structure_stamp()
    notifications.notify(users=[cast.a_staff], text="x")  # not the structure
    assert queries.structure_stamp() == unchanged


def test_the_stamp_triggers_exist_after_all_migrations():
    """SQLite drops a table's triggers when a migration rebuilds the table: a later migration
    of the units or the memberships must create them again (this test says so)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE '%%_structure_bump' "
                "AND NOT tgisinternal"
            )
            expected = {"units_unit_structure_bump", "accounts_membership_structure_bump"}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = {
                f"{table}_structure_{event}"
                for table in ("units_unit", "accounts_membership")
                for event in ("insert", "update", "delete")
            }
        found = {row[0] for row in cursor.fetchall()}
    assert expected <= found
