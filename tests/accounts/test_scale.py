"""The account list is ordered by a stored Vietnamese name key and paginated by the database."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guongsang.core.text import person_sort_key, person_sort_text
from tests.explain import query_plan
from tests.factories import Role, make_user

NAMES = [
    "Đàm Thị Lan",
    "Dương Thị Lan",
    "Bế Thị Lan",
    "Âu Thị Ánh",
    "Lý Thị Anh",
    "Hà Thị Ân",
    "Mã Thị Ăn",
    "Nông Thị Hoà",
    "Nông Thị Hòa",
    "H'Hen Niê",
    "Triệu Thị Ư",
]


def names_on(client, **params) -> list[str]:
    response = client.get(reverse("accounts:account_list"), params)
    assert response.status_code == 200
    prefix = reverse("accounts:account_detail", args=[1])[:-2]
    found = re.finditer(re.escape(prefix) + r'(\d+)/">([^<]+)</a>', response.content.decode())
    return [unescape(m.group(2)) for m in found]


def test_accounts_follow_the_vietnamese_order(cast):
    for i, name in enumerate(NAMES):
        make_user(cast.branch_a, Role.VIEWER, full_name=name, username=f"tv{i}")
    make_user(cast.branch_a, Role.VIEWER, full_name="", username="zz.khong.ten")
    shown = names_on(cast.client_for(cast.a_admin))
    assert {*NAMES, "zz.khong.ten"} <= set(shown)
    # The whole page (the cast included) in the order the app used to compute in Python.
    assert shown == sorted(shown, key=person_sort_key)
    assert shown.index("Bế Thị Lan") < shown.index("Dương Thị Lan") < shown.index("Đàm Thị Lan")
    assert shown.index("Lý Thị Anh") < shown.index("Âu Thị Ánh")


def test_renaming_moves_the_account(cast):
    client = cast.client_for(cast.a_admin)
    account = make_user(cast.branch_a, Role.VIEWER, full_name="Bế Thị Anh", username="an.be")
    assert names_on(client)[0] == "Bế Thị Anh"
    account.full_name = "Bế Thị Yến"
    account.save(update_fields=["full_name"])
    account.refresh_from_db()
    assert account.sort_key == person_sort_text("Bế Thị Yến")
    assert account.name_folded == "be thi yen an.be"
    shown = names_on(client)
    assert shown[0] != "Bế Thị Yến" and shown == sorted(shown, key=person_sort_key)


def test_search_is_accent_insensitive_in_sql(cast):
    make_user(cast.branch_a, Role.VIEWER, full_name="Đàm Thị Thuỷ", username="thuy.dam")
    client = cast.client_for(cast.a_admin)
    assert names_on(client, q="dam thuy") == ["Đàm Thị Thuỷ"]
    assert names_on(client, q="THUY.DAM") == ["Đàm Thị Thuỷ"]
    # The unit's name matches too (every account homed in Chi hội Nà Pàn).
    assert "Đàm Thị Thuỷ" in names_on(client, q="nà pàn")
    assert names_on(client, q="khong co ai") == []
    assert names_on(client, q="\x00thuy%_") == ["Đàm Thị Thuỷ"]


@pytest.mark.parametrize("params", [{}, {"q": "thi"}, {"page": "2"}])
def test_query_count_does_not_grow(cast, params):
    client = cast.client_for(cast.province_admin)
    for i in range(5):
        make_user(cast.commune_a, Role.STAFF, full_name=f"Hà Thị Số{i:02d}", username=f"a{i}")
    names_on(client, **params)
    with CaptureQueriesContext(connection) as few:
        names_on(client, **params)
    for i in range(5, 80):
        make_user(cast.commune_a, Role.STAFF, full_name=f"Hà Thị Số{i:02d}", username=f"a{i}")
    with CaptureQueriesContext(connection) as many:
        names_on(client, **params)
    assert len(many) == len(few), [q["sql"] for q in many]


def test_list_order_uses_the_sort_index(cast, django_user_model):
    from guongsang.units import access
    from guongsang.units.access import Perm

    root = django_user_model.objects.create_superuser("root", password="x", full_name="Root")
    qs = access.users_for(root, Perm.MANAGE).order_by("sort_key", "id")[:51]
    text = query_plan(qs)
    assert "user_sort_idx" in text, text
    assert "TEMP B-TREE FOR ORDER BY" not in text, text
