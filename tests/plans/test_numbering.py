"""Numbers from a register per issuing organ and year; symbols and date lines as Decree 30/2020 says."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from guongsang.core.templatetags.vn import ngay_thang
from guongsang.plans import printing, services
from guongsang.plans.models import DocType, Document, Organ, Register

from .conftest import TODAY, frozen, make_plan


def test_first_plan_of_the_year_is_05_style_zero_padded(cast):
    with frozen(TODAY):
        doc = make_plan(cast.province_admin, cast.province, [cast.commune_a])
    assert doc.number == 1
    assert doc.symbol == "01/KH-BTV"
    assert doc.number_line == "Số: 01/KH-BTV"


def test_numbers_run_per_organ_and_year_and_across_types(cast):
    admin = cast.province_admin
    with frozen(TODAY):
        a = make_plan(admin, cast.province, [cast.commune_a], tasks=[])
        b = make_plan(admin, cast.province, [cast.commune_a], tasks=[], doc_type=DocType.BC)
        c = make_plan(admin, cast.province, [cast.commune_a], tasks=[], organ=Organ.BCH)
        d = make_plan(admin, cast.province, [], tasks=[], doc_type=DocType.CV, drafting_code="KT")
        last_year = make_plan(
            admin, cast.province, [cast.commune_a], tasks=[], issue_on=dt.date(2025, 12, 31)
        )
    assert [a.symbol, b.symbol, c.symbol, d.symbol] == [
        "01/KH-BTV",
        "02/BC-BTV",
        "01/KH-BCH",
        "03/BTV-KT",
    ]
    assert last_year.symbol == "01/KH-BTV" and last_year.year == 2025
    # Another unit has its own register.
    with frozen(TODAY):
        own = make_plan(cast.a_admin, cast.commune_a, [cast.branch_a], tasks=[])
    assert own.symbol == "01/KH-BTV"


def test_cong_van_has_no_type_code_and_needs_a_drafting_unit(cast):
    with pytest.raises(ValidationError) as err:
        services.document_save(
            by=cast.province_admin,
            unit=cast.province,
            organ=Organ.BTV,
            doc_type=DocType.CV,
            abstract="Đôn đốc báo cáo",
        )
    assert "drafting_code" in err.value.message_dict
    Register.objects.create(unit=cast.province, organ=Organ.BTV, year=TODAY.year, last_number=313)
    with frozen(TODAY):
        doc = make_plan(
            cast.province_admin,
            cast.province,
            [],
            tasks=[],
            doc_type=DocType.CV,
            drafting_code="kt",
            abstract="đôn đốc báo cáo",
        )
    assert doc.symbol == "314/BTV-KT"
    lay = printing.layout(doc)
    assert lay.type_heading == "" and lay.cv_abstract == "V/v đôn đốc báo cáo"


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (dt.date(2017, 7, 28), "ngày 28 tháng 7 năm 2017"),
        (dt.date(2024, 2, 5), "ngày 05 tháng 02 năm 2024"),
        (dt.date(2025, 1, 9), "ngày 09 tháng 01 năm 2025"),
        (dt.date(2025, 3, 1), "ngày 01 tháng 3 năm 2025"),
        (dt.date(2025, 12, 10), "ngày 10 tháng 12 năm 2025"),
    ],
)
def test_date_line_pads_days_1_to_9_and_months_1_2(day, line):
    assert ngay_thang(day) == line


def test_place_and_date_line_of_an_issued_document(cast):
    with frozen(TODAY):
        doc = make_plan(
            cast.province_admin, cast.province, [cast.commune_a], issue_on=dt.date(2017, 7, 28)
        )
    assert printing.layout(doc).date_line == "Cao Bằng, ngày 28 tháng 7 năm 2017"
    with frozen(TODAY):
        own = make_plan(cast.a_admin, cast.commune_a, [cast.branch_a], tasks=[])
    assert printing.layout(own).date_line == "Đông Khê, ngày 02 tháng 3 năm 2026"


def test_a_failed_issue_gives_its_number_back(cast):
    with frozen(TODAY):
        draft = make_plan(cast.province_admin, cast.province, [cast.commune_a], issue_on=False)
        with pytest.raises(RuntimeError), transaction.atomic():
            services.document_issue(document=draft, by=cast.province_admin)
            raise RuntimeError("the e-mail server fell over")
        draft.refresh_from_db()
        assert draft.number is None and draft.status == "draft"
        doc = services.document_issue(document=draft, by=cast.province_admin)
    assert doc.number == 1


def test_issuing_twice_or_in_the_future_is_refused(cast, plan):
    with pytest.raises(ValidationError):
        services.document_issue(document=plan, by=cast.province_admin)
    draft = make_plan(cast.province_admin, cast.province, [cast.commune_a], issue_on=False)
    with pytest.raises(ValidationError) as err:
        services.document_issue(
            document=draft, by=cast.province_admin, on=dt.date.today() + dt.timedelta(days=3)
        )
    assert "Ngày ban hành không được sau hôm nay." in err.value.messages


def test_two_documents_issued_at_the_same_moment_never_share_a_number(transactional_db, cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (SQLite serialises every write)")
    drafts = [
        make_plan(cast.province_admin, cast.province, [cast.commune_a], issue_on=False)
        for _ in range(6)
    ]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def issue(doc):
        try:
            barrier.wait(timeout=10)
            services.document_issue(document=doc, by=cast.province_admin)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(Document.objects.filter(status="issued").values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]
    assert Register.objects.get().last_number == 6
