"""JSON API under /api/v1: bearer tokens, the same access layer as the pages."""

import datetime as dt
import functools

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import HttpBearer
from pydantic import BaseModel

from guongsang.accounts.services import api_token_user
from guongsang.api.fields import Pagination
from guongsang.awards.api import router as awards_router
from guongsang.awards.council_api import router as council_router
from guongsang.awards.decision_api import public_router as decision_public_router
from guongsang.awards.decision_api import router as decision_router
from guongsang.awards.proposal_api import router as proposal_router
from guongsang.core.forms import refuse_control_characters
from guongsang.emulation.api import router as emulation_router
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


class ErrorOut(Schema):
    """404, 401 and 403: one message."""

    detail: str


class RefusalOut(Schema):
    """400: a service refused, or the body could not be read; messages and an optional code."""

    detail: list[str]
    code: str | None = None


class InputErrorItemOut(Schema):
    type: str
    loc: list[str | int]
    msg: str


class InputErrorOut(Schema):
    """422: ninja's report of parameters or a body that do not fit the schema."""

    detail: list[InputErrorItemOut]


ERROR_SCHEMAS = {400: RefusalOut, 401: ErrorOut, 404: ErrorOut, 422: InputErrorOut}
ERROR_DESCRIPTIONS = {
    400: "Refused by a service, or an unreadable body",
    401: "Missing or invalid token",
    404: "Not found or not visible to the token holder",
    422: "Parameters or body do not fit the schema",
}


class GuongSangAPI(NinjaAPI):
    """Documents the error answers the exception handlers below give, on every operation and
    with one schema per shape: the handlers are global, so any operation can answer with them,
    and a per-module error schema would only drift from what is returned."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        ref = "#/components/schemas/{model}"
        for model in (ErrorOut, RefusalOut, InputErrorOut):
            definition = model.model_json_schema(ref_template=ref)
            components.update(definition.pop("$defs", {}))
            components[model.__name__] = definition
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                for status, model in ERROR_SCHEMAS.items():
                    if status == 401 and not operation.get("security"):
                        continue
                    responses.pop(str(status), None)
                    responses[status] = {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {
                            "application/json": {
                                "schema": {"$ref": ref.format(model=model.__name__)}
                            }
                        },
                    }
        return schema


api = GuongSangAPI(
    title="Gương Sáng API",
    version="1",
    urls_namespace="api-v1",
    auth=BearerToken(),
    docs_url=None,
    description="Units of the Vietnam Women's Union tree, scoped to the token holder's roles.",
)


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        yield from _texts(list(value.__dict__.values()))
    elif isinstance(value, dict):
        yield from _texts(list(value.items()))
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _texts(item)


def refuse_control_characters_in_input(view):
    """Every text an operation receives (path, query, body, at any depth) is checked for NUL
    and other control characters before the operation runs: PostgreSQL refuses NUL in text (a
    500), and none of them belongs in a name, a search or a note. The refusal is a 400 with the
    same message as the forms give."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if not getattr(view, "accepts_control_characters", False):
            for text in _texts((args, kwargs)):
                refuse_control_characters(text)
        return view(request, *args, **kwargs)

    return checked


api.add_decorator(refuse_control_characters_in_input)


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


@api.exception_handler(HttpError)
def http_error(request, exc):
    """ninja's own HttpError: a 400 (unreadable body) takes the same shape as a refusal, so one
    schema documents every 400; the others (401, 403) keep a single message."""
    if exc.status_code == 400:
        # ninja raises it only for a body it cannot parse; its English text says no more.
        body = {
            "detail": [_("Không đọc được nội dung gửi lên (JSON không hợp lệ).")],
            "code": "parse",
        }
    else:
        body = {"detail": str(exc)}
    return api.create_response(request, body, status=exc.status_code)


@api.get("/units", response=list[UnitOut], tags=["units"])
@paginate(Pagination, page_size=50)
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
@paginate(Pagination, page_size=200)
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
api.add_router("/", decision_router)
api.add_router("/", decision_public_router)
api.add_router("/", emulation_router)
