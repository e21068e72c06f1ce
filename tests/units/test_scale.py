"""Unit pages over the whole union: the search asks for a real word instead of scanning every
unit, reads matches in name order, counts at most a thousand; the tree counts grandchildren."""

import datetime as dt

from django.urls import reverse

from guongsang.units import queries
from guongsang.units.models import UnitKind
from guongsang.units.services import unit_close

from ..factories import Role, make_unit, make_user

SEARCH = reverse("units:search")


def test_a_central_officer_is_asked_for_a_longer_word(cast):
    client = cast.client_for(make_user(cast.central, Role.ADMIN, username="tw.admin"))
    body = client.get(SEARCH, {"q": "na"}).content.decode()
    assert "ít nhất một từ có từ 3 chữ cái" in body and "Chi hội Nà Pàn" not in body
    body = client.get(SEARCH, {"q": "na pan"}).content.decode()
    assert "Chi hội Nà Pàn" in body
    # A province officer's scope is small enough for two letters.
    province = cast.client_for(cast.province_admin)
    assert "Chi hội Nà Pàn" in province.get(SEARCH, {"q": "na"}).content.decode()


def test_search_counts_at_most_a_thousand(cast, monkeypatch):
    monkeypatch.setattr("guongsang.units.views.SEARCH_COUNT_CAP", 3)
    for i in range(5):
        make_unit(f"Chi hội Bản {i}", UnitKind.BRANCH, cast.commune_a)
    page = cast.client_for(cast.province_admin).get(SEARCH, {"q": "chi hoi ban"})
    assert page.context["page"].count_capped
    assert "Hơn 3 đơn vị" in page.content.decode()


def test_children_count_their_current_children(cast):
    extra = make_unit("Chi hội Khuổi Ky", UnitKind.BRANCH, cast.commune_b)
    unit_close(unit=extra, on=dt.date(2025, 7, 1), successor=None)
    counts = {u.name: u.child_count for u in queries.children_of(cast.province)}
    assert counts == {"Xã Đông Khê": 1, "Phường Tân Giang": 1}
    closed_too = {
        u.name: u.child_count for u in queries.children_of(cast.province, include_closed=True)
    }
    assert closed_too["Phường Tân Giang"] == 2 and closed_too["Huyện Thạch An"] == 1
