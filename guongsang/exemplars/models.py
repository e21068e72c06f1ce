"""Movements, criteria sets, subjects, nominations with their review trail, and the registry of
recognised exemplars with nurture notes and replications."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from guongsang.core.text import fold, person_sort_text, vi_sort_text


class CatalogueKind(models.TextChoices):
    MOVEMENT = "movement", _("Phong trào thi đua")
    CAMPAIGN = "campaign", _("Cuộc vận động")
    KEY_TASK = "key_task", _("Nhiệm vụ trọng tâm")


class SubjectKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    HOUSEHOLD = "household", _("Hộ gia đình")


class Category(models.TextChoices):
    ADVANCED_EXEMPLAR = "advanced_exemplar", _("Điển hình tiên tiến")
    NEW_MODEL = "new_model", _("Mô hình mới")
    NEW_FACTOR = "new_factor", _("Nhân tố mới")


class Gender(models.TextChoices):
    FEMALE = "female", _("Nữ")
    MALE = "male", _("Nam")


# The ethnic groups most present in Cao Bằng first, then the others most often met.
ETHNICITIES = [
    "Tày",
    "Nùng",
    "Mông",
    "Dao",
    "Kinh",
    "Sán Chay",
    "Lô Lô",
    "Hoa",
    "Sán Dìu",
    "Ngái",
    "Thái",
    "Mường",
    "Khmer",
    "Giáy",
    "Pà Thẻn",
    "Cơ Lao",
    "La Chí",
    "Pu Péo",
    "Khác",
]


class Movement(models.Model):
    """A movement, campaign or key task of the catalogue, issued by a unit for a period."""

    kind = models.CharField(_("loại"), max_length=16, choices=CatalogueKind.choices)
    name = models.CharField(_("tên"), max_length=300)
    name_folded = models.CharField(max_length=300, editable=False, db_index=True)
    issuing_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị phát động"), on_delete=models.PROTECT, related_name="+"
    )
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["-start_year", "name_folded"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Columns derived from others; ``save`` calls it, bulk writers must call it too."""
        self.name_folded = fold(self.name)

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}" if self.end_year else f"{self.start_year}–"


class CriteriaSet(models.Model):
    """Criteria of an issuing unit for a year: a general group plus groups per subject kind.
    Once a nomination uses a set, the set is frozen; a new version copies it."""

    issuing_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    name = models.CharField(_("tên bộ tiêu chí"), max_length=300)
    movement = models.ForeignKey(
        Movement, verbose_name=_("phong trào"), on_delete=models.PROTECT, null=True, blank=True
    )
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)
    scored = models.BooleanField(_("chấm điểm"), default=False)
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name", "-version"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year}, v{self.version})"

    @property
    def in_use(self) -> bool:
        return self.nominations.exists()


class CriterionGroup(models.Model):
    GENERAL = "general"
    KIND_CHOICES = [(GENERAL, _("Tiêu chí chung")), *SubjectKind.choices]

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="groups")
    subject_kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    title = models.CharField(_("tên nhóm"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    def applies_to(self, kind: str) -> bool:
        return self.subject_kind in (self.GENERAL, kind)


class Criterion(models.Model):
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("nội dung tiêu chí"))
    required = models.BooleanField(_("bắt buộc"), default=True)
    evidence_required = models.BooleanField(_("cần minh chứng"), default=False)
    max_points = models.DecimalField(
        _("điểm tối đa"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    prerequisite_title = models.CharField(
        _("danh hiệu phải có"),
        max_length=200,
        blank=True,
        help_text=_(
            "Ví dụ: Gia đình văn hóa. Đối tượng phải có danh hiệu này trong năm hoặc năm trước."
        ),
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Subject(models.Model):
    """A collective, an individual or a household that may be nominated. Phone and ID number
    stay in the back office: never shown on public pages or in exports for other units."""

    kind = models.CharField(_("loại đối tượng"), max_length=16, choices=SubjectKind.choices)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị quản lý"),
        on_delete=models.PROTECT,
        related_name="subjects",
    )
    name = models.CharField(_("tên / họ và tên"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    # Vietnamese name order as text (``subject_sort_text``): lists are ordered by the database.
    sort_key = models.CharField(max_length=255, editable=False, default="")
    # The unit's path (``COLLATE "C"`` on PostgreSQL): scope ranges and the sort index on this
    # table alone, without a join to units_unit for every row walked.
    unit_path = models.CharField(max_length=255, editable=False, default="")
    # Collectives
    linked_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("là đơn vị Hội"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    member_count = models.PositiveIntegerField(_("số thành viên"), null=True, blank=True)
    women_percent = models.DecimalField(
        _("tỷ lệ nữ (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Individuals (and the head of a household)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=40, blank=True)
    position = models.CharField(_("chức vụ, nghề nghiệp"), max_length=200, blank=True)
    workplace = models.CharField(_("nơi công tác"), max_length=200, blank=True)
    # Back office only
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    id_number = models.CharField(_("số CCCD"), max_length=20, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "kind"], name="subject_unit_kind_idx"),
            # The path as a key column: a wide scope walks the name order and checks each
            # entry's path in the index, reading only the rows it shows; a narrow scope reads
            # its path range on the next index.
            models.Index(fields=["sort_key", "id", "unit_path"], name="subject_sort_idx"),
            models.Index(fields=["unit", "sort_key", "id"], name="subject_unit_sort_idx"),
            models.Index(fields=["unit_path", "sort_key", "id"], name="subject_path_sort_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Columns derived from others; ``save`` calls it, bulk writers must call it too."""
        self.name = " ".join(self.name.split())
        self.name_folded = fold(self.name)
        self.sort_key = subject_sort_text(self.name, self.kind)
        _fill_from_related(self, "unit", "unit_path", lambda u: u.path)


def subject_sort_text(name: str, kind: str) -> str:
    """People (individuals, households by their head) by given name the Vietnamese way
    (``NAME_SORT``); collectives by their name as written."""
    if kind == SubjectKind.COLLECTIVE:
        return vi_sort_text(name)
    return person_sort_text(name)


class ReviewRound(models.Model):
    """A review round run by a unit (the level that recognises), with a deadline."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("cấp tổ chức xét"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên đợt xét"), max_length=300)
    movement = models.ForeignKey(
        Movement, verbose_name=_("phong trào"), on_delete=models.PROTECT, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    deadline = models.DateField(_("hạn gửi hồ sơ"))

    class Meta:
        ordering = ["-year", "deadline"]

    def __str__(self) -> str:
        return self.name


class NominationState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đang xét duyệt")
    RETURNED = "returned", _("Trả lại để bổ sung")
    REJECTED = "rejected", _("Không duyệt")
    RECOGNISED = "recognised", _("Đã công nhận")


class Nomination(models.Model):
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="nominations")
    category = models.CharField(_("loại điển hình"), max_length=20, choices=Category.choices)
    movement = models.ForeignKey(
        Movement, verbose_name=_("phong trào"), on_delete=models.PROTECT, related_name="+"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("bộ tiêu chí"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    review_round = models.ForeignKey(
        ReviewRound, verbose_name=_("đợt xét"), on_delete=models.PROTECT, related_name="nominations"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    proposing_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị đề cử"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    current_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Whose desk the nomination is on: the proposing unit while drafting or returned, "
        "the reviewing unit while submitted.",
    )
    state = models.CharField(
        max_length=16, choices=NominationState.choices, default=NominationState.DRAFT, db_index=True
    )
    # Derived (``fill_derived``), for the lists' scope and order without a join: the proposing
    # unit's path (units never move) and the subject's sort key (kept by ``subject_update``).
    proposing_path = models.CharField(max_length=255, editable=False, default="")
    subject_sort_key = models.CharField(max_length=255, editable=False, default="")
    achievement_report = models.TextField(_("báo cáo thành tích"), blank=True)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["current_unit", "state"], name="nomination_queue_idx"),
            models.Index(fields=["year", "state"], name="nomination_year_state_idx"),
            # The list: a wide scope walks the order and filters; a narrow one reads its range.
            models.Index(fields=["subject_sort_key", "id"], name="nomination_sort_idx"),
            models.Index(
                fields=["proposing_path", "subject_sort_key", "id"], name="nomination_path_sort_idx"
            ),
            # The home page's capped counts: one range per state.
            models.Index(fields=["state", "proposing_path"], name="nomination_state_path_idx"),
            # The summary's counts by day of creation (reports): the partial months' days of the
            # country's summary (``rollup``), index-only. (A province's summary reads its range
            # of ``nomination_path_sort_idx``.)
            models.Index(
                fields=["created_at", "proposing_path", "state"], name="nomination_created_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.get_category_display()} {self.year}"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Columns derived from the related subject and proposing unit; ``save`` calls it, bulk
        writers must call it too (with the related objects set: no query per row)."""
        _fill_from_related(self, "proposing_unit", "proposing_path", lambda u: u.path)
        _fill_from_related(self, "subject", "subject_sort_key", _sort_key_of)

    @property
    def editable(self) -> bool:
        return self.state in (NominationState.DRAFT, NominationState.RETURNED)


class CriterionAnswer(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField(_("đạt"), null=True)
    evidence_text = models.TextField(_("minh chứng"), blank=True)
    points = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nomination", "criterion"], name="answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.nomination_id}/{self.criterion_id}"


def attachment_path(instance, filename: str) -> str:
    import uuid

    return f"nominations/{instance.nomination_id}/{uuid.uuid4().hex}-{filename}"


class Attachment(models.Model):
    """A file of evidence or the achievement report, checked by content on upload and served
    only through the access layer."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="attachments")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Gửi xét duyệt")
    FORWARD = "forward", _("Chuyển cấp trên")
    RETURN = "return", _("Trả lại")
    REJECT = "reject", _("Không duyệt")
    RECOGNISE = "recognise", _("Công nhận")


class ReviewStep(models.Model):
    """One step of a nomination's trail. Append-only: steps are never changed or deleted."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=16, choices=ReviewAction.choices)
    from_state = models.CharField(max_length=16, choices=NominationState.choices)
    to_state = models.CharField(max_length=16, choices=NominationState.choices)
    from_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.created_at:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Review steps are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Review steps are append-only.")


class Exemplar(models.Model):
    """A recognised exemplar: the registry across years."""

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="exemplars")
    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="exemplar"
    )
    category = models.CharField(_("loại"), max_length=20, choices=Category.choices)
    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    recognising_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("cấp công nhận"), on_delete=models.PROTECT, related_name="+"
    )
    recognised_at = models.DateTimeField()
    decision_ref = models.CharField(_("số quyết định"), max_length=100, blank=True)
    # The date on the decision (``recognised_at`` is when it was entered here); required when
    # recognising, empty only on rows from before the field existed.
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    # Derived (``fill_derived``): the subject's unit path and sort key, for the registry's
    # scope and order without a join (kept by ``subject_update``).
    subject_path = models.CharField(max_length=255, editable=False, default="")
    subject_sort_key = models.CharField(max_length=255, editable=False, default="")

    class Meta:
        ordering = ["-year", "pk"]
        indexes = [
            models.Index(fields=["-year", "subject_sort_key", "id"], name="exemplar_year_sort_idx"),
            models.Index(
                fields=["subject_path", "year", "subject_sort_key", "id"],
                name="exemplar_path_sort_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_category_display()} {self.year})"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Columns derived from the subject; ``save`` calls it, bulk writers must call it too
        (with ``subject`` and its ``unit`` set: no query per row)."""
        _fill_from_related(self, "subject", "subject_path", lambda s: s.unit.path)
        _fill_from_related(self, "subject", "subject_sort_key", _sort_key_of)


def _sort_key_of(subject: Subject) -> str:
    return subject.sort_key or subject_sort_text(" ".join(subject.name.split()), subject.kind)


class NominationProvinceMonth(models.Model):
    """Nominations per province (the proposing path cut to its first two segments; the central
    union's own keep its path), local month of creation and current state: the country's
    summary reads whole months here instead of every nomination (``rollup``). Kept by database
    triggers on the nominations (migration 0012), never edited by hand."""

    # ``COLLATE "C"`` on PostgreSQL, like units_unit.path (the migration).
    path = models.CharField(max_length=255)
    month = models.DateField()  # its first day, in local time (settings.TIME_ZONE)
    state = models.CharField(max_length=16, choices=NominationState.choices)
    # Signed: a trigger's decrement of a row it does not find leaves -1, which ``differences``
    # shows.
    nominations = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["path", "month", "state"], name="nomination_province_month_key"
            )
        ]
        indexes = [
            # Led by the month: the summary lists its months (``queries``). The count is left
            # out of every index, so that the triggers' updates stay on their page (PostgreSQL's
            # HOT updates; the table is filled half, migration 0012): with it indexed, a bulk
            # insert of 50,000 nominations left 451 pages for 1,849 rows.
            models.Index(fields=["month", "path", "state"], name="nomination_province_sums_idx")
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%m/%Y} {self.state}: {self.nominations}"


def _fill_from_related(obj: models.Model, relation: str, column: str, value) -> None:
    """Set ``column`` from the related object when it is loaded (or set), or when the column is
    still empty; an object loaded without it keeps its stored value (no query on every save:
    the services never move a nomination or an exemplar to another subject or unit, and a
    subject's rename updates its rows)."""
    if obj._meta.get_field(relation).is_cached(obj) or not getattr(obj, column):
        setattr(obj, column, value(getattr(obj, relation)))


class NurtureNote(models.Model):
    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="nurture_notes")
    date = models.DateField(_("ngày"))
    text = models.TextField(_("nội dung bồi dưỡng"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Replication(models.Model):
    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="replications")
    adopting_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị nhân rộng"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("ngày áp dụng"))
    result = models.TextField(_("kết quả"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.exemplar} → {self.adopting_unit}"
