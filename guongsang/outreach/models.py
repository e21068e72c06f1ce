"""The outreach log (activities by form) and the public column of exemplar stories, published
only with the recorded consent of the person, household or collective."""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from guongsang.core.text import fold


class ActivityForm(models.Model):
    """A form of outreach named by the plan (conference, branch meeting, ...): an editable list."""

    name = models.CharField(_("hình thức"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField(_("ngày"))
    form = models.ForeignKey(ActivityForm, verbose_name=_("hình thức"), on_delete=models.PROTECT)
    title = models.CharField(_("nội dung, tiêu đề"), max_length=300)
    title_folded = models.CharField(max_length=300, editable=False, default="")
    # The unit's path, copied (units never move): a subtree's sums are one range of
    # ``activity_path_report_idx``, without a join to the units.
    unit_path = models.CharField(max_length=255, editable=False, default="")
    movement = models.ForeignKey(
        "exemplars.Movement",
        verbose_name=_("phong trào, cuộc vận động"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    participants = models.PositiveIntegerField(_("số người tham dự"), default=0)
    members = models.PositiveIntegerField(_("trong đó hội viên"), default=0)
    exemplars = models.ManyToManyField(
        "exemplars.Exemplar", verbose_name=_("điển hình được nêu"), blank=True, related_name="+"
    )
    link = models.URLField(_("đường dẫn"), blank=True, max_length=500)
    notes = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            # Covering index for sums per unit, period and form where the scope is a join to
            # the units (the activity list's totals and counts by form).
            models.Index(
                fields=["unit", "date", "form", "participants", "members"],
                name="activity_report_idx",
            ),
            # Newest first: "ORDER BY date DESC, id DESC LIMIT n" walks this index backwards.
            models.Index(fields=["date", "id"], name="activity_date_idx"),
            # Covering index for a subtree's sums by period and form (reports): one range scan.
            models.Index(
                fields=["unit_path", "date", "form", "participants", "members"],
                name="activity_path_report_idx",
            ),
            # Covering index for the days of a partial month around a rollup (reports): the
            # days' range, read from the index alone whatever the size of the subtree.
            models.Index(
                fields=["date", "unit_path", "form", "participants", "members"],
                name="activity_day_report_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(members__lte=models.F("participants")),
                name="activity_members_within_participants",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        from . import rollup

        self.fill_derived()
        with transaction.atomic():
            old = None if self._state.adding else self._stored_rollup_row()
            super().save(*args, **kwargs)
            rollup.change(old, self._rollup_row())

    def delete(self, *args, **kwargs):
        from . import rollup

        with transaction.atomic():
            old = self._stored_rollup_row()
            result = super().delete(*args, **kwargs)
            rollup.change(old, None)
        return result

    def _rollup_row(self) -> tuple:
        from . import rollup

        return (
            rollup.rollup_path(self.unit_path, self.unit.kind),
            self.date,
            self.form_id,
            self.participants,
            self.members,
        )

    def _stored_rollup_row(self) -> tuple | None:
        """What the monthly rollup holds for this activity: its stored row, read again (the
        instance may have been changed since it was loaded)."""
        from . import rollup

        row = (
            Activity.objects.filter(pk=self.pk)
            .values_list("unit_path", "unit__kind", "date", "form_id", "participants", "members")
            .first()
        )
        if row is None:
            return None
        path, kind, *rest = row
        return (rollup.rollup_path(path, kind), *rest)

    def fill_derived(self) -> None:
        """Columns derived from others; ``save`` calls it, bulk writers must call it too (with
        ``unit`` set: no query per row), and ``outreach.rollup.add_activities`` after the
        insert. The unit is read only when it is not loaded and the path is still empty."""
        self.title_folded = fold(self.title)
        if Activity.unit.field.is_cached(self) or not self.unit_path:
            self.unit_path = self.unit.path


class MonthSums(models.Model):
    """Activities, participants and members of a path, month and form: the rows of the monthly
    rollups (``outreach.rollup``). Kept exact by ``Activity``'s ``save``/``delete`` and the bulk
    writers; never edited by hand."""

    # ``COLLATE "C"`` on PostgreSQL, like units_unit.path (the tables' migrations).
    path = models.CharField(max_length=255)
    month = models.DateField()  # its first day
    form = models.ForeignKey(ActivityForm, on_delete=models.CASCADE, related_name="+")
    # Signed: an upsert that subtracts proposes a negative row before it meets the stored one.
    activities = models.IntegerField(default=0)
    participants = models.BigIntegerField(default=0)
    members = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.path} {self.month:%m/%Y} {self.form_id}: {self.activities}"


class ActivityMonth(MonthSums):
    """The monthly rollup of the log per rollup unit (the activity's unit, or for a branch or
    a group its commune), month and form."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["path", "month", "form"], name="activity_month_key")
        ]
        indexes = [
            # Covering, led by the month: a summary's months are read as one short range of
            # the subtree's paths per month, from the index alone (``queries``). Led by the
            # path, a province's range held every month of every year, read to keep a third.
            models.Index(
                fields=["month", "path", "form", "activities", "participants", "members"],
                name="activity_month_sums_idx",
            )
        ]


class ActivityProvinceMonth(MonthSums):
    """The monthly rollup one level up: ``ActivityMonth``'s rows summed per province (a rollup
    path cut to its first two segments; the central union's own activities keep its path),
    month and form. The country's summary reads its provinces' months here: about 1,000 rows a
    month instead of 26,000."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["path", "month", "form"], name="activity_province_month_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["month", "path", "form", "activities", "participants", "members"],
                name="activity_province_sums_idx",
            )
        ]


def _file_path(instance, filename: str) -> str:
    return f"{instance.UPLOAD_DIR}/{uuid.uuid4().hex}-{filename}"


class ActivityFile(models.Model):
    UPLOAD_DIR = "activities"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_file_path, max_length=300)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind in ("jpg", "png")


class Consent(models.Model):
    """Recorded permission of a subject to be written about in public. Withdrawing it takes
    every story about the subject off the public column at once."""

    UPLOAD_DIR = "consents"

    subject = models.ForeignKey(
        "exemplars.Subject", on_delete=models.PROTECT, related_name="consents"
    )
    given_by = models.CharField(_("người đồng ý"), max_length=200)
    capacity = models.CharField(
        _("tư cách"),
        max_length=200,
        help_text=_("Ví dụ: bản thân; chủ hộ; chi hội trưởng thay mặt tập thể"),
    )
    given_on = models.DateField(_("ngày đồng ý"))
    purpose = models.CharField(
        _("đồng ý cho"),
        max_length=300,
        default="Đăng bài viết, ảnh trên chuyên mục điển hình tiên tiến",
    )
    scan = models.FileField(
        _("bản chụp phiếu đồng ý"), upload_to=_file_path, blank=True, max_length=300
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("ngày rút lại"), null=True, blank=True)
    withdrawn_note = models.CharField(_("ghi chú khi rút lại"), max_length=300, blank=True)

    class Meta:
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.given_by} ({self.given_on:%d/%m/%Y})"

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None


class StoryState(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    REVIEW = "review", _("Chờ duyệt")
    PUBLISHED = "published", _("Đã đăng")
    UNPUBLISHED = "unpublished", _("Đã gỡ")


class StoryFormat(models.TextChoices):
    # Stories written before the text editor hold cleaned HTML; the editor writes the light
    # text format of ``core.richtext.text_to_html`` (and converts an HTML story it opens).
    HTML = "html", _("HTML")
    TEXT = "text", _("Văn bản thường")


class Story(models.Model):
    exemplar = models.ForeignKey(
        "exemplars.Exemplar",
        verbose_name=_("điển hình"),
        on_delete=models.PROTECT,
        related_name="stories",
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    title_folded = models.CharField(max_length=300, editable=False, db_index=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(_("tóm tắt"), max_length=500, blank=True)
    body = models.TextField(_("nội dung"))
    body_format = models.CharField(
        max_length=8, choices=StoryFormat.choices, default=StoryFormat.HTML
    )
    state = models.CharField(
        max_length=16, choices=StoryState.choices, default=StoryState.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    view_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name_plural = "stories"
        indexes = [
            # The public column, newest first: "ORDER BY published_at DESC, id DESC LIMIT 12"
            # walks it backwards, ties on the publishing time included.
            models.Index(fields=["published_at", "id"], name="story_published_idx"),
            # The public column's cache version: the last change to any story.
            models.Index(fields=["updated_at"], name="story_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("public:story_detail", args=[self.slug])

    def fill_derived(self) -> None:
        """Columns derived from others; ``save`` calls it, bulk writers must call it too."""
        self.title_folded = fold(self.title)


class StoryImage(models.Model):
    UPLOAD_DIR = "stories"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=_file_path, max_length=300)
    caption = models.CharField(_("chú thích ảnh"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8)
    # The original's size once oriented, and its renditions (``outreach.photos``), narrowest
    # first: [{"w": 320, "h": 240, "name": "stories/…-w320.jpg", "bytes": 18012}, …].
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    renditions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.caption or self.file.name

    @property
    def number(self) -> int:
        """What the story's text calls it: "[ảnh 2]" is the photo numbered 2."""
        return self.order + 1

    @property
    def marker(self) -> str:
        return f"[ảnh {self.number}]"

    def rendition(self, width: int | None = None) -> dict | None:
        """The rendition of that width, or the largest one; None before they are built."""
        renditions = self.renditions or []
        if width is None:
            return max(renditions, key=lambda r: r["w"], default=None)
        return next((r for r in renditions if r["w"] == width), None)
