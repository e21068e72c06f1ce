"""Accounts, roles, login throttling and API tokens."""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.core.text import fold
from guongsang.units import access
from guongsang.units.models import Unit

from .models import ApiToken, LoginThrottle, Membership, Role, User


# ---- login throttling -------------------------------------------------------------------------
def _throttle_key(username: str) -> str:
    return fold(username)[:150]


def client_address(request) -> str:
    """The client's IP address: REMOTE_ADDR, or behind our proxy (``BEHIND_PROXY``) the last
    address of X-Forwarded-For, the one the proxy itself appended. "" when not an address."""
    value = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            value = forwarded.split(",")[-1]
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def _rows(username: str, address: str) -> Q:
    q = Q(username=_throttle_key(username), address=address)
    if address:
        q |= Q(username="", address=address)
    return q


def login_locked_until(username: str, address: str = "") -> dt.datetime | None:
    now = timezone.now()
    ends = [
        row.locked_until
        for row in LoginThrottle.objects.filter(_rows(username, address))
        if row.locked_until and row.locked_until > now
    ]
    return max(ends) if ends else None


def _count(username: str, address: str, limit: int, now: dt.datetime) -> dt.datetime | None:
    row, _created = LoginThrottle.objects.select_for_update().get_or_create(
        username=username, address=address
    )
    window = dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    if row.last_failure_at and now - row.last_failure_at > window:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= limit:
        row.locked_until = now + window
        row.failures = 0
    row.save()
    return row.locked_until if row.locked_until and row.locked_until > now else None


@transaction.atomic
def login_failed(username: str, address: str = "") -> dt.datetime | None:
    """Count a failed login for the name from this address, and for the address; return the
    end of the lock when either is now locked."""
    now = timezone.now()
    ends = [_count(_throttle_key(username), address, settings.LOGIN_MAX_FAILURES, now)]
    if address:
        ends.append(_count("", address, settings.LOGIN_MAX_FAILURES_PER_ADDRESS, now))
    ends = [e for e in ends if e]
    return max(ends) if ends else None


def login_succeeded(username: str, address: str = "") -> None:
    LoginThrottle.objects.filter(username=_throttle_key(username), address=address).delete()


def login_locks(username: str) -> int:
    """From how many addresses the name is locked now (for her admin's page)."""
    return LoginThrottle.objects.filter(
        username=_throttle_key(username), locked_until__gt=timezone.now()
    ).count()


def login_unlock(*, by: User | None, account: User) -> int:
    """Lift every lock on the account's name, from every address (her admin, within her
    subtree; ``by=None``: the operator)."""
    if by is not None:
        _check_manage(by, account.unit)
    deleted, _detail = LoginThrottle.objects.filter(
        username=_throttle_key(account.username)
    ).delete()
    return deleted


# ---- accounts ---------------------------------------------------------------------------------
def _check_manage(by: User, unit: Unit) -> None:
    if not access.can(by, access.Perm.MANAGE, unit):
        raise ValidationError(_("Bạn chỉ quản lý được tài khoản trong đơn vị của mình."))


@transaction.atomic
def account_create(
    *,
    by: User,
    username: str,
    full_name: str,
    unit: Unit,
    role: str,
    password: str,
    email: str = "",
    position: str = "",
    phone: str = "",
) -> User:
    """Create an account with its first role on its home unit. The user must choose her own
    password at first login."""
    _check_manage(by, unit)
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập này đã có người dùng.")})
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    user = User(
        username=username,
        full_name=" ".join((full_name or "").split()),
        unit=unit,
        email=(email or "").strip(),
        position=position.strip(),
        phone=phone.strip(),
        must_change_password=True,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(user=user, unit=unit, role=role, created_by=by)
    return user


@transaction.atomic
def account_update(
    *, by: User, account: User, full_name: str, email: str, position: str, phone: str
) -> User:
    _check_manage(by, account.unit)
    account.full_name = " ".join((full_name or "").split())
    account.email = (email or "").strip()
    account.position = (position or "").strip()
    account.phone = (phone or "").strip()
    account.full_clean(exclude=["password"])
    account.save()
    return account


@transaction.atomic
def account_set_active(*, by: User, account: User, active: bool) -> User:
    _check_manage(by, account.unit)
    if account.pk == by.pk and not active:
        raise ValidationError(_("Bạn không thể tự khóa tài khoản của mình."))
    account.is_active = active
    account.save(update_fields=["is_active"])
    if not active:
        api_tokens_revoke_all(account)
    return account


def generate_password() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


@transaction.atomic
def account_reset_password(*, by: User, account: User) -> str:
    """Set a new temporary password (returned once, to be handed to the user), lift any
    lockout, and make the user choose her own at next login."""
    _check_manage(by, account.unit)
    password = generate_password()
    account.set_password(password)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    login_unlock(by=None, account=account)
    # Whoever had the old password may have made tokens with it.
    api_tokens_revoke_all(account)
    return password


@transaction.atomic
def membership_add(*, by: User, account: User, unit: Unit, role: str) -> Membership:
    _check_manage(by, account.unit)
    _check_manage(by, unit)
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    membership, created = Membership.objects.get_or_create(
        user=account, unit=unit, role=role, defaults={"created_by": by}
    )
    if not created:
        raise ValidationError(_("Tài khoản đã có vai trò này ở đơn vị này."))
    return membership


@transaction.atomic
def membership_remove(*, by: User, membership: Membership) -> None:
    _check_manage(by, membership.unit)
    _check_manage(by, membership.user.unit)
    if membership.user_id == by.pk and membership.role == Role.ADMIN:
        raise ValidationError(_("Bạn không thể tự bỏ quyền quản trị của mình."))
    membership.delete()
    if not Membership.objects.filter(user_id=membership.user_id).exists():
        api_tokens_revoke_all(membership.user)


# ---- API tokens -------------------------------------------------------------------------------
TOKEN_NAME_MAX = 100


def api_token_create(
    *, user: User, name: str = "", days: int | None = None, by: User | None = None
) -> str:
    """Create a token and return its clear text, shown once; only its hash is kept. ``by``:
    the user herself or a manager of her unit (None: the operator, by command)."""
    if by is not None and by.pk != user.pk:
        _check_manage(by, user.unit)
    if not user.is_active:
        raise ValidationError(_("Tài khoản đã bị khóa."))
    name = " ".join((name or "").split())
    if len(name) > TOKEN_NAME_MAX:
        raise ValidationError({"name": _("Tên mã dài quá 100 ký tự.")})
    if days is not None and not 1 <= days <= 3650:
        raise ValidationError({"days": _("Thời hạn phải từ 1 đến 3650 ngày.")})
    key = "gs_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
    )
    return key


def api_token_user(key: str) -> User | None:
    if not key:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, token: ApiToken, by: User | None = None) -> ApiToken:
    """Revoke one token: by its owner, a manager of her unit, or the operator (``by=None``)."""
    if by is not None and by.pk != token.user_id:
        _check_manage(by, token.user.unit)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_tokens_revoke_all(user: User) -> int:
    """Revoke every live token of ``user`` (password reset, deactivation, last role gone)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
