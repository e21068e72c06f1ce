"""The emulation home and the block pages: the province officer organises her communes into
clusters by year (new, edit, copy last year's), a member commune sees its cluster, a commune of
another cluster and a user of another province get 404, past years stay read-only, bad input
never a 500."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from guongsang.emulation import services
from guongsang.emulation.models import Block, BlockMember
from guongsang.units.models import UnitKind

from ..factories import Role, make_unit, make_user

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def url(name, *args):
    return reverse(f"emulation:{name}", args=args)


class World:
    pass


@pytest.fixture
def emu(cast):
    """Cluster 1: Đông Khê (leader) and Tân Giang (deputy); cluster 2: Xã Quang Trung (leader)
    and Xã Hòa An. A points table of the province for the communes (I: 40 + 60, II: bonus 5,
    penalty 5)."""
    w = World()
    w.cast = cast
    w.commune_c = make_unit("Xã Quang Trung", UnitKind.COMMUNE, cast.province)
    w.commune_d = make_unit("Xã Hòa An", UnitKind.COMMUNE, cast.province)
    w.c_staff = make_user(w.commune_c, Role.STAFF, username="c.staff", full_name="Hà Thị Cúc")
    by = cast.province_admin
    w.one = services.block_save(
        by=by,
        organiser=cast.province,
        year=YEAR,
        name="Cụm thi đua số 1",
        members=[cast.commune_a, cast.commune_b],
        leader=cast.commune_a,
        deputy=cast.commune_b,
    )
    w.two = services.block_save(
        by=by,
        organiser=cast.province,
        year=YEAR,
        name="Cụm thi đua số 2",
        members=[w.commune_c, w.commune_d],
        leader=w.commune_c,
    )
    w.table = services.table_create(
        by=by, issuing_unit=cast.province, year=YEAR, level=UnitKind.COMMUNE, name="Bảng điểm xã"
    )
    g1 = services.group_add(by=by, table=w.table, code="I", title="Công tác tuyên truyền")
    services.criterion_add(
        by=by,
        group=g1,
        code="1.1",
        text="Hoạt động",
        max_points=Decimal(40),
        evidence_required=True,
    )
    services.criterion_add(by=by, group=g1, code="1.2", text="Điển hình", max_points=Decimal(60))
    g2 = services.group_add(by=by, table=w.table, code="II", title="Thưởng, trừ")
    services.criterion_add(
        by=by, group=g2, code="2.1", text="Mô hình mới", max_points=Decimal(5), kind="bonus"
    )
    services.criterion_add(
        by=by, group=g2, code="2.2", text="Báo cáo chậm", max_points=Decimal(5), kind="penalty"
    )
    w.login = cast.client_for
    return w


def _past_block(w):
    """A block of last year, made as it was then (the service refuses past years now)."""
    cast = w.cast
    block = Block.objects.create(
        organiser=cast.province,
        year=YEAR - 1,
        name="Cụm thi đua số 1",
        leader=cast.commune_a,
        deputy=cast.commune_b,
        created_by=cast.province_admin,
    )
    for n, unit in enumerate([cast.commune_a, cast.commune_b]):
        BlockMember.objects.create(
            block=block, unit=unit, organiser=cast.province, year=YEAR - 1, order=n
        )
    return block


# ---- home -------------------------------------------------------------------------------------
def test_home_of_the_organiser(emu):
    page = emu.login(emu.cast.province_admin).get(url("home"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Cụm, khối thi đua do Hội LHPN tỉnh Cao Bằng tổ chức" in text
    assert "Cụm thi đua số 1" in text and "Cụm thi đua số 2" in text
    assert "Xã Đông Khê" in text and "Phường Tân Giang" in text  # leader, deputy
    assert "Lập cụm, khối mới" in text
    assert "Bảng điểm thi đua năm" in text
    assert "Sao chép cụm, khối" not in text  # nothing last year
    # Her province is in no block: the member section says so.
    assert "chưa thuộc cụm, khối thi đua nào" in text


def test_home_of_a_member_commune(emu):
    text = emu.login(emu.cast.a_staff).get(url("home")).content.decode()
    assert "Cụm thi đua số 1" in text and "cụm trưởng" in text
    assert "Cụm thi đua số 2" not in text
    assert "Lập cụm, khối mới" not in text and "do Hội LHPN" not in text
    assert url("pledge_detail", emu.one.pk, emu.cast.commune_a.pk) in text


def test_home_empty_for_the_outsider_and_other_years(emu):
    text = emu.login(emu.cast.outsider).get(url("home")).content.decode()
    assert "Cụm thi đua số" not in text
    assert "Cụm, khối thi đua do Hội LHPN tỉnh Lạng Sơn tổ chức" in text
    assert "Chưa có cụm, khối thi đua nào" in text
    page = emu.login(emu.cast.province_admin).get(url("home"), {"nam": YEAR + 1})
    text = page.content.decode()
    assert f"Thi đua năm {YEAR + 1}" in text and "Cụm thi đua số 1" not in text
    assert f"Sao chép cụm, khối năm {YEAR} sang năm {YEAR + 1}" in text


@pytest.mark.parametrize("bad", ["２０２６", "٢٠٢٦", "99999", "-1", "2026\x00", "x" * 300])
def test_home_bad_year_is_a_message(emu, bad):
    page = emu.login(emu.cast.province_admin).get(url("home"), {"nam": bad})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Năm phải là số từ 1900 đến 2100." in text
    assert f"Thi đua năm {YEAR}" in text  # the current year instead


def test_home_past_year_is_read_only(emu):
    _past_block(emu)
    text = emu.login(emu.cast.province_admin).get(url("home"), {"nam": YEAR - 1}).content.decode()
    assert "chỉ xem được" in text and "Cụm thi đua số 1" in text
    assert "Lập cụm, khối mới" not in text


def test_home_query_count(emu, django_assert_max_num_queries):
    cast = emu.cast
    for n in range(15):
        unit = make_unit(f"Xã Thêm {n}", UnitKind.COMMUNE, cast.province)
        services.block_save(
            by=cast.province_admin,
            organiser=cast.province,
            year=YEAR,
            name=f"Cụm thêm {n}",
            members=[unit],
            leader=unit,
        )
    client = emu.login(cast.province_admin)
    with django_assert_max_num_queries(14):  # + the two queue counts
        page = client.get(url("home"))
    assert page.content.decode().count("Cụm thêm") == 15


# ---- creating and changing a block -------------------------------------------------------------
def test_create_a_block(emu):
    cast = emu.cast
    client = emu.login(cast.province_admin)
    create = url("block_create") + f"?don_vi={cast.province.pk}&nam={YEAR}"
    page = client.get(create)
    text = page.content.decode()
    assert page.status_code == 200
    # The province's communes one level down, with the cluster each is already in; no
    # department, no closed district, no branch.
    assert "Xã Đông Khê (Cụm thi đua số 1)" in text
    assert "Huyện Thạch An" not in text and "Chi hội Nà Pàn" not in text
    unit = make_unit("Xã Phục Hòa", UnitKind.COMMUNE, cast.province)
    other = make_unit("Xã Thạch An", UnitKind.COMMUNE, cast.province)
    response = client.post(
        create,
        {
            "name": "  Cụm thi đua   số 3 ",
            "kind": "block",
            "members": [unit.pk, other.pk],
            "leader": other.pk,
            "deputy": unit.pk,
            "note": "Các xã phía Đông",
        },
    )
    block = Block.objects.get(name="Cụm thi đua số 3")
    assert response.status_code == 302 and response["Location"] == url("block_detail", block.pk)
    assert (block.kind, block.leader, block.deputy, block.year) == ("block", other, unit, YEAR)
    assert set(block.members.values_list("unit", flat=True)) == {unit.pk, other.pk}


def test_block_form_refuses_bad_input_with_messages(emu):
    cast = emu.cast
    client = emu.login(cast.province_admin)
    create = url("block_create") + f"?don_vi={cast.province.pk}&nam={YEAR}"
    cases = [
        (
            {"name": "Cụm\x00", "kind": "cluster", "members": [cast.commune_a.pk]},
            "ký tự điều khiển",
        ),
        ({"name": "Cụm X", "kind": "cluster", "members": []}, "Chọn các đơn vị của cụm, khối."),
        # A unit of another province, a branch: not among the choices.
        ({"name": "Cụm X", "kind": "cluster", "members": [cast.other_commune.pk]}, "không thuộc"),
        ({"name": "Cụm X", "kind": "cluster", "members": [cast.branch_a.pk]}, "không thuộc"),
        ({"name": "Cụm X", "kind": "cluster", "members": ["１"]}, "không thuộc"),
        # Already in cluster 1 this year.
        ({"name": "Cụm X", "kind": "cluster", "members": [cast.commune_a.pk]}, "cụm, khối khác"),
        # The leader must be a member.
        (
            {
                "name": "Cụm X",
                "kind": "cluster",
                "members": [emu.commune_c.pk],
                "leader": cast.commune_a.pk,
            },
            "phải là đơn vị trong cụm",
        ),
        ({"name": "Cụm X", "kind": "king", "members": [emu.commune_c.pk]}, "Hãy chọn"),
        (
            {"name": "Cụm X", "kind": "cluster", "members": [emu.commune_c.pk], "leader": "9" * 30},
            "Chọn một đơn vị trong danh sách.",
        ),
    ]
    for data, message in cases:
        page = client.post(create, data)
        assert page.status_code == 200, data
        assert message in page.content.decode(), (data, message)
        assert 'value="Cụm X"' in page.content.decode() or "\x00" in data["name"]
    assert Block.objects.count() == 2


def test_create_is_only_for_the_organiser(emu):
    cast = emu.cast
    for user, unit in (
        (cast.a_admin, cast.province),  # a commune does not organise the province's clusters
        (cast.outsider, cast.province),
        (cast.a_admin, cast.commune_a),  # nor its own (communes are not organisers here)
        (cast.province_admin, cast.other_province),
    ):
        client = emu.login(user)
        assert client.get(url("block_create") + f"?don_vi={unit.pk}").status_code == 404
    client = emu.login(cast.province_admin)
    for query in ("", "?don_vi=abc", f"?don_vi={'9' * 30}", "?don_vi=٣"):
        assert client.get(url("block_create") + query).status_code == 404


def test_edit_a_block(emu):
    cast = emu.cast
    client = emu.login(cast.province_admin)
    page = client.get(url("block_edit", emu.one.pk))
    assert page.status_code == 200 and 'value="Cụm thi đua số 1"' in page.content.decode()
    response = client.post(
        url("block_edit", emu.one.pk),
        {
            "name": "Cụm thi đua số 1",
            "kind": "cluster",
            "members": [cast.commune_a.pk, cast.commune_b.pk],
            "leader": cast.commune_b.pk,
            "deputy": cast.commune_a.pk,
        },
    )
    assert response.status_code == 302
    emu.one.refresh_from_db()
    assert (emu.one.leader, emu.one.deputy) == (cast.commune_b, cast.commune_a)
    # Members, other communes, other provinces: 404 on the form.
    for user in (cast.a_admin, emu.c_staff, cast.outsider):
        assert emu.login(user).get(url("block_edit", emu.one.pk)).status_code == 404
        assert emu.login(user).post(url("block_edit", emu.one.pk), {}).status_code == 404


def test_past_years_block_is_read_only(emu):
    past = _past_block(emu)
    client = emu.login(emu.cast.province_admin)
    page = client.get(url("block_detail", past.pk))
    text = page.content.decode()
    assert page.status_code == 200 and "chỉ xem được" in text and "Sửa cụm, khối" not in text
    page = client.post(
        url("block_edit", past.pk),
        {"name": "Đổi tên", "kind": "cluster", "members": [emu.cast.commune_a.pk]},
    )
    assert page.status_code == 200
    assert "Cụm, khối của năm đã qua được giữ nguyên, không sửa được." in page.content.decode()
    past.refresh_from_db()
    assert past.name == "Cụm thi đua số 1"
    # Creating one for a past year: the same message, nothing made.
    page = client.post(
        url("block_create") + f"?don_vi={emu.cast.province.pk}&nam={YEAR - 1}",
        {"name": "Cụm cũ", "kind": "cluster", "members": [emu.commune_c.pk]},
    )
    assert "năm đã qua" in page.content.decode()
    assert not Block.objects.filter(name="Cụm cũ").exists()


def test_copy_last_years_blocks(emu):
    cast = emu.cast
    client = emu.login(cast.province_admin)
    response = client.post(url("blocks_copy"), {"don_vi": cast.province.pk, "nam": YEAR + 1})
    assert response.status_code == 302 and response["Location"].endswith(f"?nam={YEAR + 1}")
    copies = {b.name: b for b in Block.objects.filter(year=YEAR + 1)}
    assert set(copies) == {"Cụm thi đua số 1", "Cụm thi đua số 2"}
    assert copies["Cụm thi đua số 1"].leader == cast.commune_b  # the deputy leads next year
    # Again: nothing to copy, said so.
    page = client.post(
        url("blocks_copy"), {"don_vi": cast.province.pk, "nam": YEAR + 1}, follow=True
    )
    assert "Không có cụm, khối nào cần sao chép." in page.content.decode()
    # Not hers, or nonsense: 404.
    assert (
        emu.login(cast.a_admin)
        .post(url("blocks_copy"), {"don_vi": cast.province.pk, "nam": YEAR + 2})
        .status_code
        == 404
    )
    for bad in ({"don_vi": "x", "nam": YEAR}, {"don_vi": cast.province.pk, "nam": "99999"}):
        assert client.post(url("blocks_copy"), bad).status_code == 404
    assert client.get(url("blocks_copy")).status_code == 405


# ---- the block page ----------------------------------------------------------------------------
def test_block_page_for_the_organiser_and_members(emu):
    cast = emu.cast
    page = emu.login(cast.province_admin).get(url("block_detail", emu.one.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Xã Đông Khê" in text and "cụm trưởng" in text and "cụm phó" in text
    assert "Sửa cụm, khối" in text and "Chưa có giao ước" in text and "0/2" in text
    assert text.count("Ghi giao ước") == 2  # the organiser may record any member's
    text = emu.login(cast.b_staff).get(url("block_detail", emu.one.pk)).content.decode()
    assert "Sửa cụm, khối" not in text
    assert text.count("Ghi giao ước") == 1  # her own commune's only
    assert url("pledge_edit", emu.one.pk, cast.commune_b.pk) in text
    # A branch's viewer is no officer of the member commune.
    assert emu.login(cast.branch_viewer).get(url("block_detail", emu.one.pk)).status_code == 404


def test_block_page_is_404_for_others(emu):
    cast = emu.cast
    for user in (emu.c_staff, cast.outsider):
        assert emu.login(user).get(url("block_detail", emu.one.pk)).status_code == 404
    client = emu.login(cast.province_admin)
    assert client.get(url("block_detail", 10**6)).status_code == 404
    assert client.get(f"/thi-dua/cum/{'9' * 30}/").status_code == 404


def test_block_page_query_count(emu, django_assert_max_num_queries):
    from guongsang.emulation import pledges

    cast = emu.cast
    units = [make_unit(f"Xã Thêm {n}", UnitKind.COMMUNE, cast.province) for n in range(20)]
    block = services.block_save(
        by=cast.province_admin,
        organiser=cast.province,
        year=YEAR,
        name="Cụm lớn",
        members=units,
        leader=units[0],
        deputy=units[1],
    )
    for unit in units[:10]:
        pledges.pledge_save(by=cast.province_admin, block=block, unit=unit, targets=["a", "b"])
    client = emu.login(cast.province_admin)
    with django_assert_max_num_queries(12):
        page = client.get(url("block_detail", block.pk))
    text = page.content.decode()
    assert (
        text.count("Xã Thêm") == 22 and "10/20" in text
    )  # + leader, deputy and text.count("2 chỉ tiêu") == 10
