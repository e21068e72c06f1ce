"""API tokens (issue 11, point 4): named, listed and revoked one by one on a page and by command,
with an optional expiry and the last use; revoked on password reset, deactivation and loss of
every role; another unit's officer can neither see nor revoke them."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from guongsang.accounts import services
from guongsang.accounts.models import ApiToken, Membership

TOKENS = "/tai-khoan/ma-api/"
UNITS = "/api/v1/units"


def works(key: str) -> bool:
    return Client().get(UNITS, headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_a_user_makes_names_lists_and_revokes_her_tokens(cast):
    client = cast.client_for(cast.a_staff)
    page = client.get(TOKENS).content.decode()
    assert "Chưa có mã truy cập API nào." in page and "Mã truy cập API" in page
    response = client.post(TOKENS, {"name": "Phần mềm tổng hợp", "days": "30"}, follow=True)
    page = response.content.decode()
    assert "Đã tạo mã truy cập API." in page and "Chỉ hiện một lần" in page
    token = ApiToken.objects.get(user=cast.a_staff)
    key = page.split('<p class="password-once"><code>')[1].split("</code>")[0]
    assert key.startswith("gs_") and key[:8] == token.prefix and works(key)
    assert token.name == "Phần mềm tổng hợp"
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    # Shown once only; then listed by its first characters with its use.
    page = client.get(TOKENS).content.decode()
    assert key not in page and f"{token.prefix}…" in page and "Phần mềm tổng hợp" in page
    client.post(TOKENS, {"name": "Máy tính văn phòng", "days": ""})
    second = ApiToken.objects.get(user=cast.a_staff, name="Máy tính văn phòng")
    assert second.expires_at is None
    response = client.post(f"{TOKENS}{token.pk}/thu-hoi/", follow=True)
    assert f"Đã thu hồi mã {token.prefix}…" in response.content.decode()
    token.refresh_from_db()
    second.refresh_from_db()
    assert token.revoked_at is not None and second.revoked_at is None and not works(key)


def test_bad_input_keeps_the_form_and_saves_nothing(cast):
    client = cast.client_for(cast.a_staff)
    for data in ({"name": "", "days": "30"}, {"name": "a\x00b", "days": "30"},
                 {"name": "x" * 101, "days": "30"}, {"name": "Tốt", "days": "7"},
                 {"name": "Tốt", "days": "²"}):  # fmt: skip
        response = client.post(TOKENS, data)
        assert response.status_code == 200
    assert not ApiToken.objects.exists()
    page = client.post(TOKENS, {"name": "a\x00b", "days": "30"}).content.decode()
    assert "Không được có ký tự điều khiển" in page


def test_an_expired_token_no_longer_opens_the_api(cast):
    key = services.api_token_create(user=cast.a_staff, name="Thử", days=1)
    assert works(key)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert not works(key)
    assert "đã hết hạn" in cast.client_for(cast.a_staff).get(TOKENS).content.decode()


def test_password_reset_deactivation_and_last_role_revoke_every_token(cast):
    a = services.api_token_create(user=cast.a_staff, name="1")
    services.account_reset_password(by=cast.a_admin, account=cast.a_staff)
    assert not works(a)
    b = services.api_token_create(user=cast.a_staff, name="2")
    services.account_set_active(by=cast.a_admin, account=cast.a_staff, active=False)
    assert not works(b)
    services.account_set_active(by=cast.a_admin, account=cast.a_staff, active=True)
    c = services.api_token_create(user=cast.a_staff, name="3")
    memberships = list(Membership.objects.filter(user=cast.a_staff))
    for m in memberships[:-1]:
        services.membership_remove(by=cast.a_admin, membership=m)
        assert works(c)  # a role is left
    services.membership_remove(by=cast.a_admin, membership=memberships[-1])
    assert not works(c)


def test_an_admin_sees_and_revokes_the_tokens_of_accounts_she_manages_only(cast):
    services.api_token_create(user=cast.a_staff, name="Của chị Hoa")
    token = ApiToken.objects.get(user=cast.a_staff)
    detail = f"/tai-khoan/{cast.a_staff.pk}/"
    page = cast.client_for(cast.a_admin).get(detail).content.decode()
    assert "Của chị Hoa" in page and f"{token.prefix}…" in page
    # Another commune's admin, staff of the same commune: 404, nothing revoked.
    for user in (cast.b_staff, cast.branch_viewer, cast.outsider):
        response = cast.client_for(user).post(f"{TOKENS}{token.pk}/thu-hoi/")
        assert response.status_code == 404
        assert "Của chị Hoa" not in cast.client_for(user).get(TOKENS).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = cast.client_for(cast.a_admin).post(f"{TOKENS}{token.pk}/thu-hoi/")
    assert response.status_code == 302 and response["Location"] == detail
    token.refresh_from_db()
    assert token.revoked_at is not None
    # Revoke is a POST.
    assert cast.client_for(cast.a_staff).get(f"{TOKENS}{token.pk}/thu-hoi/").status_code == 405


def test_the_command_lists_and_revokes(cast):
    key = services.api_token_create(user=cast.a_staff, name="Máy chủ tổng hợp", days=90)
    other = services.api_token_create(user=cast.a_staff, name="Cũ")
    out = io.StringIO()
    call_command("api_tokens", cast.a_staff.username, stdout=out)
    listing = out.getvalue()
    assert f"{key[:8]}…" in listing and "Máy chủ tổng hợp" in listing and "đang dùng" in listing
    call_command("api_tokens", cast.a_staff.username, revoke=key[:8], stdout=io.StringIO())
    assert not works(key) and works(other)
    with pytest.raises(CommandError):
        call_command("api_tokens", cast.a_staff.username, revoke="gs_zzzzz", stdout=io.StringIO())
    call_command("api_tokens", cast.a_staff.username, revoke_all=True, stdout=io.StringIO())
    assert not works(other)
    with pytest.raises(CommandError):
        call_command("create_api_token", cast.a_staff.username, days=0, stdout=io.StringIO())
