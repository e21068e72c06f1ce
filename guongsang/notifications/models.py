from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    DOCUMENT = "document", _("Văn bản mới được gửi tới đơn vị")
    REMINDER = "reminder", _("Đôn đốc thực hiện nhiệm vụ")
    ANSWER = "answer", _("Đơn vị cấp dưới trả lời nhiệm vụ")
    GENERAL = "general", _("Thông báo khác")


class Notification(models.Model):
    """One message to one user. In-app always; e-mailed too when the user wants that kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("loại"), max_length=32, default=NotificationKind.GENERAL)
    text = models.CharField(_("nội dung"), max_length=500)
    link = models.CharField(_("liên kết"), max_length=300, blank=True)
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text

    @property
    def kind_label(self) -> str:
        try:
            return str(NotificationKind(self.kind).label)
        except ValueError:
            return self.kind


class EmailPreference(models.Model):
    """Whether a user wants e-mail for one kind of notification. No row means yes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=32)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.email}"
