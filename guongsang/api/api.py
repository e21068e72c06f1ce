"""JSON API under /api/v1: bearer tokens, the same access layer as the pages."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer

from guongsang.accounts.services import api_token_user
from guongsang.awards.api import router as awards_router
from guongsang.awards.council_api import router as council_router
from guongsang.awards.proposal_api import router as proposal_router
from guongsang.exemplars.api import router as exemplars_router
from guongsang.outreach.api import public_router
from guongsang.outreach.api import router as outreach_router
from guongsang.plans.api import router as plans_router
from guongsang.reports.api import router as reports_router
from guongsang.reports.api_rounds import router as report_rounds_router
from guongsang.units import access
from guongsang.units.models import Unit, UnitKind


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Gương Sáng API",
    version="1",
    urls_namespace="api-v1",
    auth=BearerToken(),
    docs_url=None,
    description="Units of the Vietnam Women's Union tree, scoped to the token holder's roles.",
)


class UnitOut(Schema):
    id: int
    code: str
    name: str
    union_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    depth: int
    admin_code: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_id: int | None

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return str(obj.get_kind_display())


class UnitFilter(Schema):
    parent: int | None = None
    kind: UnitKind | None = None
    q: str | None = None
    include_closed: bool = False


class ErrorOut(Schema):
    detail: str


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Không tìm thấy.")}, status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    """A service refused: 400 with its Vietnamese messages, and its code (e.g. "stale" when
    someone else acted first, "duplicate" for a likely duplicate subject) when it has one."""
    errors = (
        [e for field in exc.error_dict.values() for e in field]
        if hasattr(exc, "error_dict")
        else exc.error_list
    )
    code = getattr(exc, "code", None) or next((e.code for e in errors if e.code), None)
    return api.create_response(request, {"detail": exc.messages, "code": code}, status=400)


@api.get("/units", response=list[UnitOut], tags=["units"])
@paginate(PageNumberPagination, page_size=50)
def list_units(request, filters: Query[UnitFilter]):
    """Units the token holder may see; filter by parent, kind and an accent-insensitive search."""
    qs = access.units_for(request.user)
    if filters.parent is not None:
        parent = access.get_unit(request.user, filters.parent)
        qs = qs.filter(parent=parent)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.search(filters.q)
    if not filters.include_closed:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("path")


@api.get("/units/{unit_id}", response={200: UnitOut, 404: ErrorOut}, tags=["units"])
def unit_detail(request, unit_id: int):
    return access.get_unit(request.user, unit_id)


@api.get("/units/{unit_id}/subtree", response=list[UnitOut], tags=["units"])
@paginate(PageNumberPagination, page_size=200)
def unit_subtree(request, unit_id: int, include_closed: bool = False):
    """The unit and every unit below it, in tree order."""
    unit = access.get_unit(request.user, unit_id)
    qs = Unit.objects.subtree_of(unit)
    if not include_closed:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("path")


api.add_router("/", exemplars_router)
api.add_router("/", plans_router)
api.add_router("/", outreach_router)
api.add_router("/", public_router)
api.add_router("/", reports_router)
api.add_router("/", report_rounds_router)
api.add_router("/", awards_router)
api.add_router("/", proposal_router)
api.add_router("/", council_router)
