"""Official documents (Decree 30/2020), their numbering registers, recipients, tasks and answers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guongsang.core.text import fold


class DocType(models.TextChoices):
    """Types the union issues; the value is the Decree 30/2020 abbreviation ("" for công văn)."""

    KH = "KH", _("Kế hoạch")
    BC = "BC", _("Báo cáo")
    HD = "HD", _("Hướng dẫn")
    TB = "TB", _("Thông báo")
    TTR = "TTr", _("Tờ trình")
    QD = "QĐ", _("Quyết định")
    BB = "BB", _("Biên bản")
    CV = "CV", _("Công văn")


# The type name printed above the abstract (a công văn has none: its abstract goes under the number).
TYPE_HEADINGS = {
    DocType.KH: "KẾ HOẠCH",
    DocType.BC: "BÁO CÁO",
    DocType.HD: "HƯỚNG DẪN",
    DocType.TB: "THÔNG BÁO",
    DocType.TTR: "TỜ TRÌNH",
    DocType.QD: "QUYẾT ĐỊNH",
    DocType.BB: "BIÊN BẢN",
    DocType.CV: "",
}


class Organ(models.TextChoices):
    """The organ of a unit in whose name a document is issued; the value is its symbol code."""

    BTV = "BTV", _("Ban Thường vụ")
    BCH = "BCH", _("Ban Chấp hành")
    TT = "TT", _("Thường trực")
    DCT = "ĐCT", _("Đoàn Chủ tịch")


ORGAN_HEADINGS = {
    Organ.BTV: "BAN THƯỜNG VỤ",
    Organ.BCH: "BAN CHẤP HÀNH",
    Organ.TT: "THƯỜNG TRỰC",
    Organ.DCT: "ĐOÀN CHỦ TỊCH",
}


class Authority(models.TextChoices):
    NONE = "", _("(ký trực tiếp)")
    TM = "TM.", _("TM. (thay mặt tập thể)")
    KT = "KT.", _("KT. (ký thay người đứng đầu)")
    Q = "Q.", _("Q. (quyền)")
    TL = "TL.", _("TL. (thừa lệnh)")
    TUQ = "TUQ.", _("TUQ. (thừa ủy quyền)")


class Register(models.Model):
    """Sổ đăng ký văn bản: one gapless sequence per unit, issuing organ and year."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    organ = models.CharField(max_length=8, choices=Organ.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sổ đăng ký văn bản")
        verbose_name_plural = _("sổ đăng ký văn bản")
        constraints = [
            models.UniqueConstraint(fields=["unit", "organ", "year"], name="register_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.organ} · {self.year}: {self.last_number}"


class DocStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class Document(models.Model):
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    organ = models.CharField(_("cơ quan ban hành"), max_length=8, choices=Organ.choices)
    doc_type = models.CharField(_("loại văn bản"), max_length=4, choices=DocType.choices)
    drafting_code = models.CharField(
        _("ký hiệu đơn vị soạn thảo"),
        max_length=16,
        blank=True,
        help_text=_("Tùy chọn, ví dụ KT; bắt buộc cho công văn theo Nghị định 30/2020."),
    )
    status = models.CharField(max_length=8, choices=DocStatus.choices, default=DocStatus.DRAFT)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    symbol = models.CharField(_("số, ký hiệu"), max_length=64, blank=True, db_index=True)
    place = models.CharField(_("địa danh"), max_length=100)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    abstract = models.CharField(_("trích yếu"), max_length=500)
    abstract_folded = models.CharField(max_length=500, editable=False, default="")
    body = models.TextField(_("nội dung"), blank=True)
    implements_ref = models.CharField(
        _("thực hiện văn bản"),
        max_length=200,
        blank=True,
        help_text=_("Số, ký hiệu văn bản cấp trên mà văn bản này thực hiện, ví dụ 1501/KH-UBND."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thực hiện văn bản trong hệ thống"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    authority = models.CharField(
        _("quyền hạn ký"), max_length=8, choices=Authority.choices, blank=True
    )
    authority_of = models.CharField(
        _("thay mặt / ký thay cho"), max_length=100, blank=True, help_text=_("Ví dụ BAN THƯỜNG VỤ")
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=100, blank=True)
    recipients_text = models.TextField(
        _("nơi nhận ghi trên văn bản"),
        blank=True,
        help_text=_(
            "Mỗi dòng một nơi nhận (kể cả cơ quan ngoài hệ thống). Để trống thì liệt kê các đơn vị nhận."
        ),
    )
    archive = models.CharField(_("lưu"), max_length=100, default="VT")
    answering = models.ForeignKey(
        "Assignment",
        verbose_name=_("trả lời nhiệm vụ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "organ", "year", "number"],
                condition=models.Q(number__isnull=False),
                name="document_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="document_unit_status_idx"),
            # The document lists' order: drafts first, then newest issued ("LIMIT 25" walks it).
            models.Index(fields=["status", "-issued_on", "-id"], name="document_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol or _('Dự thảo')} · {self.abstract}"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Columns derived from others; ``save`` calls it, bulk writers must call it too."""
        self.abstract_folded = fold(self.abstract)

    @property
    def is_issued(self) -> bool:
        return self.status == DocStatus.ISSUED

    @property
    def type_heading(self) -> str:
        return TYPE_HEADINGS.get(self.doc_type, "")

    @property
    def organ_heading(self) -> str:
        return ORGAN_HEADINGS.get(self.organ, "")

    @property
    def number_line(self) -> str:
        """ "Số: 05/KH-BTV", or "Số:      /KH-BTV" for a draft."""
        return f"Số: {self.symbol}" if self.symbol else f"Số:      /{symbol_tail(self)}"


def symbol_tail(doc: Document) -> str:
    """The part after the number: "KH-BTV", "KH-BTV-TG", or "BTV-KT" for a công văn."""
    parts = [] if doc.doc_type == DocType.CV else [doc.doc_type]
    parts.append(doc.organ)
    if doc.drafting_code:
        parts.append(doc.drafting_code)
    return "-".join(parts)


def format_symbol(doc: Document, number: int) -> str:
    return f"{number:02d}/{symbol_tail(doc)}"


class Attachment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="van-ban/%Y/")
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=8)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Recipient(models.Model):
    """A unit of the tree the document is delivered to; it reads and acknowledges it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="received")
    read_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Derived (``fill_derived``): the unit's path (units never move), so that the board pages
    # its recipients in tree order on (document, unit_path, id) without walking the unit tree.
    unit_path = models.CharField(max_length=255, editable=False, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"], name="recipient_unique")
        ]
        indexes = [
            models.Index(fields=["unit", "document"], name="recipient_unit_idx"),
            models.Index(fields=["document", "unit_path", "id"], name="recipient_board_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.unit_id}"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Columns derived from others; ``save`` calls it, bulk writers must call it too. The
        unit is read only when it is not loaded and the path is still empty."""
        if Recipient.unit.field.is_cached(self) or not self.unit_path:
            self.unit_path = self.unit.path


class TaskKind(models.TextChoices):
    PLAN = "plan", _("Xây dựng kế hoạch của đơn vị")
    REPORT = "report", _("Báo cáo kết quả")
    NOMINATE = "nominate", _("Giới thiệu điển hình")
    ACTIVITY = "activity", _("Tổ chức hoạt động")
    OTHER = "other", _("Khác")


class Task(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("loại nhiệm vụ"), max_length=16, choices=TaskKind.choices)
    title = models.CharField(_("nhiệm vụ"), max_length=300)
    deadline = models.DateField(_("hạn"))
    order = models.PositiveSmallIntegerField(default=0)
    # For a draft: "" = every recipient of the document, or a unit kind = every current unit of
    # that kind in the issuer's subtree. Resolved into assignments when the document is issued.
    scope = models.CharField(max_length=16, blank=True)
    # "" = written and answered with the document; otherwise the app that owns the task (e.g.
    # "reports": a reporting round, answered by submitting the unit's report). The document
    # editor keeps such tasks and the answer form refuses them.
    managed_by = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class TaskState(models.TextChoices):
    UNREAD = "unread", _("Chưa đọc")
    READ = "read", _("Đã xem, chưa xác nhận")
    ACKNOWLEDGED = "acknowledged", _("Đã nhận")
    DONE_ON_TIME = "done", _("Hoàn thành đúng hạn")
    DONE_LATE = "late", _("Hoàn thành muộn")
    OVERDUE = "overdue", _("Quá hạn")


class Assignment(models.Model):
    """A task of a document for one recipient unit, and that unit's answer."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="assignments")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("ghi chú"), blank=True)
    answer_document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
    )
    answer_file = models.FileField(upload_to="tra-loi/%Y/", blank=True)
    answer_file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "recipient"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} · {self.recipient_id}"

    def state(self, today: dt.date) -> str:
        return task_state(
            deadline=self.task.deadline,
            done_at=self.done_at,
            read_at=self.recipient.read_at,
            acknowledged_at=self.recipient.acknowledged_at,
            today=today,
        )


def task_state(*, deadline, done_at, read_at, acknowledged_at, today: dt.date) -> str:
    from django.utils import timezone

    if done_at is not None:
        done_day = timezone.localdate(done_at)
        return TaskState.DONE_ON_TIME if done_day <= deadline else TaskState.DONE_LATE
    if today > deadline:
        return TaskState.OVERDUE
    if acknowledged_at is not None:
        return TaskState.ACKNOWLEDGED
    if read_at is not None:
        return TaskState.READ
    return TaskState.UNREAD


class Reminder(models.Model):
    """An "đôn đốc" sent to a recipient unit, shown on the compliance board."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(max_length=500)
    people = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.recipient_id} @ {self.sent_at}"
