import datetime as dt

import pytest
from django.test import Client
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
        # The name's count from this address is gone; the address's own count stays.
        assert not LoginThrottle.objects.exclude(username="").exists()

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
        assert not LoginThrottle.objects.filter(
            locked_until__isnull=False, username="a.staff"
        ).exists()


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


class TestLockoutByAddress:
    """Issue 11, point 5: the lock is per name and address together, and per address."""

    def from_(self, address: str) -> Client:
        return Client(REMOTE_ADDR=address)

    def test_a_stranger_elsewhere_cannot_lock_her_out(self, cast, settings):
        settings.LOGIN_MAX_FAILURES = 3
        stranger = self.from_("203.0.113.9")
        for _ in range(5):
            login(stranger, "a.staff", "sai")
        assert "tạm khóa" in login(stranger, "a.staff", PASSWORD).content.decode()
        # She logs in from her office as usual.
        assert login(self.from_("198.51.100.20"), "a.staff", PASSWORD).status_code == 302

    def test_an_address_trying_many_names_is_locked_for_all(self, cast, settings):
        settings.LOGIN_MAX_FAILURES = 3
        settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 4
        sprayer = self.from_("203.0.113.10")
        for name in ("a.staff", "b.staff", "a.admin", "khong.co"):
            login(sprayer, name, "sai")
        response = login(sprayer, "b.staff", PASSWORD)
        assert response.status_code == 200 and "tạm khóa" in response.content.decode()
        assert login(self.from_("198.51.100.21"), "b.staff", PASSWORD).status_code == 302

    def test_behind_the_proxy_the_address_is_the_one_it_appended(self, cast, settings):
        settings.LOGIN_MAX_FAILURES = 2
        settings.BEHIND_PROXY = True
        # A client cannot dodge the lock by sending its own X-Forwarded-For first entries.
        for forged in ("1.1.1.1", "2.2.2.2"):
            client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5")
            login(client, "a.staff", "sai")
        client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
        assert "tạm khóa" in login(client, "a.staff", PASSWORD).content.decode()
        other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
        assert login(other, "a.staff", PASSWORD).status_code == 302

    def test_her_admin_sees_the_lock_and_lifts_it_within_her_subtree(self, cast, settings):
        settings.LOGIN_MAX_FAILURES = 2
        locked_out = self.from_("203.0.113.7")
        login(locked_out, "a.staff", "sai")
        login(locked_out, "a.staff", "sai")
        detail = reverse("accounts:account_detail", args=[cast.a_staff.pk])
        unlock = reverse("accounts:login_unlock", args=[cast.a_staff.pk])
        page = cast.client_for(cast.a_admin).get(detail).content.decode()
        assert "đang tạm khóa ở 1 máy" in page and "Mở khóa đăng nhập" in page
        # Another commune's staff cannot; nor can she herself.
        assert cast.client_for(cast.b_staff).post(unlock).status_code == 404
        assert cast.client_for(cast.a_staff).post(unlock).status_code == 404
        assert "tạm khóa" in login(locked_out, "a.staff", PASSWORD).content.decode()
        response = cast.client_for(cast.a_admin).post(unlock)
        assert response.status_code == 302
        assert login(locked_out, "a.staff", PASSWORD).status_code == 302


class TestUserBackend:
    """The account read of every logged-in request, written as SQL: the same account as
    Django's ORM read gives, field by field and type by type, in one query."""

    def test_same_account_as_the_orm_in_one_query(self, cast, django_assert_num_queries):
        from guongsang.accounts.backends import UserBackend

        user = User.objects.get(pk=cast.a_staff.pk)
        user.last_login = timezone.now()
        user.must_change_password = True
        user.save()
        expected = User.objects.get(pk=user.pk)
        with django_assert_num_queries(1):
            got = UserBackend().get_user(str(user.pk))
        assert got is not None and not got._state.adding and got._state.db == "default"
        for field in User._meta.concrete_fields:
            mine, theirs = getattr(got, field.attname), getattr(expected, field.attname)
            assert mine == theirs and type(mine) is type(theirs), field.name
        assert timezone.is_aware(got.last_login) and timezone.is_aware(got.date_joined)
        assert got.get_session_auth_hash() == expected.get_session_auth_hash()

    def test_no_account_for_inactive_missing_or_malformed_ids(self, cast):
        from guongsang.accounts.backends import UserBackend

        User.objects.filter(pk=cast.b_staff.pk).update(is_active=False)
        backend = UserBackend()
        assert backend.get_user(cast.b_staff.pk) is None
        assert backend.get_user(10**9) is None
        for bad in ("abc", "", "1\x00", "1.5"):
            assert backend.get_user(bad) is None

    def test_a_page_reads_the_account_once(self, cast):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = cast.client_for(cast.a_staff)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        table = User._meta.db_table
        reads = [q for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]
        assert len(reads) == 1
