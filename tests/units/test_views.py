import pytest
from django.urls import reverse

from guongsang.units.models import Unit, UnitKind
from guongsang.units.services import unit_create

pytestmark = pytest.mark.django_db


def add_branches(commune, n):
    start = Unit.objects.filter(parent=commune).count()
    for i in range(start, start + n):
        branch = unit_create(
            code=f"{commune.code}-B{i:03d}",
            name=f"Chi hội Bản {i}",
            kind=UnitKind.BRANCH,
            parent=commune,
        )
        unit_create(
            code=f"{commune.code}-B{i:03d}-T1",
            name="Tổ phụ nữ số 1",
            kind=UnitKind.GROUP,
            parent=branch,
        )


class TestTree:
    def test_tree_shows_roots_and_first_level(self, cast):
        body = cast.client_for(cast.province_admin).get(reverse("units:tree")).content.decode()
        assert "Tỉnh Cao Bằng" in body
        assert "Xã Đông Khê" in body and "Phường Tân Giang" in body
        assert "Huyện Thạch An" not in body  # closed: only with history on

    def test_history_toggle_shows_former_units(self, cast):
        body = (
            cast.client_for(cast.province_admin)
            .get(reverse("units:tree") + "?lich_su=1")
            .content.decode()
        )
        assert "Huyện Thạch An" in body

    def test_nodes_link_count_and_mark_closed_units(self, cast):
        """The nodes (units_tree.unit_nodes): a link to the unit, the number of units below and
        the link that loads them (keeping the history switch), the end date of a closed unit."""
        body = (
            cast.client_for(cast.province_admin)
            .get(reverse("units:tree") + "?lich_su=1")
            .content.decode()
        )
        closed = Unit.objects.get(name="Huyện Thạch An")
        assert closed.valid_to is not None
        detail = reverse("units:detail", args=[closed.pk])
        assert f'<a href="{detail}">Huyện Thạch An</a>' in body
        assert f'<span class="badge badge-closed">đến {closed.valid_to:%d/%m/%Y}</span>' in body
        below = reverse("units:children", args=[cast.commune_a.pk])
        n = Unit.objects.filter(parent=cast.commune_a).count()
        assert f'<details hx-get="{below}?lich_su=1"' in body
        assert f'<span class="count">({n})</span>' in body

    def test_children_fragment(self, cast):
        response = cast.client_for(cast.a_staff).get(
            reverse("units:children", args=[cast.branch_a.pk])
        )
        assert response.status_code == 200
        assert "Tổ phụ nữ số 1" in response.content.decode()
        assert "<html" not in response.content.decode()

    def test_user_without_roles_gets_404(self, cast):
        from tests.factories import make_user

        nobody = make_user(cast.commune_a)
        assert cast.client_for(nobody).get(reverse("units:tree")).status_code == 404

    def test_tree_query_count_does_not_grow(self, cast, django_assert_max_num_queries):
        client = cast.client_for(cast.province_admin)
        add_branches(cast.commune_a, 3)
        with django_assert_max_num_queries(12) as small:
            client.get(reverse("units:tree"))
        add_branches(cast.commune_a, 30)
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(reverse("units:tree"))


class TestUnitPage:
    def test_shows_children_staff_breadcrumbs(self, cast):
        body = (
            cast.client_for(cast.province_admin)
            .get(reverse("units:detail", args=[cast.commune_a.pk]))
            .content.decode()
        )
        assert "Hội LHPN xã Đông Khê" in body
        assert "Chi hội Nà Pàn" in body
        assert "Bế Thị Hoa" in body  # staff of the commune
        assert "Tỉnh Cao Bằng" in body  # breadcrumb
        assert "Thị trấn Đông Khê" in body  # formed from

    def test_former_unit_page_names_successor(self, cast):
        body = (
            cast.client_for(cast.a_staff)
            .get(reverse("units:detail", args=[cast.former_commune.pk]))
            .content.decode()
        )
        assert "Hết hiệu lực" in body
        assert "30/06/2025" in body
        assert "Xã Đông Khê" in body
        # A commune user reading history does not see the province breadcrumb.
        assert "Tỉnh Cao Bằng" not in body

    def test_manage_buttons_only_for_admins(self, cast):
        url = reverse("units:detail", args=[cast.commune_a.pk])
        assert "Thêm đơn vị cấp dưới" in cast.client_for(cast.a_admin).get(url).content.decode()
        assert "Thêm đơn vị cấp dưới" not in cast.client_for(cast.a_staff).get(url).content.decode()

    def test_query_count_does_not_grow_with_children(self, cast, django_assert_max_num_queries):
        client = cast.client_for(cast.province_admin)
        url = reverse("units:detail", args=[cast.commune_a.pk])
        add_branches(cast.commune_a, 3)
        with django_assert_max_num_queries(20) as small:
            client.get(url)
        add_branches(cast.commune_a, 40)
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(url)


class TestSearch:
    @pytest.mark.parametrize(
        ("query", "found"),
        [
            ("dong khe", "Xã Đông Khê"),
            ("Đông Khê", "Xã Đông Khê"),
            ("DONG KHE", "Xã Đông Khê"),
            ("tan giang", "Phường Tân Giang"),
            ("na pan", "Chi hội Nà Pàn"),
        ],
    )
    def test_accent_insensitive(self, cast, query, found):
        body = (
            cast.client_for(cast.province_admin)
            .get(reverse("units:search"), {"q": query})
            .content.decode()
        )
        assert found in body

    def test_tone_mark_placement_is_ignored(self, cast):
        unit_create(code="01500", name="Xã Đàm Thuỷ", kind=UnitKind.COMMUNE, parent=cast.province)
        client = cast.client_for(cast.province_admin)
        for query in ("dam thuy", "Đàm Thủy", "Đàm Thuỷ", "đam thuy"):
            assert (
                "Xã Đàm Thuỷ" in client.get(reverse("units:search"), {"q": query}).content.decode()
            ), query

    def test_no_result_message_keeps_query(self, cast):
        body = (
            cast.client_for(cast.province_admin)
            .get(reverse("units:search"), {"q": "khong co gi"})
            .content.decode()
        )
        assert "Không tìm thấy" in body and 'value="khong co gi"' in body

    def test_htmx_returns_fragment(self, cast):
        response = cast.client_for(cast.province_admin).get(
            reverse("units:search"), {"q": "dong khe"}, HTTP_HX_REQUEST="true"
        )
        body = response.content.decode()
        assert "Xã Đông Khê" in body and "<html" not in body

    def test_closed_units_only_on_request(self, cast):
        client = cast.client_for(cast.province_admin)
        assert (
            "Thị trấn Đông Khê"
            not in client.get(reverse("units:search"), {"q": "dong khe"}).content.decode()
        )
        assert (
            "Thị trấn Đông Khê"
            in client.get(
                reverse("units:search"), {"q": "dong khe", "lich_su": "1"}
            ).content.decode()
        )

    def test_query_count_is_flat(self, cast, django_assert_max_num_queries):
        client = cast.client_for(cast.province_admin)
        add_branches(cast.commune_a, 3)
        with django_assert_max_num_queries(12) as small:
            client.get(reverse("units:search"), {"q": "chi hoi"})
        add_branches(cast.commune_a, 30)
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(reverse("units:search"), {"q": "chi hoi"})


class TestAddCloseEdit:
    def test_admin_adds_branch(self, cast):
        client = cast.client_for(cast.a_admin)
        response = client.post(
            reverse("units:create", args=[cast.commune_a.pk]),
            {
                "kind": "branch",
                "name": "Chi hội  Pác Khoang",
                "code": "01450-CH09",
                "valid_from": "2026-01-15",
            },
        )
        assert response.status_code == 302
        unit = Unit.objects.get(code="01450-CH09")
        assert unit.name == "Chi hội Pác Khoang" and unit.parent == cast.commune_a
        assert unit.path.startswith(cast.commune_a.path)

    def test_bad_input_keeps_values_and_explains(self, cast):
        client = cast.client_for(cast.a_admin)
        response = client.post(
            reverse("units:create", args=[cast.commune_a.pk]),
            {"kind": "branch", "name": "Chi hội Trùng mã", "code": "01450-CH01"},
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "đã có" in body
        assert 'value="Chi hội Trùng mã"' in body
        assert not Unit.objects.filter(name="Chi hội Trùng mã").exists()

    def test_only_allowed_child_kinds_offered(self, cast):
        client = cast.client_for(cast.a_admin)
        response = client.post(
            reverse("units:create", args=[cast.commune_a.pk]),
            {"kind": "province", "name": "Tỉnh giả", "code": "99"},
        )
        assert response.status_code == 200
        assert not Unit.objects.filter(code="99").exists()

    def test_close_branch_into_another(self, cast):
        other = unit_create(
            code="01450-CH02",
            name="Chi hội Pác Khoang",
            kind=UnitKind.BRANCH,
            parent=cast.commune_a,
        )
        client = cast.client_for(cast.a_admin)
        response = client.post(
            reverse("units:close", args=[cast.branch_a.pk]),
            {"on": "2026-01-01", "successor": other.pk, "note": "Nghị quyết số 12/NQ-HĐND"},
        )
        assert response.status_code == 302
        cast.branch_a.refresh_from_db()
        assert cast.branch_a.successor == other
        assert str(cast.branch_a.valid_to) == "2025-12-31"

    def test_edit_name(self, cast):
        client = cast.client_for(cast.a_admin)
        client.post(reverse("units:edit", args=[cast.branch_a.pk]), {"name": "Chi hội Nà Pàn mới"})
        cast.branch_a.refresh_from_db()
        assert cast.branch_a.name == "Chi hội Nà Pàn mới"
        assert cast.branch_a.name_folded == "chi hoi na pan moi"
