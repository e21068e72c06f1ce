"""The Excel exports of the subject, nomination and exemplar lists: text typed by a commune stays
text in the province's copy; numbers stay numbers."""

import datetime as dt

from guongsang.exemplars import services
from guongsang.exemplars.models import Movement, ReviewAction
from guongsang.units.models import Unit

from ..xlsx import HOSTILE, assert_text_cells, column, download


def _hostile_units(cast, first: Unit, second: Unit) -> None:
    # Unit names are not stripped by any form: the leading tab and carriage return go there.
    Unit.objects.filter(pk=first.pk).update(name=HOSTILE[4])
    Unit.objects.filter(pk=second.pk).update(name=HOSTILE[5])


def test_subject_export_writes_typed_text_as_text(world):
    cast = world.cast
    world.subject(name=HOSTILE[0], ethnicity=HOSTILE[1], position=HOSTILE[2])
    world.subject(name=HOSTILE[3], unit=cast.branch_b, birth_year=1990)
    _hostile_units(cast, cast.branch_a, cast.branch_b)

    book = download(cast.client_for(cast.province_admin), "/dien-hinh/doi-tuong/?xuat=xlsx")
    assert_text_cells(book, HOSTILE)
    years = sorted((c.value, c.data_type) for c in column(book, "Năm sinh"))
    assert years == [(1985, "n"), (1990, "n")]
    assert [c.data_type for c in column(book, "STT")] == ["n", "n"]


def test_nomination_export_writes_typed_text_as_text(world):
    cast = world.cast
    world.nominate(world.subject(name=HOSTILE[0], ethnicity=HOSTILE[1]))
    world.nominate(world.subject(name=HOSTILE[2], unit=cast.branch_b))
    Movement.objects.filter(pk=world.movement.pk).update(name=HOSTILE[3])
    _hostile_units(cast, cast.branch_a, cast.branch_b)

    book = download(cast.client_for(cast.province_admin), "/dien-hinh/de-cu/?xuat=xlsx")
    assert_text_cells(book, HOSTILE)
    years = column(book, "Năm")
    assert len(years) == 2 and all(isinstance(c.value, int) and c.data_type == "n" for c in years)


def test_exemplar_export_writes_typed_text_as_text(world):
    cast = world.cast
    world.recognised(name=HOSTILE[0])
    # The decision number is typed by the reviewer who recognises.
    services.nomination_review(
        by=world.reviewer,
        nomination=world.at_province(name=HOSTILE[1], birth_year=1970),
        action=ReviewAction.RECOGNISE,
        decision_ref=HOSTILE[2],
        decision_date=dt.date(2026, 1, 15),
    )
    Movement.objects.filter(pk=world.movement.pk).update(name=HOSTILE[3])
    _hostile_units(cast, cast.branch_a, cast.province)

    book = download(cast.client_for(cast.province_admin), "/dien-hinh/so-dien-hinh/?xuat=xlsx")
    assert_text_cells(book, HOSTILE)
    years = column(book, "Năm")
    assert len(years) == 2 and all(isinstance(c.value, int) and c.data_type == "n" for c in years)
