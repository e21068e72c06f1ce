"""Outreach API: activities (bearer token, access layer) and a public read-only API of published
stories (no token)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from guongsang.api.fields import Id, IsoDate, Pagination
from guongsang.core.forms import ID_MAX
from guongsang.exemplars import access as ex_access
from guongsang.exemplars.services import commune_of
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import PATH_END

from . import access as oa
from . import services
from .bodies import render_story
from .models import ActivityForm

router = Router(tags=["outreach"])
public_router = Router(tags=["public"], auth=None)


class ActivityOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    date: dt.date
    form_id: int
    form_name: str
    title: str
    movement_id: int | None
    participants: int
    members: int
    exemplar_ids: list[int]
    link: str
    notes: str

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name

    @staticmethod
    def resolve_form_name(obj):
        return obj.form.name

    @staticmethod
    def resolve_exemplar_ids(obj):
        return [e.pk for e in obj.exemplars.all()]


class ActivityIn(Schema):
    # The limits of the Activity columns, so a bad value is a 422 and never a database error.
    unit_id: Id
    date: IsoDate
    form_id: Id
    title: str = Field(..., max_length=300)
    participants: int = Field(0, ge=0, le=ID_MAX)
    members: int = Field(0, ge=0, le=ID_MAX)
    movement_id: Id | None = None
    exemplar_ids: list[Id] = Field([], max_length=500)
    link: str = Field("", max_length=500)
    notes: str = ""


class ActivityFilter(Schema):
    unit: Id | None = None
    form: Id | None = None
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


class FormOut(Schema):
    id: int
    name: str
    active: bool


@router.get("/activity-forms", response=list[FormOut])
def list_forms(request):
    return ActivityForm.objects.all()


@router.get("/activities", response=list[ActivityOut])
@paginate(Pagination, page_size=50)
def list_activities(request, filters: Query[ActivityFilter]):
    qs = oa.activities_for(request.user).prefetch_related("exemplars")
    if filters.unit is not None:
        unit = access.get_unit(request.user, filters.unit)
        qs = qs.filter(unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END)
    if filters.form is not None:
        qs = qs.filter(form_id=filters.form)
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    return qs.order_by("-date", "-pk")


@router.get("/activities/{activity_id}", response=ActivityOut)
def get_activity(request, activity_id: Id):
    return oa.get_activity(request.user, activity_id)


@router.post("/activities", response={201: ActivityOut})
def create_activity(request, payload: ActivityIn):
    unit = access.get_unit(request.user, payload.unit_id, Perm.EDIT)
    form = ActivityForm.objects.filter(pk=payload.form_id).first()
    if form is None:
        raise ValidationError({"form": _("Hình thức không hợp lệ.")})
    movement = (
        ex_access.get_movement(request.user, payload.movement_id) if payload.movement_id else None
    )
    exemplars = list(ex_access.exemplars_for(request.user).filter(pk__in=payload.exemplar_ids))
    if len(exemplars) != len(set(payload.exemplar_ids)):
        raise ValidationError({"exemplars": _("Điển hình không hợp lệ.")})
    activity = services.activity_create(
        by=request.user,
        unit=unit,
        date=payload.date,
        form=form,
        title=payload.title,
        participants=payload.participants,
        members=payload.members,
        movement=movement,
        exemplars=exemplars,
        link=payload.link,
        notes=payload.notes,
    )
    return Status(201, activity)


@router.delete("/activities/{activity_id}", response={204: None})
def delete_activity(request, activity_id: int):
    services.activity_delete(
        by=request.user, activity=oa.get_activity(request.user, activity_id, Perm.EDIT)
    )
    return Status(204, None)


class StoryOut(Schema):
    slug: str
    title: str
    summary: str
    body_html: str
    body_text: str
    url: str
    published_at: dt.datetime
    subject_name: str
    subject_kind: str
    category: str
    movement: str
    year: int
    commune: str
    image_urls: list[str]

    @staticmethod
    def resolve_body_html(obj):
        return str(render_story(obj).html)

    @staticmethod
    def resolve_body_text(obj):
        return render_story(obj).text

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_subject_name(obj):
        return obj.exemplar.subject.name

    @staticmethod
    def resolve_subject_kind(obj):
        return obj.exemplar.subject.kind

    @staticmethod
    def resolve_category(obj):
        return obj.exemplar.category

    @staticmethod
    def resolve_movement(obj):
        return obj.exemplar.movement.name

    @staticmethod
    def resolve_year(obj):
        return obj.exemplar.year

    @staticmethod
    def resolve_commune(obj):
        return commune_of(obj.exemplar.subject.unit).name

    @staticmethod
    def resolve_image_urls(obj):
        from django.urls import reverse

        return [reverse("public:story_image", args=[i.pk]) for i in obj.images.all()]


@public_router.get("/public/stories", response=list[StoryOut])
@paginate(Pagination, page_size=20)
def public_stories(request):
    """Published stories whose subject's consent stands: the same as the public column."""
    return oa.public_stories().prefetch_related("images").order_by("-published_at", "-pk")


@public_router.get("/public/stories/{slug}", response=StoryOut)
def public_story(request, slug: str):
    return oa.get_public_story(slug)
