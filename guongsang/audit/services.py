"""Writing the audit log. Every service that does something the log must show calls ``record``
inside its own transaction, so the entry is committed with the change or not at all, and an
entry that cannot be written fails the change (never a silent gap)."""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import json
import re
import uuid
from types import SimpleNamespace

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.functional import Promise

from guongsang.accounts import services as account_services
from guongsang.units.models import Unit

from .models import Action, AuditEntry

# Keys that must never reach the log, whatever a caller passes in ``details``.
SECRET_KEYS = frozenset(
    {
        "password",
        "password1",
        "password2",
        "old_password",
        "new_password",
        "new_password1",
        "new_password2",
        "key",
        "key_hash",
        "token",
        "secret",
    }
)
MAX_TEXT = 500  # a detail's text is cut there: the log records what happened, not documents
MAX_ITEMS = 50
LABEL_MAX = AuditEntry._meta.get_field("object_label").max_length
USERNAME_MAX = AuditEntry._meta.get_field("actor_username").max_length

# The client address of the request being served (set when a request starts, cleared when it
# ends; see ``apps.AuditConfig.ready``), so services deep below a view record where the change
# came from without every signature carrying the request.
_current_address: contextvars.ContextVar[str] = contextvars.ContextVar(
    "gs_audit_address", default=""
)


def request_started(environ=None, **kwargs) -> None:
    if environ is not None:
        _current_address.set(account_services.client_address(SimpleNamespace(META=environ)))


def request_finished(**kwargs) -> None:
    _current_address.set("")


# Control characters (NUL above all: PostgreSQL refuses it in text and in jsonb) never reach a
# column; tab and line feed are kept.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _text(value: str, limit: int) -> str:
    return _CONTROL.sub("\ufffd", value)[:limit]


def _clean(value, depth: int = 0):
    """``value`` as plain JSON: secrets dropped, texts and lists bounded."""
    if depth > 4:
        return None
    if isinstance(value, dict):
        return {
            _text(str(k), 64): _clean(v, depth + 1)
            for k, v in list(value.items())[:MAX_ITEMS]
            if str(k).lower() not in SECRET_KEYS
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v, depth + 1) for v in list(value)[:MAX_ITEMS]]
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return _text(value, MAX_TEXT)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.date | dt.time | decimal.Decimal | uuid.UUID):
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    if hasattr(value, "pk"):
        return {"id": value.pk, "label": _text(str(value), MAX_TEXT)}
    return _text(str(value), MAX_TEXT)


def record(
    *,
    action: str,
    actor=None,
    unit: Unit | None = None,
    obj=None,
    label: str = "",
    details: dict | None = None,
    request=None,
    address: str | None = None,
    actor_username: str = "",
) -> AuditEntry:
    """Append one entry to the log, in the caller's transaction (an error propagates).

    ``actor``: who acted (None: the operator or nobody known; ``actor_username`` then names who
    was claimed, e.g. the name of a failed login). ``unit``: the unit the event concerns, whose
    admins (and those above) read the entry. ``obj``: the object acted on (type, id and
    ``label`` or its text). ``details``: old/new values where they matter, never a password or a
    token (such keys are dropped). The client address: ``address``, else ``request``'s, else
    that of the request being served."""
    if action not in Action.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if address is None:
        if request is not None:
            address = account_services.client_address(request)
        else:
            address = _current_address.get()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None  # an anonymous request user
    username = actor.get_username() if actor is not None else actor_username or ""
    if obj is not None and not label:
        label = str(obj)
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_username=_text(username, USERNAME_MAX),
        unit=unit,
        unit_path=unit.path if unit is not None else "",
        unit_name=unit.name[:255] if unit is not None else "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=obj.pk if obj is not None and isinstance(obj.pk, int) else None,
        object_label=_text(" ".join(str(label or "").split()), LABEL_MAX),
        details=_clean(details or {}),
        address=(address or "")[:45],
    )


class Counted:
    """An iterator that counts what it hands out: the rows an export wrote, without a second
    query. ``count`` is right once the export has consumed it."""

    def __init__(self, iterable):
        self._it = iter(iterable)
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self):
        row = next(self._it)
        self.count += 1
        return row


def export_scope(request, *, unit: Unit | None = None) -> dict:
    """What an export's entry says about its scope: the query string as asked (without the
    page and the export switch) and the unit chosen, if any."""
    params = {
        key: request.GET.getlist(key)
        if len(request.GET.getlist(key)) > 1
        else request.GET.get(key, "")
        for key in request.GET
        if key not in ("page", "xuat")
    }
    scope = {"filters": params}
    if unit is not None:
        scope["unit"] = unit.name
    return scope


def record_export(request, *, what: str, rows: int, unit: Unit | None = None) -> AuditEntry:
    """One export of personal data by the request's user: what (e.g. "exemplars.subject"),
    its filters and how many rows. The entry's unit is the unit filtered on, else the user's
    home unit."""
    return record(
        action=Action.EXPORT,
        actor=request.user,
        unit=unit if unit is not None else getattr(request.user, "unit", None),
        label=what,
        details={"what": what, "rows": rows, **export_scope(request, unit=unit)},
        request=request,
    )
