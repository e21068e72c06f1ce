"""The home page at scale: the same number of queries whatever the data, "to do" counts capped,
and the whole union's unit counts loaded on request rather than on every visit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guongsang.plans.models import DocType
from guongsang.units.models import UnitKind

from ..factories import make_unit, make_user
from ..plans.conftest import TODAY, frozen, make_plan

HOME = reverse("home")


def queries_of(client, params=None, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(HOME, params or {}, headers=headers)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def inbox_for_commune_a(cast, n):
    with frozen(TODAY):
        for _ in range(n):
            make_plan(
                cast.province_admin, cast.province, [cast.commune_a], tasks=[], doc_type=DocType.TB
            )


@pytest.mark.parametrize("who", ["province_admin", "a_admin", "branch_viewer"])
def test_home_queries_do_not_grow_with_rows(cast, who):
    client = cast.client_for(getattr(cast, who))
    inbox_for_commune_a(cast, 1)
    few = queries_of(client)
    inbox_for_commune_a(cast, 6)
    for i in range(30):
        make_unit(f"Chi hội {i}", UnitKind.BRANCH, cast.commune_a)
    assert queries_of(client) == few


def test_todo_counts_are_capped(cast, monkeypatch):
    monkeypatch.setattr("guongsang.reports.home_views.WAITING_CAP", 2)
    client = cast.client_for(cast.a_admin)
    inbox_for_commune_a(cast, 2)
    line = lambda html: html[html.index("Văn bản đến chưa xác nhận") :].split("</li>")[0]  # noqa: E731
    todo = {"viec_can_lam": "1"}
    html = client.get(HOME, todo, headers={"HX-Request": "true"}).content.decode()
    assert '<span class="badge badge-kind">2</span>' in line(html)
    inbox_for_commune_a(cast, 2)
    assert '<span class="badge badge-kind">2+</span>' in line(
        client.get(HOME, todo).content.decode()
    )


def test_the_whole_union_is_counted_on_request(cast):
    central_admin = make_user(cast.central, "admin", username="tw.admin")
    client = cast.client_for(central_admin)
    html = client.get(HOME).content.decode()
    url = f"{HOME}?so_don_vi={cast.central.pk}"
    assert f'data-fill="{url}"' in html
    # Without JavaScript: a link to the unit's page, which shows its counts.
    assert reverse("units:detail", args=[cast.central.pk]) in html
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Xã, phường" in fragment and "Tỉnh, thành phố" in fragment
    # A province's thousands of units too; a commune's few are counted on the page.
    province = cast.client_for(cast.province_admin)
    assert f'data-fill="{HOME}?so_don_vi={cast.province.pk}"' in province.get(HOME).content.decode()
    commune = cast.client_for(cast.a_admin).get(HOME).content.decode()
    assert "Chi hội" in commune[commune.index("Hội LHPN xã Đông Khê") :]
    assert "so_don_vi" not in commune
    # Another unit's counts are not for the asking.
    outside = province.get(
        HOME, {"so_don_vi": cast.other_province.pk}, headers={"HX-Request": "true"}
    )
    assert outside.status_code == 404
