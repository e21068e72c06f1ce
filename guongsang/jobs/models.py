"""What a user sees of a background task: its kind, state, progress, input and result."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không thành công")


# Labels of the kinds started so far; a kind not listed is named by its prefix.
KIND_LABELS = {
    "remind": _("Đôn đốc các đơn vị chậm thực hiện"),
    "export": _("Xuất danh sách ra Excel"),
    "export_subjects": _("Xuất danh sách đối tượng ra Excel"),
    "export_nominations": _("Xuất danh sách hồ sơ đề cử ra Excel"),
    "export_exemplars": _("Xuất sổ điển hình ra Excel"),
    "export_activities": _("Xuất hoạt động tuyên truyền ra Excel"),
    "import": _("Nhập dữ liệu từ Excel"),
    "import_units": _("Nhập chi hội, tổ phụ nữ từ Excel"),
    "import_activities": _("Nhập hoạt động tuyên truyền từ Excel"),
}


def _input_path(instance, filename: str) -> str:
    return f"jobs/input/{uuid.uuid4().hex}"


def _result_path(instance, filename: str) -> str:
    return f"jobs/result/{uuid.uuid4().hex}"


class Job(models.Model):
    """One background task started by a user. Only its owner sees it (``queries.get_job``)."""

    kind = models.CharField(_("loại"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    total = models.PositiveIntegerField(_("tổng số"), default=0)
    done = models.PositiveIntegerField(_("đã làm"), default=0)
    message = models.CharField(_("thông báo"), max_length=500, blank=True)
    # Private storage (VAR_DIR/media, never served as static), random names.
    input_file = models.FileField(upload_to=_input_path, max_length=200, blank=True)
    input_name = models.CharField(max_length=200, blank=True)
    result_file = models.FileField(upload_to=_result_path, max_length=200, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    # Row errors of an import: [{"row": 12, "message": "..."}, ...]
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tác vụ nền")
        verbose_name_plural = _("tác vụ nền")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="job_user_recent_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def kind_label(self) -> str:
        if self.kind in KIND_LABELS:
            return str(KIND_LABELS[self.kind])
        prefix = self.kind.split("_", 1)[0]
        return str(KIND_LABELS.get(prefix, _("Tác vụ nền")))

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def state_label(self) -> str:
        if self.state == JobState.DONE and self.errors:
            return str(_("Xong, có lỗi"))
        return str(self.get_state_display())

    @property
    def state_css(self) -> str:
        # Reuses the board's state colours (core CSS).
        if self.state == JobState.DONE and self.errors:
            return "state-late"
        return {
            JobState.RUNNING: "state-read",
            JobState.DONE: "state-done",
            JobState.FAILED: "state-overdue",
        }.get(self.state, "")

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
