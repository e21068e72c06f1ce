"""Parameter types shared by the API routers, kept apart from api.py (which imports every
router) so the routers can import them."""

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import BeforeValidator, WithJsonSchema

from guongsang.core.forms import ID_MAX, YEAR_MAX, YEAR_MIN

# A page past this is never useful, and its offset must stay inside the databases' integers.
PAGE_MAX = 10_000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value):
    # pydantic also reads a number (or a string of digits) as a Unix time, so "?date_to=0"
    # would quietly mean 1 January 1970: only the documented YYYY-MM-DD form is taken.
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError(_("Ngày phải có dạng YYYY-MM-DD."))


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]
Id = Annotated[int, Field(ge=1, le=ID_MAX)]


def accepts_control_characters(view):
    """Exempts an operation from the API-wide refusal of control characters (a 400): for one
    that already answers such input without touching the database in its own documented way
    (a code that cannot match is simply not found)."""
    view.accepts_control_characters = True
    return view


class Pagination(PageNumberPagination):
    """ninja's page-number pagination with the page bounded (an unbounded page overflows the
    database's OFFSET: a 500 on both databases)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX)
        page_size: int | None = Field(None, ge=1, le=100)


def decimal_text(pattern: str, *, maximum: str) -> object:
    """A Decimal input documented as the text it is read from. pydantic documents a Decimal as
    "number or any string", so a client (or Schemathesis) following the document could send ""
    or "1e999" and get a 422; the pattern says exactly what is taken (numbers still are)."""
    return Annotated[
        Decimal,
        Field(ge=0, le=Decimal(maximum), decimal_places=2),
        WithJsonSchema({"type": "string", "pattern": pattern}),
    ]


# 0 to 100 with at most two decimals (Subject.women_percent).
Percent = decimal_text(r"^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$", maximum="100")
# 0 to 9999.99 (CriterionAnswer.points: six digits, two of them decimals).
Points = decimal_text(r"^\d{1,4}(\.\d{1,2})?$", maximum="9999.99")
# A year as the pages take it.
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
