"""The audit log: one row per security- or privacy-relevant event, never changed or removed.

Append-only on two levels: in Python the model refuses ``save()`` on an existing row and
``delete()``, and its manager's querysets refuse ``update()`` and ``delete()``; on PostgreSQL a
trigger (migration 0002) refuses any UPDATE or DELETE on the table, except the one update
Django makes when a user or unit referenced by an entry is deleted (``SET_NULL``): clearing
``actor_id`` or ``unit_id`` and nothing else. The snapshots (``actor_username``,
``unit_path``, ``unit_name``) keep the record readable and in its subtree after that.
"""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập sai")
    LOGOUT = "logout", _("Đăng xuất")
    LOGIN_UNLOCK = "login_unlock", _("Mở khóa đăng nhập")
    ACCOUNT_CREATE = "account_create", _("Tạo tài khoản")
    ACCOUNT_UPDATE = "account_update", _("Sửa thông tin tài khoản")
    ACCOUNT_ACTIVATE = "account_activate", _("Mở lại tài khoản")
    ACCOUNT_DEACTIVATE = "account_deactivate", _("Khóa tài khoản")
    PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
    PASSWORD_CHANGE = "password_change", _("Tự đổi mật khẩu")
    ROLE_ADD = "role_add", _("Thêm vai trò")
    ROLE_REMOVE = "role_remove", _("Bỏ vai trò")
    TOKEN_CREATE = "token_create", _("Tạo mã truy cập API")
    TOKEN_REVOKE = "token_revoke", _("Thu hồi mã truy cập API")
    TOKEN_REVOKE_ALL = "token_revoke_all", _("Thu hồi mọi mã truy cập API")
    EXPORT = "export", _("Xuất dữ liệu cá nhân")
    AUDIT_EXPORT = "audit_export", _("Xuất nhật ký hệ thống")
    CONSENT_RECORD = "consent_record", _("Ghi nhận sự đồng ý")
    CONSENT_WITHDRAW = "consent_withdraw", _("Rút lại sự đồng ý")
    STORY_PUBLISH = "story_publish", _("Đăng bài viết lên chuyên mục")
    STORY_UNPUBLISH = "story_unpublish", _("Gỡ bài viết khỏi chuyên mục")
    NOMINATION_FORWARD = "nomination_forward", _("Chuyển hồ sơ đề cử lên cấp trên")
    NOMINATION_RETURN = "nomination_return", _("Trả lại hồ sơ đề cử")
    NOMINATION_REJECT = "nomination_reject", _("Không duyệt hồ sơ đề cử")
    NOMINATION_RECOGNISE = "nomination_recognise", _("Công nhận điển hình")
    PROPOSAL_FORWARD = "proposal_forward", _("Chuyển đề nghị khen thưởng lên cấp trên")
    PROPOSAL_ACCEPT = "proposal_accept", _("Tiếp nhận đề nghị khen thưởng")
    PROPOSAL_RETURN = "proposal_return", _("Trả lại đề nghị khen thưởng")
    PROPOSAL_REJECT = "proposal_reject", _("Không chấp nhận đề nghị khen thưởng")
    SESSION_CLOSE = "session_close", _("Kết thúc phiên họp Hội đồng (kết quả bỏ phiếu)")
    DECISION_ISSUE = "decision_issue", _("Ban hành quyết định khen thưởng")
    CERTIFICATE_REVOKE = "certificate_revoke", _("Thu hồi giấy khen, bằng khen")
    SCORE_SUBMIT = "score_submit", _("Gửi bảng tự chấm điểm thi đua")
    SCORE_CHECK = "score_check", _("Chấm chéo điểm thi đua")
    SCORE_RETURN = "score_return", _("Trả lại bảng điểm thi đua")
    SCORE_FINALISE = "score_finalise", _("Chốt điểm thi đua")
    BLOCK_MEETING = "block_meeting", _("Ghi kết quả họp cụm, khối thi đua")


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries are never changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries are never deleted.")

    # Django's bulk helpers would go around save() on existing rows.
    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit entries are never changed.")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AppendOnlyError("Audit entries are never changed.")


class AuditEntry(models.Model):
    time = models.DateTimeField(_("thời điểm"), db_default=Now(), editable=False)
    # Who acted (None: the system or, for a failed login, nobody known). The username is kept
    # as it was, so the entry reads the same after the account is renamed or deleted; for a
    # failed login it is the name that was tried.
    # No index on the two foreign keys: the list never looks rows up by them, and the only
    # lookup (Django's SET_NULL when a user or unit is deleted, which the app never does) can
    # afford a scan. Each index is paid on every insert.
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    actor_username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    # The unit the event concerns, with its materialised path copied: the subtree filter is a
    # range on this row's own column (``path >= p AND path < p || '~'``), no join. "" = no
    # unit (e.g. a failed login under an unknown name): central admins and superusers only.
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    unit_path = models.CharField(max_length=255, blank=True, default="", editable=False)
    unit_name = models.CharField(_("tên đơn vị"), max_length=255, blank=True, default="")
    action = models.CharField(_("thao tác"), max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=64, blank=True, default="")
    object_id = models.BigIntegerField(null=True, blank=True)
    object_label = models.CharField(_("đối tượng"), max_length=255, blank=True, default="")
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)
    address = models.CharField(_("địa chỉ máy"), max_length=45, blank=True, default="")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")
        indexes = [
            # Newest first over a wide scope (a superuser, the central union, a province):
            # "ORDER BY time DESC, id DESC LIMIT 51" walks this backwards and checks each row's
            # path, stopping at the page; a date range is a range on it.
            models.Index(fields=["time", "id"], name="audit_time_idx"),
            # A narrow scope (a commune, a branch): its entries are one range scan here, sorted
            # by time within the subtree's few rows; also the capped count's index-only scan.
            models.Index(fields=["unit_path", "time", "id"], name="audit_path_time_idx"),
            # One kind of event, newest first (failed logins, exports): equality then the walk.
            models.Index(fields=["action", "time", "id"], name="audit_action_time_idx"),
            # Counting one kind of event in a subtree (the list's capped count): an index-only
            # range, where the index above checks each entry's path in the table (60k failed
            # logins of the whole union: 56 ms against a few).
            models.Index(fields=["action", "unit_path"], name="audit_action_path_idx"),
            # What one person did (or what was tried under her name), newest first.
            models.Index(fields=["actor_username", "time", "id"], name="audit_actor_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_username or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are never deleted.")
