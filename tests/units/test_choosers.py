"""Searchable choosers: the suggestion endpoint stays inside the user's scope and short; without
JavaScript the same field takes a code or a name; no page lists every unit as <option>s."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guongsang.outreach.models import Activity, ActivityForm
from guongsang.units.choosers import MAX_RESULTS, UnitSource, unit_label
from guongsang.units.models import Unit, UnitKind

from ..factories import make_unit
from ..outreach.conftest import (  # noqa: F401 (fixtures)
    column,
    criteria_set,
    make_activity,
    movement,
    review_round,
    reviewer,
    world,
)

pytestmark = pytest.mark.django_db

CHOOSER = reverse("units:chooser", args=[UnitSource.name])
NEW = reverse("outreach:activity_create")
LIST = reverse("outreach:activity_list")
TODAY = timezone.localdate()


def picks(response) -> list[str]:
    """The labels offered by a chooser fragment."""
    assert response.status_code == 200
    return re.findall(r'data-label="([^"]*)"', response.content.decode())


def entry(cast, **overrides) -> dict:
    data = {
        "date": (TODAY - dt.timedelta(days=2)).isoformat(),
        "form": ActivityForm.objects.get(name="Sinh hoạt chi hội").pk,
        "title": "Sinh hoạt chuyên đề",
        "participants": "20",
        "members": "18",
    }
    data.update(overrides)
    return data


# ---- labels -----------------------------------------------------------------------------------
def test_labels_carry_the_parent(cast):
    group = Unit.objects.select_related("parent").get(pk=cast.group_a.pk)
    commune = Unit.objects.select_related("parent").get(pk=cast.commune_a.pk)
    assert unit_label(group) == "Tổ phụ nữ số 1 – Chi hội Nà Pàn"
    assert unit_label(commune) == "Xã Đông Khê – Tỉnh Cao Bằng"
    assert unit_label(cast.province) == "Tỉnh Cao Bằng"


# ---- the endpoint -----------------------------------------------------------------------------
def test_endpoint_finds_only_units_of_the_users_scope(cast):
    a = picks(cast.client_for(cast.a_staff).get(CHOOSER, {"q": "chi hoi", "quyen": "edit"}))
    assert a == ["Chi hội Nà Pàn – Xã Đông Khê"]
    b = picks(cast.client_for(cast.b_staff).get(CHOOSER, {"q": "chi hoi", "quyen": "edit"}))
    assert b == ["Chi hội Tổ dân phố 1 – Phường Tân Giang"]
    # Another commune's branch is not found by its name nor by its code.
    assert picks(cast.client_for(cast.a_staff).get(CHOOSER, {"q": "tan giang"})) == []
    assert picks(cast.client_for(cast.a_staff).get(CHOOSER, {"q": "to dan pho"})) == []
    assert picks(cast.client_for(cast.outsider).get(CHOOSER, {"q": "chi hoi"})) == []
    # A code finds its unit, inside the scope only.
    assert picks(cast.client_for(cast.a_staff).get(CHOOSER, {"q": "01450-CH01"})) == [
        "Chi hội Nà Pàn – Xã Đông Khê"
    ]
    assert picks(cast.client_for(cast.a_staff).get(CHOOSER, {"q": "01288-CH01"})) == []
    # Accent-insensitive, in name order.
    province = picks(cast.client_for(cast.province_admin).get(CHOOSER, {"q": "Chi hội"}))
    assert province == [
        "Chi hội Nà Pàn – Xã Đông Khê",
        "Chi hội Tổ dân phố 1 – Phường Tân Giang",
    ]


def test_endpoint_asks_the_fields_permission_and_kinds(cast):
    viewer = cast.client_for(cast.branch_viewer)
    assert picks(viewer.get(CHOOSER, {"q": "na pan"})) == ["Chi hội Nà Pàn – Xã Đông Khê"]
    assert picks(viewer.get(CHOOSER, {"q": "na pan", "quyen": "edit"})) == []
    staff = cast.client_for(cast.a_staff)
    assert picks(staff.get(CHOOSER, {"q": "dong khe", "quyen": "manage"})) == []
    assert picks(staff.get(CHOOSER, {"q": "n", "quyen": "edit", "loai": "group"})) == [
        "Tổ phụ nữ số 1 – Chi hội Nà Pàn"
    ]
    # Closed units are not offered: the former commune merged into A stays out.
    admin = cast.client_for(cast.province_admin)
    assert picks(admin.get(CHOOSER, {"q": "dong khe"})) == ["Xã Đông Khê – Tỉnh Cao Bằng"]


def test_endpoint_returns_at_most_twenty(cast):
    for n in range(MAX_RESULTS + 5):
        make_unit(f"Chi hội Bản Giốc {n:02d}", UnitKind.BRANCH, cast.commune_a)
    response = cast.client_for(cast.a_staff).get(CHOOSER, {"q": "ban gioc"})
    labels = picks(response)
    assert len(labels) == MAX_RESULTS
    assert labels[0] == "Chi hội Bản Giốc 00 – Xã Đông Khê"
    assert "Chỉ hiện 20 kết quả đầu" in response.content.decode()


def test_endpoint_bad_input_is_never_an_error(cast):
    client = cast.client_for(cast.a_staff)
    assert picks(client.get(CHOOSER, {"q": ""})) == []
    assert picks(client.get(CHOOSER, {"q": "chi hoi", "quyen": "root"})) == []
    assert picks(client.get(CHOOSER, {"q": "x" * 500})) == []
    assert picks(client.get(CHOOSER, {"q": "chi hoi", "loai": "planet"})) == []
    assert client.get(reverse("units:chooser", args=["khong-co"]), {"q": "a"}).status_code == 404
    assert client.post(CHOOSER, {"q": "a"}).status_code == 405
    anonymous = client.__class__().get(CHOOSER, {"q": "chi hoi"})
    assert anonymous.status_code == 302


def test_endpoint_query_count_does_not_grow_with_units(cast):
    client = cast.client_for(cast.province_admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert picks(client.get(CHOOSER, {"q": "chi hoi"}))
        return len(ctx.captured_queries)

    few = count()
    for n in range(30):
        make_unit(f"Chi hội Khuổi {n:02d}", UnitKind.BRANCH, cast.commune_b)
    # Session, user, memberships, predecessors (view scope), the search itself.
    assert count() == few <= 5
    with CaptureQueriesContext(connection) as ctx:  # a single word may be a code: one more
        client.get(CHOOSER, {"q": "01450"})
    assert len(ctx.captured_queries) == few + 1


# ---- the quick entry form without JavaScript ---------------------------------------------------
def test_quick_entry_takes_a_code_or_a_name(cast):
    client = cast.client_for(cast.a_staff)
    assert client.post(NEW, entry(cast, unit_text="01450-CH01")).status_code == 302
    assert Activity.objects.get().unit == cast.branch_a
    Activity.objects.all().delete()
    assert client.post(NEW, entry(cast, unit_text="chi hoi na pan")).status_code == 302
    assert Activity.objects.get().unit == cast.branch_a
    Activity.objects.all().delete()
    # The label as the chooser shows it resolves too.
    response = client.post(NEW, entry(cast, unit_text="Tổ phụ nữ số 1 – Chi hội Nà Pàn"))
    assert response.status_code == 302
    assert Activity.objects.get().unit == cast.group_a


def test_quick_entry_ambiguous_or_unknown_name_keeps_the_text(cast):
    client = cast.client_for(cast.a_staff)
    other_branch = make_unit("Chi hội Bản Giới", UnitKind.BRANCH, cast.commune_a)
    make_unit("Tổ phụ nữ số 1", UnitKind.GROUP, other_branch)

    response = client.post(NEW, entry(cast, unit_text="Tổ phụ nữ số 1"))
    assert response.status_code == 200 and not Activity.objects.exists()
    (error,) = response.context["form"].errors["unit"]
    assert error.startswith("Có nhiều kết quả khớp với “Tổ phụ nữ số 1”")
    assert "Tổ phụ nữ số 1 – Chi hội Nà Pàn (mã 01450-CH01-T1)" in error
    assert 'value="Tổ phụ nữ số 1"' in response.content.decode()

    # Another commune's unit, by name or code, is "not found", as a unit that does not exist.
    for text in ("Phường Tân Giang", "01288-CH01", "Xã Không Có"):
        response = client.post(NEW, entry(cast, unit_text=text))
        assert response.status_code == 200 and not Activity.objects.exists()
        (error,) = response.context["form"].errors["unit"]
        assert error == (
            f"Không tìm thấy đơn vị “{text}” trong phạm vi của bạn. "
            "Hãy gõ mã đơn vị hoặc tên đơn vị."
        )
        assert f'value="{text}"' in response.content.decode()


def test_quick_entry_picked_id_wins_unless_the_text_was_changed(cast):
    client = cast.client_for(cast.a_staff)
    picked = {"unit": cast.branch_a.pk, "unit_text": "Chi hội Nà Pàn – Xã Đông Khê"}
    assert client.post(NEW, entry(cast, **picked)).status_code == 302
    assert Activity.objects.get().unit == cast.branch_a
    Activity.objects.all().delete()
    changed = {"unit": cast.branch_a.pk, "unit_text": "01450"}
    assert client.post(NEW, entry(cast, **changed)).status_code == 302
    assert Activity.objects.get().unit == cast.commune_a
    Activity.objects.all().delete()
    # Cleared text: nothing chosen, the field is required.
    response = client.post(NEW, entry(cast, unit=cast.branch_a.pk, unit_text=""))
    assert response.context["form"].errors["unit"]
    # An id outside her scope is refused whatever the text says.
    response = client.post(NEW, entry(cast, unit=cast.branch_b.pk))
    assert response.context["form"].errors["unit"] and not Activity.objects.exists()


def test_quick_entry_exemplars_by_name_without_javascript(column, cast):  # noqa: F811
    first = column.exemplar(name="Nông Thị Mai")
    second = column.exemplar(name="Hoàng Thị Lan")
    client = cast.client_for(cast.a_staff)
    data = entry(cast, unit=cast.branch_a.pk, exemplars_text="nong thi mai; Hoàng Thị Lan")
    assert client.post(NEW, data).status_code == 302
    assert set(Activity.objects.get().exemplars.all()) == {first, second}
    Activity.objects.all().delete()
    response = client.post(NEW, entry(cast, unit=cast.branch_a.pk, exemplars_text="thi"))
    assert response.status_code == 200
    assert response.context["form"].errors["exemplars"][0].startswith("Có nhiều kết quả")
    # The exemplar chooser suggests by name, within scope.
    url = reverse("units:chooser", args=["dien-hinh"])
    assert [label.split(" (")[0] for label in picks(client.get(url, {"q": "mai"}))] == [
        "Nông Thị Mai"
    ]
    assert picks(cast.client_for(cast.b_staff).get(url, {"q": "mai"})) == []


# ---- list filters without JavaScript ------------------------------------------------------------
def test_activity_list_filter_takes_a_code_or_a_name(cast):
    for unit in (cast.branch_a, cast.commune_b):
        make_activity(cast.province_admin, unit, title=f"Hoạt động ở {unit.name}")
    client = cast.client_for(cast.province_admin)

    def titles(response):
        return [a.title for a in response.context["page"].object_list]

    assert titles(client.get(LIST, {"don_vi_text": "01450"})) == ["Hoạt động ở Chi hội Nà Pàn"]
    # "Đông Khê" also names the closed former commune: today's unit is taken.
    assert titles(client.get(LIST, {"don_vi_text": "dong khe"})) == ["Hoạt động ở Chi hội Nà Pàn"]
    assert titles(client.get(LIST, {"don_vi_text": "Tân Giang"})) == [
        "Hoạt động ở Phường Tân Giang"
    ]
    response = client.get(LIST, {"don_vi_text": "chi hoi"})
    assert response.status_code == 200
    assert response.context["unit_filter"].errors["don_vi"][0].startswith("Có nhiều kết quả")
    assert 'value="chi hoi"' in response.content.decode()
    response = client.get(LIST, {"don_vi_text": "Xã Hữu Lũng"})
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị “Xã Hữu Lũng”" in response.content.decode()
    # An id (a link, or a pick) still works, and one outside the scope is a 404.
    assert titles(client.get(LIST, {"don_vi": cast.commune_b.pk})) == [
        "Hoạt động ở Phường Tân Giang"
    ]
    assert client.get(LIST, {"don_vi": cast.other_commune.pk}).status_code == 404


def test_exemplar_lists_filter_takes_a_code(cast):
    client = cast.client_for(cast.province_admin)
    for name in ("exemplars:nomination_list", "exemplars:exemplar_list", "exemplars:subject_list"):
        response = client.get(reverse(name), {"don_vi_text": "01450"})
        assert response.status_code == 200, name
        assert response.context["f"].unit == cast.commune_a
        response = client.get(reverse(name), {"don_vi_text": "Không có"})
        assert response.status_code == 200 and response.context["f"].unit is None


# ---- no list of every unit ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["outreach:activity_list", "outreach:activity_create", "exemplars:exemplar_list"]
)
def test_pages_render_no_option_list_of_units(cast, name):
    client = cast.client_for(cast.province_admin)
    before = client.get(reverse(name)).content.decode().count("<option")
    for n in range(60):
        make_unit(f"Chi hội Lũng Nặm {n:02d}", UnitKind.BRANCH, cast.commune_b)
    html = client.get(reverse(name)).content.decode()
    assert html.count("<option") == before < 40
    assert "Lũng Nặm" not in html
    assert 'data-chooser-input hx-get="/don-vi/chon/don-vi/' in html


def test_document_form_takes_the_issuing_unit_as_text(cast):
    """Without JavaScript the issuing unit is typed; the recipients offered follow it."""
    from guongsang.plans.models import Document

    from ..plans.test_views import form_data

    client = cast.client_for(cast.province_admin)
    data = form_data(cast, unit_text="Xã Đông Khê", recipients=[cast.branch_a.pk])
    data.pop("unit")
    response = client.post("/van-ban/moi/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert Document.objects.get().unit == cast.commune_a
    # The hidden id of the first render is stale once the text names another unit.
    data = form_data(cast, unit_text="01288", recipients=[cast.branch_b.pk])
    assert client.post("/van-ban/moi/", data).status_code == 302
    assert Document.objects.latest("pk").unit == cast.commune_b
    response = client.post("/van-ban/moi/", form_data(cast, unit_text="Xã Hữu Lũng"))
    assert response.status_code == 200
    assert response.context["form"].errors["unit"][0].startswith("Không tìm thấy đơn vị")


def test_country_wide_search_asks_for_a_longer_word(cast):
    """Over the whole country one- and two-letter words match too much: only a code is looked
    up, and the user is asked to type more; a commune's staff searches them as usual."""
    from guongsang.accounts.models import Role

    from ..factories import make_user

    central = cast.client_for(make_user(cast.central, Role.ADMIN, username="tw.admin"))
    response = central.get(CHOOSER, {"q": "to 1"})
    assert picks(response) == []
    assert "cần ít nhất một từ có 3 chữ cái" in response.content.decode()
    assert picks(central.get(CHOOSER, {"q": "04"})) == ["Tỉnh Cao Bằng"]
    assert picks(central.get(CHOOSER, {"q": "to phu nu so 1"})) == [
        "Tổ phụ nữ số 1 – Chi hội Nà Pàn"
    ]
    staff = cast.client_for(cast.a_staff)
    assert picks(staff.get(CHOOSER, {"q": "to 1"})) == ["Tổ phụ nữ số 1 – Chi hội Nà Pàn"]


def test_chooser_ids_are_parsed_with_bounds_never_by_hand():
    from guongsang.units.choosers import _parse_id

    assert _parse_id("12") == 12 and _parse_id(7) == 7
    assert [_parse_id(v) for v in ("²", "٣x", "9" * 40, "-1", "", "a\x00")] == [None] * 6
