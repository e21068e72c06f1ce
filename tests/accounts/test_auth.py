import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from guongsang.accounts.models import LoginThrottle, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


class TestLogin:
    def test_login_and_logout(self, cast, client):
        response = login(client, "a.staff", PASSWORD)
        assert response.status_code == 302 and response["Location"] == reverse("home")
        assert "Bế Thị Hoa" in client.get(reverse("home")).content.decode()
        response = client.post(reverse("accounts:logout"))
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 302

    def test_logout_needs_post(self, cast, client):
        login(client, "a.staff", PASSWORD)
        assert client.get(reverse("accounts:logout")).status_code == 405

    def test_wrong_password_message_keeps_username(self, cast, client):
        response = login(client, "a.staff", "sai-mat-khau")
        body = response.content.decode()
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in body
        assert '<ul class="errorlist nonfield"><li>Tên đăng nhập hoặc mật khẩu' in body
        assert 'value="a.staff"' in body

    def test_login_page_costs_no_query_and_no_session(self, client, django_assert_num_queries):
        """The busiest anonymous page: no query, no session row, no password hash per GET."""
        with django_assert_num_queries(0):
            response = client.get(reverse("accounts:login"), {"next": "/don-vi/"})
        body = response.content.decode()
        assert response.status_code == 200 and "sessionid" not in response.cookies
        assert "csrftoken" in response.cookies and 'name="csrfmiddlewaretoken"' in body
        # The fields are written out in the template, as form.as_div would.
        assert '<label for="id_username">Tên đăng nhập:</label>' in body
        assert '<label for="id_password">Mật khẩu:</label>' in body
        assert 'name="username" autofocus autocomplete="username"' in body
        assert 'name="password" autocomplete="current-password" required id="id_password"' in body
        assert 'name="next" value="/don-vi/"' in body and "errorlist" not in body

    def test_login_errors_are_shown_by_their_fields(self, client):
        response = client.post(reverse("accounts:login"), {"username": '<b>"x', "password": ""})
        body = response.content.decode()
        assert 'value="&lt;b&gt;&quot;x"' in body and "<b>" not in body
        assert '<ul class="errorlist" id="id_password_error"><li>' in body
        assert 'aria-invalid="true" aria-describedby="id_password_error" id="id_password"' in body
        assert "id_username_error" not in body and "nonfield" not in body

    def test_next_is_followed_only_on_this_site(self, cast, client):
        url = reverse("accounts:login")
        response = client.post(
            url, {"username": "a.staff", "password": PASSWORD, "next": "/don-vi/"}
        )
        assert response["Location"] == "/don-vi/"
        client.post(reverse("accounts:logout"))
        response = client.post(
            url, {"username": "a.staff", "password": PASSWORD, "next": "https://evil.example/"}
        )
        assert response["Location"] == reverse("home")

    def test_inactive_user_cannot_log_in(self, cast, client):
        User.objects.filter(pk=cast.a_staff.pk).update(is_active=False)
        assert login(client, "a.staff", PASSWORD).status_code == 200


class TestLockout:
    def test_locked_after_repeated_failures_even_with_right_password(self, cast, client, settings):
        settings.LOGIN_MAX_FAILURES = 3
        for _ in range(2):
            login(client, "a.staff", "sai")
        response = login(client, "a.staff", "sai")
        assert "tạm khóa" in response.content.decode()
        response = login(client, "a.staff", PASSWORD)
        assert response.status_code == 200
        assert "tạm khóa" in response.content.decode()

    def test_lock_expires(self, cast, client, settings):
        settings.LOGIN_MAX_FAILURES = 2
        login(client, "a.staff", "sai")
        login(client, "a.staff", "sai")
        LoginThrottle.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))
        assert login(client, "a.staff", PASSWORD).status_code == 302
        assert not LoginThrottle.objects.exists()

    def test_case_and_accents_do_not_dodge_the_lock(self, cast, client, settings):
        settings.LOGIN_MAX_FAILURES = 2
        login(client, "A.STAFF", "sai")
        login(client, "a.staff", "sai")
        assert "tạm khóa" in login(client, "a.staff", PASSWORD).content.decode()

    def test_success_resets_the_count(self, cast, client, settings):
        settings.LOGIN_MAX_FAILURES = 3
        login(client, "a.staff", "sai")
        login(client, "a.staff", "sai")
        assert login(client, "a.staff", PASSWORD).status_code == 302
        client.post(reverse("accounts:logout"))
        login(client, "a.staff", "sai")
        login(client, "a.staff", "sai")
        assert login(client, "a.staff", PASSWORD).status_code == 302

    def test_admin_reset_lifts_the_lock(self, cast, client, settings):
        settings.LOGIN_MAX_FAILURES = 2
        login(client, "a.staff", "sai")
        login(client, "a.staff", "sai")
        admin = cast.client_for(cast.a_admin)
        admin.post(reverse("accounts:account_reset_password", args=[cast.a_staff.pk]))
        assert not LoginThrottle.objects.filter(locked_until__isnull=False).exists()


class TestPasswords:
    def test_change_password(self, cast):
        client = cast.client_for(cast.a_staff)
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Hoa-Ban-Do-2026",
                "new_password2": "Hoa-Ban-Do-2026",
            },
        )
        assert response.status_code == 302
        assert User.objects.get(pk=cast.a_staff.pk).check_password("Hoa-Ban-Do-2026")

    def test_weak_password_refused_in_vietnamese(self, cast):
        client = cast.client_for(cast.a_staff)
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
        )
        assert response.status_code == 200
        assert "Mật khẩu" in response.content.decode()
        assert User.objects.get(pk=cast.a_staff.pk).check_password(PASSWORD)

    def test_reset_by_admin_forces_change_at_next_login(self, cast, client):
        admin = cast.client_for(cast.a_admin)
        response = admin.post(
            reverse("accounts:account_reset_password", args=[cast.a_staff.pk]), follow=True
        )
        temp = response.context["new_password"]
        assert temp and temp in response.content.decode()
        # Shown once only.
        assert (
            temp
            not in admin.get(
                reverse("accounts:account_detail", args=[cast.a_staff.pk])
            ).content.decode()
        )
        assert login(client, "a.staff", PASSWORD).status_code == 200  # old one no longer works
        assert login(client, "a.staff", temp).status_code == 302
        response = client.get(reverse("units:tree"))
        assert response.status_code == 302 and response["Location"] == reverse(
            "accounts:password_change"
        )
        client.post(
            reverse("accounts:password_change"),
            {
                "old_password": temp,
                "new_password1": "Moi-Tu-Dat-2026",
                "new_password2": "Moi-Tu-Dat-2026",
            },
        )
        assert client.get(reverse("units:tree")).status_code == 200
