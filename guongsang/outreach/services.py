"""Rules of the outreach log, consent and the public column."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.accounts.models import User
from guongsang.audit import services as audit
from guongsang.audit.models import Action
from guongsang.core.richtext import clean_html, plain_text, text_to_html
from guongsang.core.text import slugify_vi
from guongsang.core.uploads import DOCUMENT_KINDS, IMAGE_KINDS, clean_upload
from guongsang.exemplars import access as ex_access
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import Unit

from . import photos
from .models import (
    Activity,
    ActivityFile,
    ActivityForm,
    Consent,
    Story,
    StoryFormat,
    StoryImage,
    StoryState,
)

MAX_FILES_PER_ACTIVITY = 10


# ---- activity forms ---------------------------------------------------------------------------
def can_edit_forms(user: User | None) -> bool:
    """The list of forms is shared by every unit: provincial admins and above keep it."""
    if user is None:
        return True
    if user.is_superuser:
        return True
    return access.units_for(user, Perm.MANAGE).filter(kind__in=["central", "province"]).exists()


@transaction.atomic
def activity_form_save(
    *, by: User | None, name: str, form: ActivityForm | None = None, active: bool = True
) -> ActivityForm:
    if not can_edit_forms(by):
        raise ValidationError(_("Chỉ thường trực cấp tỉnh trở lên sửa được danh mục hình thức."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Nhập tên hình thức.")})
    duplicate = ActivityForm.objects.filter(name__iexact=name)
    if form is not None:
        duplicate = duplicate.exclude(pk=form.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("Hình thức này đã có.")})
    if form is None:
        form = ActivityForm(order=ActivityForm.objects.count())
    form.name = name
    form.active = active
    form.save()
    return form


# ---- activities -------------------------------------------------------------------------------
def link_is_valid(link: str) -> bool:
    """An empty link, or a web address (http/https): never javascript: or data: links, which
    the activity page would turn into a clickable href."""
    if not link:
        return True
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        return False
    return True


def _validate_activity(
    *, by, unit, date, participants, members, movement, exemplars, link=""
) -> None:
    errors = {}
    if date and date > timezone.localdate():
        errors["date"] = _("Ngày hoạt động không được sau hôm nay.")
    if participants is not None and members is not None and members > participants:
        errors["members"] = _("Số hội viên không được lớn hơn tổng số người tham dự.")
    if not link_is_valid((link or "").strip()):
        errors["link"] = _("Đường dẫn phải là địa chỉ web bắt đầu bằng http:// hoặc https://.")
    if errors:
        raise ValidationError(errors)
    if by is not None:
        if movement is not None and not ex_access.movements_for(by).filter(pk=movement.pk).exists():
            raise ValidationError({"movement": _("Phong trào không hợp lệ.")})
        allowed = set(
            ex_access.exemplars_for(by)
            .filter(pk__in=[e.pk for e in exemplars])
            .values_list("pk", flat=True)
        )
        if any(e.pk not in allowed for e in exemplars):
            raise ValidationError({"exemplars": _("Điển hình không hợp lệ.")})


@transaction.atomic
def activity_create(
    *,
    by: User,
    unit: Unit,
    date: dt.date,
    form: ActivityForm,
    title: str,
    participants: int = 0,
    members: int = 0,
    movement=None,
    exemplars=(),
    link: str = "",
    notes: str = "",
    uploads=(),
) -> Activity:
    access.require(by, Perm.EDIT, unit)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Nhập nội dung hoạt động.")})
    if not form.active:
        raise ValidationError({"form": _("Hình thức này không còn dùng.")})
    exemplars = list(exemplars)
    _validate_activity(
        by=by,
        unit=unit,
        date=date,
        participants=participants,
        members=members,
        movement=movement,
        exemplars=exemplars,
        link=link,
    )
    activity = Activity.objects.create(
        unit=unit,
        date=date,
        form=form,
        title=title,
        participants=participants or 0,
        members=members or 0,
        movement=movement,
        link=link.strip(),
        notes=notes.strip(),
        created_by=by,
    )
    activity.exemplars.set(exemplars)
    for upload in uploads:
        activity_file_add(by=by, activity=activity, upload=upload)
    return activity


@transaction.atomic
def activity_update(*, by: User, activity: Activity, **fields) -> Activity:
    access.require(by, Perm.EDIT, activity.unit)
    exemplars = fields.pop("exemplars", None)
    for key in ("date", "form", "title", "participants", "members", "movement", "link", "notes"):
        if key in fields:
            setattr(activity, key, fields[key])
    activity.title = " ".join(activity.title.split())
    if not activity.title:
        raise ValidationError({"title": _("Nhập nội dung hoạt động.")})
    _validate_activity(
        by=by,
        unit=activity.unit,
        date=activity.date,
        participants=activity.participants,
        members=activity.members,
        movement=activity.movement,
        exemplars=list(exemplars or []),
        link=activity.link,
    )
    activity.save()
    if exemplars is not None:
        activity.exemplars.set(exemplars)
    return activity


@transaction.atomic
def activity_delete(*, by: User, activity: Activity) -> None:
    access.require(by, Perm.EDIT, activity.unit)
    for f in activity.files.all():
        f.file.delete(save=False)
    activity.delete()


@transaction.atomic
def activity_file_add(*, by: User, activity: Activity, upload) -> ActivityFile:
    access.require(by, Perm.EDIT, activity.unit)
    if activity.files.count() >= MAX_FILES_PER_ACTIVITY:
        raise ValidationError(
            _("Mỗi hoạt động đính kèm tối đa %(n)s tệp.") % {"n": MAX_FILES_PER_ACTIVITY}
        )
    clean = clean_upload(upload, kinds=DOCUMENT_KINDS)
    row = ActivityFile(
        activity=activity, original_name=upload.name[:200], kind=clean.kind, size=clean.size
    )
    row.file.save(clean.name, ContentFile(clean.data), save=False)
    row.save()
    return row


@transaction.atomic
def activity_file_delete(*, by: User, row: ActivityFile) -> None:
    access.require(by, Perm.EDIT, row.activity.unit)
    row.file.delete(save=False)
    row.delete()


# ---- consent ----------------------------------------------------------------------------------
@transaction.atomic
def consent_record(
    *,
    by: User,
    subject,
    given_by: str,
    capacity: str,
    given_on: dt.date,
    purpose: str = "",
    scan=None,
) -> Consent:
    access.require(by, Perm.EDIT, subject.unit)
    errors = {}
    if not (given_by or "").strip():
        errors["given_by"] = _("Nhập tên người đồng ý.")
    if not (capacity or "").strip():
        errors["capacity"] = _("Nhập tư cách của người đồng ý.")
    if given_on and given_on > timezone.localdate():
        errors["given_on"] = _("Ngày đồng ý không được sau hôm nay.")
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        subject=subject,
        given_by=given_by.strip(),
        capacity=capacity.strip(),
        given_on=given_on,
        purpose=(purpose or "").strip() or Consent._meta.get_field("purpose").default,
        recorded_by=by,
    )
    if scan is not None:
        clean = clean_upload(scan, kinds=frozenset({"jpg", "png", "pdf"}))
        consent.scan.save(clean.name, ContentFile(clean.data), save=False)
    consent.save()
    audit.record(
        action=Action.CONSENT_RECORD,
        actor=by,
        unit=subject.unit,
        obj=consent,
        label=subject.name,
        details={
            "subject": subject.name,
            "given_by": consent.given_by,
            "capacity": consent.capacity,
            "given_on": consent.given_on,
            "purpose": consent.purpose,
            "scan": bool(consent.scan),
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, by: User, consent: Consent, on: dt.date | None = None, note: str = ""
) -> int:
    """Withdraw a consent; every published story about the subject is unpublished at once.
    Returns how many stories were taken down."""
    consent = Consent.objects.select_for_update().select_related("subject__unit").get(pk=consent.pk)
    access.require(by, Perm.EDIT, consent.subject.unit)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("Sự đồng ý này đã được rút lại."))
    consent.withdrawn_on = on or timezone.localdate()
    consent.withdrawn_note = (note or "").strip()
    consent.save()
    taken_down = 0
    if not Consent.objects.filter(subject=consent.subject, withdrawn_on__isnull=True).exists():
        taken_down = Story.objects.filter(
            exemplar__subject=consent.subject,
            state__in=[StoryState.PUBLISHED, StoryState.REVIEW],
        ).update(state=StoryState.UNPUBLISHED, updated_at=timezone.now())
    # else another consent still stands
    audit.record(
        action=Action.CONSENT_WITHDRAW,
        actor=by,
        unit=consent.subject.unit,
        obj=consent,
        label=consent.subject.name,
        details={
            "subject": consent.subject.name,
            "withdrawn_on": consent.withdrawn_on,
            "note": consent.withdrawn_note,
            "stories_unpublished": taken_down,
        },
    )
    return taken_down


def has_consent(subject) -> bool:
    return Consent.objects.filter(subject=subject, withdrawn_on__isnull=True).exists()


# ---- stories ----------------------------------------------------------------------------------
def _story_fields(
    title: str, summary: str, body: str, body_format: str = StoryFormat.HTML
) -> tuple[str, str, str]:
    """HTML is stored cleaned; the text format is stored as written (lines' trailing spaces
    dropped) and cleaned each time it is rendered (``outreach.bodies``)."""
    title = " ".join((title or "").split())
    if body_format == StoryFormat.TEXT:
        lines = (body or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        body = "\n".join(line.rstrip() for line in lines).strip("\n")
        text = plain_text(clean_html(text_to_html(body)))
    else:
        body = clean_html(body)
        text = plain_text(body)
    errors = {}
    if not title:
        errors["title"] = _("Nhập tiêu đề.")
    if not text:
        errors["body"] = _("Nhập nội dung bài viết.")
    if errors:
        raise ValidationError(errors)
    return title, " ".join((summary or "").split()), body


@transaction.atomic
def story_create(
    *,
    by: User,
    exemplar,
    title: str,
    body: str,
    summary: str = "",
    body_format: str = StoryFormat.HTML,
) -> Story:
    """A draft story. The editor writes ``body_format=TEXT`` (see ``core.richtext``); HTML is
    kept for callers that still write it (the demo, generated data, old tests)."""
    access.require(by, Perm.EDIT, exemplar.subject.unit)
    if body_format not in StoryFormat.values:
        raise ValidationError({"body": _("Định dạng nội dung không hợp lệ.")})
    title, summary, body = _story_fields(title, summary, body, body_format)
    story = Story.objects.create(
        exemplar=exemplar,
        title=title,
        summary=summary,
        body=body,
        body_format=body_format,
        created_by=by,
        slug=f"tmp-{timezone.now().timestamp()}",
    )
    story.slug = f"{slugify_vi(title)[:100]}-{story.pk}"
    story.save(update_fields=["slug"])
    return story


@transaction.atomic
def story_update(
    *,
    by: User,
    story: Story,
    title: str,
    body: str,
    summary: str = "",
    body_format: str | None = None,
) -> Story:
    """Edit a story (``body_format`` None keeps its format; the editor saves an HTML story it
    converted as TEXT). A published story changed by someone who may not publish goes back to
    review (off the public column) until an admin publishes it again."""
    access.require(by, Perm.EDIT, story.exemplar.subject.unit)
    body_format = body_format or story.body_format
    if body_format not in StoryFormat.values:
        raise ValidationError({"body": _("Định dạng nội dung không hợp lệ.")})
    story.title, story.summary, story.body = _story_fields(title, summary, body, body_format)
    story.body_format = body_format
    taken_down = story.state == StoryState.PUBLISHED and not access.can(
        by, Perm.MANAGE, story.exemplar.subject.unit
    )
    if taken_down:
        story.state = StoryState.REVIEW
    story.save()
    if taken_down:
        _record_story(Action.STORY_UNPUBLISH, by, story, StoryState.PUBLISHED, edited=True)
    return story


def _record_story(action: str, by: User, story: Story, from_state: str, **details) -> None:
    audit.record(
        action=action,
        actor=by,
        unit=story.exemplar.subject.unit,
        obj=story,
        label=story.title,
        details={
            "subject": story.exemplar.subject.name,
            "from_state": from_state,
            "to_state": story.state,
            **details,
        },
    )


def _transition(story: Story, allowed: set[str], to: str) -> Story:
    story = (
        Story.objects.select_for_update().select_related("exemplar__subject__unit").get(pk=story.pk)
    )
    if story.state not in allowed:
        raise ValidationError(
            _("Bài viết đang ở trạng thái “%(s)s”, không chuyển được.")
            % {"s": story.get_state_display()}
        )
    story.previous_state = story.state
    story.state = to
    return story


@transaction.atomic
def story_submit(*, by: User, story: Story) -> Story:
    access.require(by, Perm.EDIT, story.exemplar.subject.unit)
    story = _transition(story, {StoryState.DRAFT, StoryState.UNPUBLISHED}, StoryState.REVIEW)
    story.save()
    return story


@transaction.atomic
def story_publish(*, by: User, story: Story) -> Story:
    """Publish a reviewed story: only the standing officers (admins) of the exemplar's unit or
    above, and only while the subject's consent stands."""
    access.require(by, Perm.MANAGE, story.exemplar.subject.unit)
    story = _transition(story, {StoryState.REVIEW, StoryState.UNPUBLISHED}, StoryState.PUBLISHED)
    if not has_consent(story.exemplar.subject):
        raise ValidationError(
            _("Chưa có sự đồng ý (còn hiệu lực) của %(name)s: ghi nhận sự đồng ý trước khi đăng.")
            % {"name": story.exemplar.subject.name}
        )
    story.published_at = story.published_at or timezone.now()
    story.save()
    _record_story(Action.STORY_PUBLISH, by, story, story.previous_state)
    return story


@transaction.atomic
def story_unpublish(*, by: User, story: Story) -> Story:
    access.require(by, Perm.MANAGE, story.exemplar.subject.unit)
    story = _transition(story, {StoryState.PUBLISHED, StoryState.REVIEW}, StoryState.UNPUBLISHED)
    story.save()
    _record_story(Action.STORY_UNPUBLISH, by, story, story.previous_state)
    return story


@transaction.atomic
def story_image_add(*, by: User, story: Story, upload, caption: str = "") -> StoryImage:
    """Store a photo: the original (content checked, re-encoded without EXIF) stays private;
    its renditions (``outreach.photos``) are what the public pages load. An image whose
    dimensions announce a decompression bomb is refused before anything decodes it."""
    access.require(by, Perm.EDIT, story.exemplar.subject.unit)
    if upload.size <= settings.UPLOAD_MAX_BYTES:  # larger: clean_upload refuses it by size
        photos.check_dimensions(upload.read())
        upload.seek(0)
    clean = clean_upload(upload, kinds=IMAGE_KINDS)
    last = story.images.order_by("-order").values_list("order", flat=True).first()
    image = StoryImage(
        story=story,
        caption=(caption or "").strip(),
        order=0 if last is None else last + 1,
        kind=clean.kind,
    )
    image.file.save(clean.name, ContentFile(clean.data), save=False)
    try:
        photos.store_renditions(image)
    except ValidationError:
        image.file.delete(save=False)
        raise
    image.save()
    # The public list is cached per version of the column, which follows updated_at.
    Story.objects.filter(pk=story.pk).update(updated_at=timezone.now())
    return image


def story_viewed(story: Story) -> None:
    """Count a view: no cookie, no address, nothing about the visitor is kept."""
    Story.objects.filter(pk=story.pk).update(view_count=F("view_count") + 1)
