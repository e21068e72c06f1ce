import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guongsang.core.text import fold, person_sort_text


class Role(models.TextChoices):
    ADMIN = "admin", _("Thường trực (quản trị đơn vị)")
    STAFF = "staff", _("Cán bộ")
    REVIEWER = "reviewer", _("Thành viên Hội đồng xét duyệt")
    VIEWER = "viewer", _("Xem")


class User(AbstractUser):
    """A union officer. ``unit`` is her home unit: the admins of that unit's subtree manage
    the account. What she may see and do comes from her memberships."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị công tác"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    must_change_password = models.BooleanField(default=False)
    # Derived (``fill_derived``): the Vietnamese name order as text, so the account list is
    # ordered by the database (``person_sort_text`` of the full name, else the username), and the
    # folded full name and username that the list's search matches.
    sort_key = models.CharField(max_length=255, editable=False, default="")
    name_folded = models.CharField(max_length=300, editable=False, default="")

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        indexes = [models.Index(fields=["sort_key", "id"], name="user_sort_idx")]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        self.fill_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"full_name", "username"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "sort_key", "name_folded"}
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Columns derived from others; ``save`` calls it, bulk writers must call it too."""
        self.sort_key = person_sort_text(self.full_name or self.username)
        self.name_folded = fold(f"{self.full_name} {self.username}")

    def get_full_name(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """A role held on a unit; it applies to the unit's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class LoginThrottle(models.Model):
    """Failed logins per (folded username, client address), and per address alone (``username``
    empty): too many for a name from one address lock that pair only, so a stranger elsewhere
    cannot lock an officer out; too many from one address, whatever the names, lock the address."""

    username = models.CharField(max_length=150, blank=True)
    address = models.CharField(max_length=45, blank=True, default="")
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["username", "address"], name="login_throttle_key")
        ]

    def __str__(self) -> str:
        return f"{self.username or '*'} @ {self.address or '?'}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
