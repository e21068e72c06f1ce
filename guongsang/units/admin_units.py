"""Provincial and commune-level unions from the official divisions (vietnam-provinces data,
after the 1 July 2025 reform: 34 provinces, 3,321 commune-level units)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province, ProvinceCode, Ward

from guongsang.core.forms import parse_id
from guongsang.core.text import fold

from .models import Unit, UnitKind
from .services import REFORM_DATE, unit_create

CENTRAL_CODE = "TW"
CENTRAL_NAME = "Trung ương Hội LHPN Việt Nam"


class ProvinceNotFound(Exception):
    pass


@dataclass
class ImportResult:
    provinces_created: int = 0
    communes_created: int = 0
    existing: int = 0


def province_code(code: int) -> str:
    return f"{code:02d}"


def commune_code(code: int) -> str:
    return f"{code:05d}"


def find_province(query: str) -> Province:
    """By official code ("4", "04") or by name, accent-insensitive ("cao bang", "Tỉnh Cao Bằng")."""
    query = (query or "").strip()
    provinces = list(Province.iter_all())
    code = parse_id(query)  # an official code; a name never parses as one
    if code is not None:
        for province in provinces:
            if province.code.value == code:
                return province
        raise ProvinceNotFound(query)
    wanted = fold(query)
    for prefix in ("tinh ", "thanh pho "):
        wanted = wanted.removeprefix(prefix)
    for province in provinces:
        name = fold(province.name)
        for prefix in ("tinh ", "thanh pho "):
            name = name.removeprefix(prefix)
        if name == wanted:
            return province
    raise ProvinceNotFound(query)


def ensure_central() -> Unit:
    unit = Unit.objects.filter(code=CENTRAL_CODE).first()
    if unit is None:
        unit = unit_create(code=CENTRAL_CODE, name=CENTRAL_NAME, kind=UnitKind.CENTRAL, parent=None)
    return unit


def _province_name(province: Province) -> str:
    name = province.name
    if name.startswith(("Tỉnh ", "Thành phố ")):
        return name
    return f"Tỉnh {name}"


@transaction.atomic
def import_province(
    province: Province, result: ImportResult | None = None, wards: list[Ward] | None = None
) -> ImportResult:
    result = result or ImportResult()
    if wards is None:
        wards = list(Ward.iter_by_province(ProvinceCode(province.code.value)))
    central = ensure_central()
    code = province_code(province.code.value)
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = unit_create(
            code=code,
            name=_province_name(province),
            kind=UnitKind.PROVINCE,
            parent=central,
            admin_code=str(province.code.value),
        )
        result.provinces_created += 1
    else:
        result.existing += 1
    existing = set(Unit.objects.filter(parent=unit).values_list("code", flat=True))
    for ward in wards:
        wcode = commune_code(ward.code.value)
        if wcode in existing:
            result.existing += 1
            continue
        unit_create(
            code=wcode,
            name=ward.name,
            kind=UnitKind.COMMUNE,
            parent=unit,
            admin_code=str(ward.code.value),
            valid_from=REFORM_DATE,
        )
        result.communes_created += 1
    return result


def import_all() -> ImportResult:
    result = ImportResult()
    by_province: dict[int, list[Ward]] = {}
    for ward in Ward.iter_all():  # one pass over the data rather than one per province
        by_province.setdefault(ward.province_code.value, []).append(ward)
    for province in Province.iter_all():
        import_province(province, result, by_province.get(province.code.value, []))
    return result
