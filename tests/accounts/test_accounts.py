import pytest
from django.urls import reverse

from guongsang.accounts.models import ApiToken, Membership, Role, User
from guongsang.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

NEW = {
    "full_name": "Nông Thị Thu Hương",
    "username": "thuhuong",
    "role": "staff",
    "email": "",
    "position": "Chi hội trưởng",
    "phone": "",
    "password": "Bat-Dau-Moi-2026",
}


class TestCreate:
    def test_admin_creates_account_in_her_subtree(self, cast):
        client = cast.client_for(cast.a_admin)
        response = client.post(
            reverse("accounts:account_create"), {**NEW, "unit": cast.branch_a.pk}
        )
        assert response.status_code == 302
        user = User.objects.get(username="thuhuong")
        assert user.unit == cast.branch_a and user.must_change_password
        assert Membership.objects.filter(user=user, unit=cast.branch_a, role=Role.STAFF).exists()

    def test_unit_choices_are_only_her_subtree(self, cast):
        client = cast.client_for(cast.a_admin)
        body = client.get(reverse("accounts:account_create")).content.decode()
        # A searchable chooser, not a list of every unit; it suggests her subtree only.
        assert 'name="unit_text"' in body and "Tân Giang" not in body
        chooser = reverse("units:chooser", args=["don-vi"])
        found = client.get(chooser, {"q": "a", "quyen": "manage"}).content.decode()
        assert "Chi hội Nà Pàn" in found and "Tân Giang" not in found
        assert ">Tỉnh Cao Bằng</button>" not in found

    def test_duplicate_username_and_weak_password_keep_input(self, cast):
        client = cast.client_for(cast.a_admin)
        response = client.post(
            reverse("accounts:account_create"),
            {**NEW, "username": "B.STAFF", "password": "123", "unit": cast.commune_a.pk},
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "đã có người dùng" in body
        assert 'value="Nông Thị Thu Hương"' in body
        assert User.objects.filter(username__iexact="b.staff").count() == 1

    def test_username_must_be_plain(self, cast):
        client = cast.client_for(cast.a_admin)
        response = client.post(
            reverse("accounts:account_create"),
            {**NEW, "username": "thu hương", "unit": cast.commune_a.pk},
        )
        assert "Chỉ dùng chữ không dấu" in response.content.decode()


class TestManage:
    def test_list_shows_subtree_accounts_sorted_by_given_name(self, cast):
        body = (
            cast.client_for(cast.province_admin)
            .get(reverse("accounts:account_list"))
            .content.decode()
        )
        order = [
            body.index(n) for n in ("Bế Thị Hoa", "Đàm Thị Lan", "Triệu Thị Nga", "Lục Thị Xuân")
        ]
        assert order == sorted(order)
        assert "Vi Thị Mơ" not in body

    def test_list_search_ignores_accents(self, cast):
        body = (
            cast.client_for(cast.province_admin)
            .get(reverse("accounts:account_list"), {"q": "be thi hoa"})
            .content.decode()
        )
        assert "Bế Thị Hoa" in body and "Triệu Thị Nga" not in body

    def test_deactivate_and_reactivate(self, cast):
        client = cast.client_for(cast.a_admin)
        token = api_token_create(user=cast.a_staff)
        client.post(reverse("accounts:account_toggle_active", args=[cast.a_staff.pk]))
        assert not User.objects.get(pk=cast.a_staff.pk).is_active
        assert ApiToken.objects.get(prefix=token[:8]).revoked_at is not None
        client.post(reverse("accounts:account_toggle_active", args=[cast.a_staff.pk]))
        assert User.objects.get(pk=cast.a_staff.pk).is_active

    def test_cannot_lock_herself(self, cast):
        client = cast.client_for(cast.a_admin)
        client.post(reverse("accounts:account_toggle_active", args=[cast.a_admin.pk]))
        assert User.objects.get(pk=cast.a_admin.pk).is_active

    def test_add_and_remove_role_inside_subtree(self, cast):
        client = cast.client_for(cast.a_admin)
        client.post(
            reverse("accounts:membership_add", args=[cast.branch_viewer.pk]),
            {"unit": cast.branch_a.pk, "role": "staff"},
        )
        membership = Membership.objects.get(user=cast.branch_viewer, role="staff")
        client.post(
            reverse("accounts:membership_remove", args=[cast.branch_viewer.pk, membership.pk])
        )
        assert not Membership.objects.filter(pk=membership.pk).exists()

    def test_commune_admin_cannot_touch_province_officer_homed_in_commune(self, cast):
        officer = User.objects.create_user(
            "officer", password="x", full_name="Hà", unit=cast.commune_a
        )
        Membership.objects.create(user=officer, unit=cast.province, role=Role.ADMIN)
        client = cast.client_for(cast.a_admin)
        assert client.get(reverse("accounts:account_detail", args=[officer.pk])).status_code == 404
        assert (
            client.post(reverse("accounts:account_reset_password", args=[officer.pk])).status_code
            == 404
        )

    def test_list_query_count_is_flat(self, cast, django_assert_max_num_queries):
        from tests.factories import make_user

        client = cast.client_for(cast.province_admin)
        with django_assert_max_num_queries(12) as small:
            client.get(reverse("accounts:account_list"))
        for _ in range(25):
            make_user(cast.commune_a, Role.STAFF)
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(reverse("accounts:account_list"))


def test_list_paginates_in_name_order(cast):
    from tests.factories import make_user

    for i in range(55):
        make_user(cast.commune_a, Role.STAFF, full_name=f"Hà Thị Số{i:02d}")
    client = cast.client_for(cast.a_admin)
    page1 = client.get(reverse("accounts:account_list")).content.decode().split("<tbody>")[1]
    page2 = (
        client.get(reverse("accounts:account_list"), {"page": 2})
        .content.decode()
        .split("<tbody>")[1]
    )
    assert "Trang 1/2" in page1 and "Trang 2/2" in page2
    assert page1.count("<tr>") == 50 and page2.count("<tr>") == 8
    shown = [f"Số{i:02d}" for i in range(55) if f"Số{i:02d}" in page1 + page2]
    assert len(shown) == 55
    # Given-name order: "Bế Thị Hoa" (Hoa) comes before "Đàm Thị Lan" (Lan), then "Số.." names.
    assert page1.index("Bế Thị Hoa") < page1.index("Đàm Thị Lan") < page1.index("Số00")
