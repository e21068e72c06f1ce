"""The activity log's Excel export and the import template: what users typed stays text; counts
and dates keep their type."""

from guongsang.outreach import services
from guongsang.units.models import Unit

from ..xlsx import HOSTILE, assert_text_cells, column, download
from .conftest import make_activity


def test_activity_export_writes_typed_text_as_text(cast):
    for title in HOSTILE[:4]:
        make_activity(cast.a_staff, cast.branch_a, title=title, participants=25, members=20)
    # Unit names are not stripped by any form: the leading tab and carriage return go there.
    make_activity(cast.a_staff, cast.commune_a)
    Unit.objects.filter(pk=cast.branch_a.pk).update(name=HOSTILE[4])
    Unit.objects.filter(pk=cast.commune_a.pk).update(name=HOSTILE[5])

    book = download(cast.client_for(cast.a_staff), "/tuyen-truyen/?xuat=xlsx")
    assert_text_cells(book, HOSTILE)
    people = column(book, "Số người tham dự")
    assert sorted(c.value for c in people) == [25, 25, 25, 25, 40]
    assert all(c.data_type == "n" for c in people + column(book, "Trong đó hội viên"))
    assert all(c.is_date for c in column(book, "Ngày"))


def test_activity_template_writes_form_names_and_codes_as_text(cast):
    for name in HOSTILE[:4]:
        services.activity_form_save(by=cast.province_admin, name=name)
    Unit.objects.filter(pk=cast.commune_a.pk).update(code=HOSTILE[4])

    book = download(cast.client_for(cast.a_staff), "/tuyen-truyen/mau-nhap.xlsx")
    assert_text_cells(book, [*HOSTILE[:5]])
    assert book["Hoạt động"]["A2"].value == HOSTILE[4]  # her own unit's code, as stored
    example = book["Hoạt động"][2]
    assert [(c.value, c.data_type) for c in example[4:6]] == [(42, "n"), (38, "n")]
