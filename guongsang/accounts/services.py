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

from guongsang.audit import services as audit
from guongsang.audit.models import Action
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
    end of the lock when either is now locked. The audit log gets the name tried (never the
    password), under the home unit of the account of that name if there is one."""
    now = timezone.now()
    ends = [_count(_throttle_key(username), address, settings.LOGIN_MAX_FAILURES, now)]
    if address:
        ends.append(_count("", address, settings.LOGIN_MAX_FAILURES_PER_ADDRESS, now))
    ends = [e for e in ends if e]
    locked = max(ends) if ends else None
    account = User.objects.select_related("unit").filter(username=username).first()
    audit.record(
        action=Action.LOGIN_FAILED,
        actor_username=username,
        unit=account.unit if account is not None else None,
        obj=account,
        label=username,
        details={"username": username, "locked_until": locked, "known_account": bool(account)},
        address=address,
    )
    return locked


def login_succeeded(username: str, address: str = "") -> None:
    LoginThrottle.objects.filter(username=_throttle_key(username), address=address).delete()


def login_locks(username: str) -> int:
    """From how many addresses the name is locked now (for her admin's page)."""
    return LoginThrottle.objects.filter(
        username=_throttle_key(username), locked_until__gt=timezone.now()
    ).count()


@transaction.atomic
def login_unlock(*, by: User | None, account: User) -> int:
    """Lift every lock on the account's name, from every address (her admin, within her
    subtree; ``by=None``: the operator)."""
    if by is not None:
        _check_manage(by, account.unit)
    deleted = _unlock(account)
    audit.record(
        action=Action.LOGIN_UNLOCK,
        actor=by,
        unit=account.unit,
        obj=account,
        details={"locks_lifted": deleted},
    )
    return deleted


def _unlock(account: User) -> int:
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
    audit.record(
        action=Action.ACCOUNT_CREATE,
        actor=by,
        unit=unit,
        obj=user,
        details={
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "position": user.position,
            "phone": user.phone,
            "role": role,
        },
    )
    return user


@transaction.atomic
def account_update(
    *, by: User, account: User, full_name: str, email: str, position: str, phone: str
) -> User:
    _check_manage(by, account.unit)
    fields = ("full_name", "email", "position", "phone")
    before = {f: getattr(account, f) for f in fields}
    account.full_name = " ".join((full_name or "").split())
    account.email = (email or "").strip()
    account.position = (position or "").strip()
    account.phone = (phone or "").strip()
    account.full_clean(exclude=["password"])
    account.save()
    changes = {
        f: [before[f], getattr(account, f)] for f in fields if before[f] != getattr(account, f)
    }
    if changes:
        audit.record(
            action=Action.ACCOUNT_UPDATE,
            actor=by,
            unit=account.unit,
            obj=account,
            details={"changes": changes},
        )
    return account


@transaction.atomic
def account_set_active(*, by: User, account: User, active: bool) -> User:
    _check_manage(by, account.unit)
    if account.pk == by.pk and not active:
        raise ValidationError(_("Bạn không thể tự khóa tài khoản của mình."))
    was_active = account.is_active
    account.is_active = active
    account.save(update_fields=["is_active"])
    revoked = 0 if active else _revoke_all(account)
    if was_active != active:
        audit.record(
            action=Action.ACCOUNT_ACTIVATE if active else Action.ACCOUNT_DEACTIVATE,
            actor=by,
            unit=account.unit,
            obj=account,
            details={"tokens_revoked": revoked} if not active else {},
        )
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
    locks = _unlock(account)
    # Whoever had the old password may have made tokens with it.
    revoked = _revoke_all(account)
    audit.record(
        action=Action.PASSWORD_RESET,
        actor=by,
        unit=account.unit,
        obj=account,
        details={"locks_lifted": locks, "tokens_revoked": revoked},
    )
    return password


@transaction.atomic
def password_changed(*, user: User) -> None:
    """The user chose her own password (Django's form saved it): no forced change any more,
    and the audit entry."""
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    audit.record(action=Action.PASSWORD_CHANGE, actor=user, unit=user.unit, obj=user)


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
    audit.record(
        action=Action.ROLE_ADD,
        actor=by,
        unit=unit,
        obj=account,
        details={"role": role, "unit": unit.name, "account_unit": str(account.unit or "")},
    )
    return membership


@transaction.atomic
def membership_remove(*, by: User, membership: Membership) -> None:
    _check_manage(by, membership.unit)
    _check_manage(by, membership.user.unit)
    if membership.user_id == by.pk and membership.role == Role.ADMIN:
        raise ValidationError(_("Bạn không thể tự bỏ quyền quản trị của mình."))
    membership.delete()
    revoked = 0
    if not Membership.objects.filter(user_id=membership.user_id).exists():
        revoked = _revoke_all(membership.user)
    audit.record(
        action=Action.ROLE_REMOVE,
        actor=by,
        unit=membership.unit,
        obj=membership.user,
        details={
            "role": membership.role,
            "unit": membership.unit.name,
            "account_unit": str(membership.user.unit or ""),
            "tokens_revoked": revoked,
        },
    )


# ---- API tokens -------------------------------------------------------------------------------
TOKEN_NAME_MAX = 100


@transaction.atomic
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
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
    )
    # The first characters only, as the token pages show them; never the key or its hash.
    audit.record(
        action=Action.TOKEN_CREATE,
        actor=by,
        unit=user.unit,
        obj=token,
        details={
            "account": user.username,
            "name": name,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
        },
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


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | None = None) -> ApiToken:
    """Revoke one token: by its owner, a manager of her unit, or the operator (``by=None``)."""
    if by is not None and by.pk != token.user_id:
        _check_manage(by, token.user.unit)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            action=Action.TOKEN_REVOKE,
            actor=by,
            unit=token.user.unit,
            obj=token,
            details={"account": token.user.username, "name": token.name, "prefix": token.prefix},
        )
    return token


@transaction.atomic
def api_tokens_revoke_all(user: User, *, by: User | None = None) -> int:
    """Revoke every live token of ``user`` at once (the command; ``by=None``: the operator).
    A password reset, a deactivation and the loss of the last role revoke them too, recorded
    in their own entries."""
    revoked = _revoke_all(user)
    audit.record(
        action=Action.TOKEN_REVOKE_ALL,
        actor=by,
        unit=user.unit,
        obj=user,
        details={"tokens_revoked": revoked},
    )
    return revoked


def _revoke_all(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
