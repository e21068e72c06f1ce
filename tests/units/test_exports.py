"""The units import template: the parent's code, typed by an admin, is written as text."""

from guongsang.units.models import Unit

from ..xlsx import HOSTILE, assert_text_cells, download


def test_import_template_writes_the_parent_code_as_text(cast):
    client = cast.client_for(cast.a_admin)
    for code in HOSTILE:
        Unit.objects.filter(pk=cast.commune_a.pk).update(code=code)
        book = download(client, f"/don-vi/mau-nhap.xlsx?don_vi={cast.commune_a.pk}")
        assert_text_cells(book, [code])
        ws = book["Đơn vị"]
        assert ws["D2"].value == code and ws["A2"].value == f"{code}-CH01"
        assert ws["A2"].data_type == "s"
