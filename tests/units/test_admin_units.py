"""Provincial and commune-level unions from the official divisions (``import_admin_units``)."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from guongsang.units import admin_units
from guongsang.units.models import Unit, UnitKind

from ..factories import make_unit

REFORM = dt.date(2025, 7, 1)

pytestmark = pytest.mark.django_db


def run(**options) -> str:
    out = io.StringIO()
    call_command("import_admin_units", stdout=out, **options)
    return out.getvalue()


def assert_cao_bang_imported():
    central = Unit.objects.get(code=admin_units.CENTRAL_CODE)
    assert central.kind == UnitKind.CENTRAL
    assert central.parent is None
    province = Unit.objects.get(kind=UnitKind.PROVINCE)
    assert province.name == "Tỉnh Cao Bằng"
    assert province.code == "04"
    assert province.admin_code == "4"
    assert province.parent == central
    communes = Unit.objects.filter(kind=UnitKind.COMMUNE)
    assert communes.count() == 56
    assert set(communes.values_list("parent_id", flat=True)) == {province.pk}
    assert Unit.objects.subtree_of(province).count() == 57
    assert Unit.objects.count() == 58
    for name in ("Xã Đông Khê", "Xã Đàm Thuỷ", "Phường Tân Giang"):
        unit = Unit.objects.get(name=name)
        assert unit.kind == UnitKind.COMMUNE
        assert unit.valid_from == REFORM
        assert unit.valid_to is None
        assert unit.is_descendant_of(province, include_self=False)
    tan_giang = Unit.objects.get(name="Phường Tân Giang")
    assert tan_giang.code == "01288"
    assert tan_giang.admin_code == "1288"
    assert tan_giang.union_name == "Hội LHPN phường Tân Giang"


def test_province_by_name():
    out = run(province="Cao Bằng")
    assert_cao_bang_imported()
    assert "Tỉnh/thành phố mới: 1; xã/phường mới: 56; đã có sẵn: 0" in out


@pytest.mark.parametrize("query", ["cao bang", "CAO BANG", "Tỉnh Cao Bằng", "tinh cao bang"])
def test_province_by_name_without_accents(query):
    run(province=query)
    assert_cao_bang_imported()


@pytest.mark.parametrize("query", ["4", "04"])
def test_province_by_code(query):
    run(province=query)
    assert_cao_bang_imported()


def test_city_by_name():
    run(province="ha noi")
    city = Unit.objects.get(kind=UnitKind.PROVINCE)
    assert city.name == "Thành phố Hà Nội"
    assert city.code == "01"
    assert Unit.objects.filter(parent=city, kind=UnitKind.COMMUNE).count() > 100
    assert admin_units.find_province("Thành phố Hà Nội").code.value == 1


def test_second_run_creates_nothing():
    run(province="Cao Bằng")
    paths = dict(Unit.objects.values_list("code", "path"))
    out = run(province="cao bang")
    assert "Tỉnh/thành phố mới: 0; xã/phường mới: 0; đã có sẵn: 57" in out
    assert dict(Unit.objects.values_list("code", "path")) == paths
    assert_cao_bang_imported()


def test_existing_tree_is_kept_and_completed():
    """A central unit and province created by hand (same codes) are reused, and so is a
    commune already there; branches below stay where they are."""
    central = make_unit("Trung ương Hội LHPN Việt Nam", UnitKind.CENTRAL, code="TW")
    province = make_unit("Tỉnh Cao Bằng", UnitKind.PROVINCE, central, code="04")
    commune = make_unit("Phường Tân Giang", UnitKind.COMMUNE, province, code="01288")
    branch = make_unit("Chi hội Tổ dân phố 1", UnitKind.BRANCH, commune, code="01288-CH01")
    out = run(province="4")
    assert "Tỉnh/thành phố mới: 0; xã/phường mới: 55; đã có sẵn: 2" in out
    assert Unit.objects.filter(kind=UnitKind.CENTRAL).count() == 1
    assert Unit.objects.filter(kind=UnitKind.PROVINCE).get() == province
    assert Unit.objects.filter(parent=province).count() == 56
    assert Unit.objects.filter(name="Phường Tân Giang").get() == commune
    assert Unit.objects.get(pk=branch.pk).parent == commune


@pytest.mark.parametrize(
    "query", ["Sài Gòn", "99", "0", "tinh", "", "²", "٤", "4\x00", "-4", "9" * 40]
)
def test_unknown_province_is_a_command_error(query):
    with pytest.raises(CommandError, match="Không tìm thấy tỉnh, thành phố"):
        run(province=query)
    assert not Unit.objects.exists()


def test_province_or_all_is_required():
    with pytest.raises(CommandError):
        call_command("import_admin_units")


def test_commune_code_taken_elsewhere_is_a_command_error_and_nothing_is_created():
    """A commune's official code already used by a unit outside the province (for instance
    typed by hand before the import) stops the import of that province cleanly."""
    central = make_unit("Trung ương Hội LHPN Việt Nam", UnitKind.CENTRAL, code="TW")
    other = make_unit("Tỉnh Lạng Sơn", UnitKind.PROVINCE, central, code="20")
    make_unit("Xã nhập tay", UnitKind.COMMUNE, other, code="01786")  # Xã Đông Khê's code
    before = Unit.objects.count()
    with pytest.raises(CommandError, match="01786"):
        run(province="Cao Bằng")
    assert Unit.objects.count() == before


def test_all_provinces_and_communes():
    out = run(all=True)
    assert "Tỉnh/thành phố mới: 34; xã/phường mới: 3321; đã có sẵn: 0" in out
    central = Unit.objects.get(kind=UnitKind.CENTRAL)
    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE)
    assert provinces.count() == 34
    assert set(provinces.values_list("parent_id", flat=True)) == {central.pk}
    communes = Unit.objects.filter(kind=UnitKind.COMMUNE)
    assert communes.count() == 3321
    assert not communes.exclude(valid_from=REFORM).exists()
    assert not communes.exclude(parent__kind=UnitKind.PROVINCE).exists()
    assert Unit.objects.count() == 1 + 34 + 3321
    for name in ("Xã Đông Khê", "Xã Đàm Thuỷ", "Phường Tân Giang"):
        unit = Unit.objects.get(name=name)
        assert unit.kind == UnitKind.COMMUNE
        assert unit.valid_from == REFORM
        assert unit.parent.code == "04"
    # Paths and depths are consistent for the whole tree.
    hcm = provinces.get(code="79")
    assert hcm.name == "Thành phố Hồ Chí Minh"
    assert Unit.objects.subtree_of(hcm, include_self=False).count() == (
        Unit.objects.filter(parent=hcm).count()
    )
    assert set(communes.values_list("depth", flat=True)) == {2}
    # Running again adds nothing.
    assert "xã/phường mới: 0" in run(all=True)
    assert Unit.objects.count() == 1 + 34 + 3321
