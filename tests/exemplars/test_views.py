"""The pages: each renders for the right user with the right content; lists filter, search
without accents, sort people by given name and export what they show; bad input is kept; list
pages do not issue more queries as nominations grow."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone
from openpyxl import load_workbook

from guongsang.exemplars import services
from guongsang.exemplars import urls as exemplar_urls
from guongsang.exemplars.models import (
    Category,
    CriterionAnswer,
    Exemplar,
    Nomination,
    NominationState,
    ReviewAction,
    Subject,
    SubjectKind,
)

from .conftest import G1, I2, this_year
from .test_uploads import pdf_upload

S = NominationState

# Given names Ánh < Hạnh < Hoa < Lan < Mai < Yến; by family name the order would differ.
PEOPLE = [
    ("Nông Thị Mai", 1980),
    ("Bế Thị Hoa", 1975),
    ("Âu Thị Yến", 1970),
    ("Đàm Thị Lan", 1990),
    ("Lý Thị Ánh", 1988),
    ("Nông Thị Hạnh", 1985),
]
GIVEN_ORDER = [
    "Lý Thị Ánh",
    "Nông Thị Hạnh",
    "Bế Thị Hoa",
    "Đàm Thị Lan",
    "Nông Thị Mai",
    "Âu Thị Yến",
]


def page(client, name, *args, **params):
    response = client.get(reverse(f"exemplars:{name}", args=args), params)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def linked(html: str, detail_name: str) -> list[str]:
    """Names linked to detail pages of one kind, in page order."""
    prefix = reverse(f"exemplars:{detail_name}", args=[1])[:-2]
    return [m.group(2) for m in re.finditer(re.escape(prefix) + r'(\d+)/">([^<]+)</a>', html)]


def xlsx_names(response) -> list[str]:
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("STT", "Đối tượng")
    assert [r[0] for r in rows[1:]] == list(range(1, len(rows)))
    return [r[1] for r in rows[1:]]


@pytest.fixture
def people(world):
    """Six individuals of branch A1 in several states, a household and a collective of commune
    A, and one individual of commune B."""
    cast = world.cast
    made = {}
    for name, year in PEOPLE:
        made[name] = world.nominate(world.subject(name=name, birth_year=year))
    # Mai and Hạnh recognised; Hoa waiting at the commune; Lan waiting at the province;
    # Yến returned; Ánh a draft (new model).
    for name in ("Nông Thị Mai", "Nông Thị Hạnh", "Bế Thị Hoa", "Đàm Thị Lan", "Âu Thị Yến"):
        world.complete(made[name])
        services.nomination_submit(by=cast.a_staff, nomination=made[name])
    for name in ("Nông Thị Mai", "Nông Thị Hạnh", "Đàm Thị Lan", "Âu Thị Yến"):
        services.nomination_review(by=cast.a_admin, nomination=made[name], action="forward")
    for name in ("Nông Thị Mai", "Nông Thị Hạnh"):
        services.nomination_review(
            by=world.reviewer,
            nomination=made[name],
            action="recognise",
            decision_ref="45/QĐ-BTV",
            decision_date=timezone.localdate(),
        )
    services.nomination_review(
        by=world.reviewer, nomination=made["Âu Thị Yến"], action="return", comment="Bổ sung"
    )
    services.nomination_save(
        by=cast.a_staff, nomination=made["Lý Thị Ánh"], answers={}, category=Category.NEW_MODEL
    )
    made["Hoàng Thị Duyên"] = world.nominate(
        world.subject(SubjectKind.HOUSEHOLD, unit=cast.commune_a, name="Hoàng Thị Duyên"),
        category=Category.NEW_FACTOR,
    )
    made["Chi hội Pác Khoang"] = world.nominate(
        world.subject(SubjectKind.COLLECTIVE, unit=cast.commune_a, name="Chi hội Pác Khoang")
    )
    made["Triệu Thị Nga B"] = world.nominate(
        world.subject(unit=cast.branch_b, name="Triệu Thị Ngân")
    )
    return made


# ---- every page renders -----------------------------------------------------------------------
POST_ONLY = {"nomination_submit", "nomination_review", "attachment_upload", "attachment_delete"}


def test_every_page_renders_for_the_right_user(world, people):
    cast = world.cast
    draft = people["Lý Thị Ánh"]
    attachment = services.attachment_add(by=cast.a_staff, nomination=draft, upload=pdf_upload())
    exemplar = Exemplar.objects.get(nomination=people["Nông Thị Mai"])
    args = {
        "criteria_set_detail": [world.criteria_set.pk],
        "subject_detail": [draft.subject_id],
        "subject_edit": [draft.subject_id],
        "nomination_detail": [draft.pk],
        "nomination_edit": [draft.pk],
        "attachment_download": [attachment.pk],
        "exemplar_detail": [exemplar.pk],
    }
    names = [p.name for p in exemplar_urls.urlpatterns if isinstance(p, URLPattern)]
    client = cast.client_for(cast.a_staff)
    for name in names:
        if name in POST_ONLY:
            assert client.get(reverse(f"exemplars:{name}", args=[draft.pk])).status_code == 405
            continue
        url = reverse(f"exemplars:{name}", args=args.get(name, []))
        if name == "nomination_create":
            url += f"?doi_tuong={draft.subject_id}"
        assert client.get(url).status_code == 200, name


def test_dashboard_counts_and_queue(world, people):
    cast = world.cast
    html = page(cast.client_for(cast.a_admin), "dashboard")
    # Commune A's counts: Ánh, Duyên, Pác Khoang drafts; Hoa and Lan under review; Yến returned;
    # Mai and Hạnh recognised; nothing of commune B.
    for label, n in (
        ("Đang soạn", 3),
        ("Đang xét duyệt", 2),
        ("Trả lại để bổ sung", 1),
        ("Không duyệt", 0),
        ("Đã công nhận", 2),
        ("Điển hình trong sổ", 2),
    ):
        assert f"<dt>{label}</dt><dd>{n}</dd>" in html, label
    assert "Hồ sơ chờ bạn xét (1)" in html
    assert linked(html, "nomination_detail")[:1] == ["Bế Thị Hoa"]
    assert "Triệu Thị Ngân" not in html
    # The province reviewer's desk holds Lan.
    html = page(cast.client_for(world.reviewer), "dashboard")
    assert "Hồ sơ chờ bạn xét (1)" in html
    assert "Đàm Thị Lan" in linked(html, "nomination_detail")


def test_queue_shows_the_desk_and_flags_overdue(world, people):
    cast = world.cast
    html = page(cast.client_for(cast.a_admin), "queue")
    assert linked(html, "nomination_detail") == ["Bế Thị Hoa"]
    assert "Quá hạn" not in html
    html = page(cast.client_for(world.reviewer), "queue")
    assert linked(html, "nomination_detail") == ["Đàm Thị Lan"]
    html = page(cast.client_for(world.reviewer), "queue", cap_duoi="1")
    assert set(linked(html, "nomination_detail")) == {"Bế Thị Hoa", "Đàm Thị Lan"}
    # Past the deadline: flagged.
    world.round.deadline = timezone.localdate() - dt.timedelta(days=2)
    world.round.save()
    html = page(cast.client_for(cast.a_admin), "queue")
    assert "Quá hạn" in html
    assert "Quá hạn" in page(
        cast.client_for(cast.a_admin), "nomination_list", trang_thai="submitted"
    )
    assert "Quá hạn" in page(
        cast.client_for(cast.a_admin), "nomination_detail", people["Bế Thị Hoa"].pk
    )


# ---- lists: order, search, filters, export ----------------------------------------------------
def test_lists_sort_people_by_given_name(world, people, settings):
    client = world.cast.client_for(world.cast.a_staff)
    html = page(client, "subject_list", doi_tuong="individual")
    assert linked(html, "subject_detail") == GIVEN_ORDER
    assert GIVEN_ORDER.index("Bế Thị Hoa") < GIVEN_ORDER.index("Đàm Thị Lan")
    assert GIVEN_ORDER.index("Đàm Thị Lan") < GIVEN_ORDER.index("Nông Thị Mai")
    html = page(client, "nomination_list", doi_tuong="individual")
    assert linked(html, "nomination_detail") == GIVEN_ORDER
    html = page(client, "exemplar_list")
    assert linked(html, "exemplar_detail") == ["Nông Thị Hạnh", "Nông Thị Mai"]
    # Households and collectives take their place by their name.
    everyone = linked(page(client, "subject_list"), "subject_detail")
    assert set(everyone) == {*GIVEN_ORDER, "Hoàng Thị Duyên", "Chi hội Pác Khoang"}
    # Configurable: the full name as written (stored keys recomputed by the command).
    settings.NAME_SORT = "full"
    call_command("refresh_sort_keys", stdout=io.StringIO())
    html = page(client, "subject_list", doi_tuong="individual")
    assert linked(html, "subject_detail") == [
        "Âu Thị Yến",
        "Bế Thị Hoa",
        "Đàm Thị Lan",
        "Lý Thị Ánh",
        "Nông Thị Hạnh",
        "Nông Thị Mai",
    ]


@pytest.mark.parametrize("query", ["nong thi hanh", "NÔNG THỊ HẠNH", "  hanh  nong ", "Hạnh"])
def test_search_ignores_accents_and_case(world, people, query):
    client = world.cast.client_for(world.cast.a_staff)
    for list_name, detail in (
        ("subject_list", "subject_detail"),
        ("nomination_list", "nomination_detail"),
        ("exemplar_list", "exemplar_detail"),
    ):
        html = page(client, list_name, q=query)
        assert linked(html, detail) == ["Nông Thị Hạnh"], list_name
        assert f'value="{query.strip()}"' in html or query.strip() in html  # kept in the box
    assert linked(page(client, "subject_list", q="thi"), "subject_detail")  # many
    assert linked(page(client, "subject_list", q="khong co ai"), "subject_detail") == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {*GIVEN_ORDER, "Hoàng Thị Duyên", "Chi hội Pác Khoang"}),
        ({"trang_thai": "submitted"}, {"Bế Thị Hoa", "Đàm Thị Lan"}),
        ({"trang_thai": "recognised"}, {"Nông Thị Mai", "Nông Thị Hạnh"}),
        ({"trang_thai": "returned"}, {"Âu Thị Yến"}),
        ({"loai": "new_model"}, {"Lý Thị Ánh"}),
        ({"loai": "new_factor"}, {"Hoàng Thị Duyên"}),
        ({"doi_tuong": "collective"}, {"Chi hội Pác Khoang"}),
        ({"doi_tuong": "household", "trang_thai": "draft"}, {"Hoàng Thị Duyên"}),
        ({"nam": "2015"}, set()),
        ({"don_vi": "branch_a"}, set(GIVEN_ORDER)),
        ({"don_vi": "commune_a", "doi_tuong": "household"}, {"Hoàng Thị Duyên"}),
        ({"q": "nong", "trang_thai": "recognised"}, {"Nông Thị Mai", "Nông Thị Hạnh"}),
        ({"trang_thai": "khong-co"}, {*GIVEN_ORDER, "Hoàng Thị Duyên", "Chi hội Pác Khoang"}),
    ],
)
def test_nomination_list_filters_and_export_match(world, people, params, expected):
    cast = world.cast
    params = dict(params)
    if "don_vi" in params:
        params["don_vi"] = getattr(cast, params["don_vi"]).pk
    client = cast.client_for(cast.a_admin)
    shown = linked(page(client, "nomination_list", **params), "nomination_detail")
    assert set(shown) == expected
    assert len(shown) == len(expected)
    exported = xlsx_names(
        client.get(reverse("exemplars:nomination_list"), {**params, "xuat": "xlsx"})
    )
    assert exported == shown


def test_nomination_list_filters_by_year_and_movement(world, people):
    cast = world.cast
    other = services.movement_create(
        by=None,
        unit=cast.central,
        kind="campaign",
        name="Xây dựng gia đình 5 không, 3 sạch",
        start_year=2010,
    )
    client = cast.client_for(cast.a_admin)
    everyone = linked(page(client, "nomination_list"), "nomination_detail")
    assert linked(page(client, "nomination_list", nam=this_year()), "nomination_detail") == (
        everyone
    )
    assert (
        linked(page(client, "nomination_list", phong_trao=world.movement.pk), "nomination_detail")
        == everyone
    )
    assert linked(page(client, "nomination_list", phong_trao=other.pk), "nomination_detail") == []


def test_exemplar_export_matches_the_filtered_list(world, people):
    client = world.cast.client_for(world.cast.a_staff)
    for params in ({}, {"q": "mai"}, {"doi_tuong": "household"}, {"nam": this_year()}):
        shown = linked(page(client, "exemplar_list", **params), "exemplar_detail")
        response = client.get(reverse("exemplars:exemplar_list"), {**params, "xuat": "xlsx"})
        assert xlsx_names(response) == shown
    rows = list(
        load_workbook(
            io.BytesIO(client.get(reverse("exemplars:exemplar_list"), {"xuat": "xlsx"}).content)
        ).active.iter_rows(values_only=True)
    )
    assert rows[1][5:8] == (this_year(), "Chi hội Nà Pàn", "Tỉnh Cao Bằng")


# ---- forms keep the user's input --------------------------------------------------------------
def test_subject_form_keeps_input_on_a_bad_birth_year(world):
    cast = world.cast
    client = cast.client_for(cast.a_staff)
    data = {
        "kind": "individual",
        "unit": cast.branch_a.pk,
        "name": "Lục Thị Ngọc",
        "gender": "female",
        "ethnicity": "Nùng",
        "position": "Tổ trưởng tổ phụ nữ",
        "phone": "0987654321",
    }
    for birth_year in ("1850", "19a0", str(this_year() + 5)):
        response = client.post(
            reverse("exemplars:subject_create"), {**data, "birth_year": birth_year}
        )
        assert response.status_code == 200, birth_year
        html = response.content.decode()
        assert 'value="Lục Thị Ngọc"' in html
        assert 'value="Tổ trưởng tổ phụ nữ"' in html
        assert 'value="0987654321"' in html
        assert f'value="{birth_year}"' in html
        assert '<option value="Nùng" selected>' in html
        assert "errorlist" in html
    assert not Subject.objects.exists()
    response = client.post(reverse("exemplars:subject_create"), {**data, "birth_year": "1986"})
    assert response.status_code == 302
    assert Subject.objects.get().birth_year == 1986


def test_subject_form_flags_a_duplicate_and_saves_when_confirmed(world):
    cast = world.cast
    existing = world.subject(name="Nông Thị Hạnh", birth_year=1985)
    client = cast.client_for(cast.a_admin)
    data = {
        "kind": "individual",
        "unit": cast.commune_a.pk,
        "name": "nong thi hanh",
        "gender": "female",
        "birth_year": "1985",
    }
    response = client.post(reverse("exemplars:subject_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Có thể trùng" in html
    assert reverse("exemplars:subject_detail", args=[existing.pk]) in html
    assert 'value="nong thi hanh"' in html
    assert Subject.objects.count() == 1
    response = client.post(reverse("exemplars:subject_create"), {**data, "not_duplicate": "on"})
    assert response.status_code == 302
    assert Subject.objects.count() == 2


def test_nomination_edit_page_saves_drafts_and_names_problems(world):
    cast = world.cast
    nomination = world.nominate(world.subject())
    client = cast.client_for(cast.a_staff)
    url = reverse("exemplars:nomination_edit", args=[nomination.pk])
    g1 = world.criterion(G1)
    response = client.post(
        url,
        {f"met_{g1.pk}": "1", f"evidence_{g1.pk}": "Giấy khen", "achievement_report": "Bản nháp"},
    )
    assert response.status_code == 302
    answer = CriterionAnswer.objects.get(nomination=nomination, criterion=g1)
    assert (answer.met, answer.evidence_text) == (True, "Giấy khen")
    others = CriterionAnswer.objects.filter(nomination=nomination).exclude(criterion=g1)
    assert {a.met for a in others} <= {None}  # the rest stays unanswered
    # "Save and submit" with gaps: saved, not sent, every gap named.
    response = client.post(
        url, {f"met_{g1.pk}": "1", "achievement_report": "Bản nháp 2", "submit": "1"}, follow=True
    )
    html = response.content.decode()
    assert "Đã lưu nhưng chưa gửi được" in html
    assert f"Chưa đạt tiêu chí bắt buộc: “{I2}”." in html
    assert f"Thiếu minh chứng cho tiêu chí: “{G1}”." in html
    nomination.refresh_from_db()
    assert nomination.state == S.DRAFT
    assert nomination.achievement_report == "Bản nháp 2"


def test_nomination_create_page(world):
    cast = world.cast
    subject = world.subject()
    client = cast.client_for(cast.a_staff)
    url = reverse("exemplars:nomination_create") + f"?doi_tuong={subject.pk}"
    html = page(client, "nomination_create", doi_tuong=subject.pk)
    assert world.round.name in html and world.criteria_set.name in html
    response = client.post(
        url,
        {
            "doi_tuong": subject.pk,
            "category": "new_model",
            "review_round": world.round.pk,
            "movement": world.movement.pk,
            "criteria_set": world.criteria_set.pk,
        },
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exemplars:nomination_edit", args=[nomination.pk])
    assert (nomination.proposed_by, nomination.state) == (cast.a_staff, S.DRAFT)
    # The branch viewer may not nominate.
    assert cast.client_for(cast.branch_viewer).get(url).status_code == 404


# ---- detail pages -----------------------------------------------------------------------------
def test_nomination_detail_shows_criteria_trail_and_the_right_actions(world):
    cast = world.cast
    nomination = world.submitted()
    services.nomination_review(
        by=cast.a_admin, nomination=nomination, action="forward", comment="Đề nghị tỉnh xét"
    )
    url_name = "nomination_detail"
    reviewer_html = page(cast.client_for(world.reviewer), url_name, nomination.pk)
    assert G1 in reviewer_html and I2 in reviewer_html
    assert "Bế Thị Hoa" in reviewer_html and "Đàm Thị Lan" in reviewer_html
    assert "Đề nghị tỉnh xét" in reviewer_html
    assert 'value="recognise"' in reviewer_html and 'value="forward"' not in reviewer_html
    for who in (cast.a_staff, cast.branch_viewer):
        html = page(cast.client_for(who), url_name, nomination.pk)
        assert 'name="action"' not in html
        assert "Đề nghị tỉnh xét" in html  # the trail is shown to the proposers
    # A commune reviewer sees forward, not recognise, while it is at her desk.
    other = world.submitted(name="Hà Thị Thơm")
    html = page(cast.client_for(cast.a_admin), url_name, other.pk)
    assert 'value="forward"' in html and 'value="recognise"' not in html


def test_subject_phone_and_id_only_for_editors(world):
    cast = world.cast
    subject = world.subject(phone="0912345678", id_number="004185001234", address="Xóm Nà Pàn")
    for who in (cast.a_staff, cast.a_admin, cast.province_admin):
        html = page(cast.client_for(who), "subject_detail", subject.pk)
        assert "0912345678" in html and "004185001234" in html
    for who in (cast.branch_viewer, world.reviewer):
        html = page(cast.client_for(who), "subject_detail", subject.pk)
        assert "Nông Thị Hạnh" in html
        assert "0912345678" not in html and "004185001234" not in html
        assert "Xóm Nà Pàn" not in html
    # Never in list pages or exports.
    world.complete(world.nominate(subject))
    client = cast.client_for(cast.a_admin)
    for name in ("subject_list", "nomination_list"):
        assert "0912345678" not in page(client, name)
    export = client.get(reverse("exemplars:nomination_list"), {"xuat": "xlsx"}).content
    cells = {
        str(c)
        for row in load_workbook(io.BytesIO(export)).active.iter_rows(values_only=True)
        for c in row
    }
    assert "0912345678" not in cells and "004185001234" not in cells


def test_exemplar_page_nurture_replication_and_subject_history(world):
    cast = world.cast
    nomination = world.recognised()
    exemplar = Exemplar.objects.get(nomination=nomination)
    client = cast.client_for(cast.a_staff)
    url = reverse("exemplars:exemplar_detail", args=[exemplar.pk])
    response = client.post(url, {"nt-date": "2026-10-20", "nt-text": "Tập huấn làm du lịch"})
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "rp-adopting_unit": cast.branch_a.pk,
            "rp-date": "2026-11-05",
            "rp-result": "3 hộ bắt đầu đón khách",
        },
    )
    assert response.status_code == 302
    html = page(client, "exemplar_detail", exemplar.pk)
    assert "Tập huấn làm du lịch" in html and "3 hộ bắt đầu đón khách" in html
    assert "45/QĐ-BTV" in html
    history = page(client, "subject_detail", nomination.subject_id)
    assert "Tập huấn làm du lịch" in history and "3 hộ bắt đầu đón khách" in history
    assert reverse("exemplars:nomination_detail", args=[nomination.pk]) in history
    # The branch viewer reads, but may not write.
    viewer = cast.client_for(cast.branch_viewer)
    assert viewer.post(url, {"nt-date": "2026-10-21", "nt-text": "giả mạo"}).status_code == 404
    assert "giả mạo" not in page(client, "exemplar_detail", exemplar.pk)


def test_catalogue_pages(world):
    cast = world.cast
    world.nominate(world.subject())
    client = cast.client_for(cast.a_staff)
    assert world.movement.name in page(client, "movement_list")
    assert world.round.name in page(client, "round_list")
    assert world.criteria_set.name in page(client, "criteria_set_list")
    html = page(client, "criteria_set_detail", world.criteria_set.pk)
    for text in ("Tiêu chí chung", "Tập thể", "Cá nhân", "Hộ gia đình", G1, I2):
        assert text in html
    assert "phải có danh hiệu “Gia đình văn hóa”" in html
    assert "hãy tạo phiên bản mới" in html
    # Only the province (issuer) may add a new version.
    assert 'name="new_version"' not in html
    admin = cast.client_for(cast.province_admin)
    assert 'name="new_version"' in page(admin, "criteria_set_detail", world.criteria_set.pk)
    response = admin.post(
        reverse("exemplars:criteria_set_detail", args=[world.criteria_set.pk]), {"new_version": "1"}
    )
    assert response.status_code == 302
    copy = world.criteria_set.next_versions.get()
    assert response["Location"] == reverse("exemplars:criteria_set_detail", args=[copy.pk])


# ---- query counts -----------------------------------------------------------------------------
def add_nominations(world, n: int, start: int = 0) -> None:
    """``n`` subjects at branch A1, each with a nomination waiting at commune A and an exemplar
    (made directly: this is about the pages' queries, not the pipeline)."""
    cast = world.cast
    kinds = [SubjectKind.INDIVIDUAL, SubjectKind.HOUSEHOLD, SubjectKind.COLLECTIVE]
    for i in range(start, start + n):
        subject = Subject.objects.create(
            kind=kinds[i % 3],
            unit=cast.branch_a if i % 2 else cast.group_a,
            name=f"Nông Thị Hoa {i:03d}",
            birth_year=1970 + i % 30,
            created_by=cast.a_staff,
        )
        Nomination.objects.create(
            subject=subject,
            category=Category.ADVANCED_EXEMPLAR,
            movement=world.movement,
            criteria_set=world.criteria_set,
            review_round=world.round,
            year=this_year(),
            proposing_unit=subject.unit,
            proposed_by=cast.a_staff,
            current_unit=cast.commune_a,
            state=[S.SUBMITTED, S.DRAFT, S.RETURNED][i % 3],
            submitted_at=timezone.now(),
        )
        Exemplar.objects.create(
            subject=subject,
            category=Category.NEW_MODEL,
            movement=world.movement,
            year=this_year() - i % 3,
            recognising_unit=cast.province,
            recognised_at=timezone.now(),
        )


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("nomination_list", {}),
        ("nomination_list", {"q": "hoa", "trang_thai": "submitted"}),
        ("subject_list", {}),
        ("exemplar_list", {}),
        ("queue", {}),
        ("queue", {"cap_duoi": "1"}),
        ("dashboard", {}),
    ],
)
def test_page_queries_do_not_grow_with_nominations(
    world, name, params, django_assert_max_num_queries
):
    add_nominations(world, 3)
    client = world.cast.client_for(world.cast.a_admin)
    url = reverse(f"exemplars:{name}")
    client.get(url, params)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    add_nominations(world, 27, start=3)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url, params)
    assert response.status_code == 200
    assert response.content.decode().count("Nông Thị Hoa 0") >= 3


def test_review_action_buttons_need_the_version(world):
    """The review form posts the version it showed; a missing version is refused."""
    cast = world.cast
    nomination = world.submitted()
    response = cast.client_for(cast.a_admin).post(
        reverse("exemplars:nomination_review", args=[nomination.pk]),
        {"action": ReviewAction.FORWARD},
        follow=True,
    )
    assert "Thao tác không hợp lệ." in response.content.decode()
    assert Nomination.objects.get(pk=nomination.pk).current_unit == cast.commune_a


def test_subject_list_exports_without_private_fields(world):
    import io

    from openpyxl import load_workbook

    cast = world.cast
    services.subject_create(
        by=cast.a_staff,
        unit=cast.branch_a,
        kind="individual",
        name="Lương Thị Phượng",
        gender="female",
        birth_year=1988,
        phone="0987654321",
        id_number="012345678901",
        address="Số 5 đường Kim Đồng",
    )
    response = cast.client_for(cast.a_staff).get(
        reverse("exemplars:subject_list"), {"xuat": "xlsx"}
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Lương Thị Phượng" in values
    assert not any(v in values for v in ("0987654321", "012345678901", "Số 5 đường Kim Đồng"))


def test_past_recognition_goes_into_the_registry(world):
    cast = world.cast
    subject = world.subject()
    client = cast.client_for(cast.a_staff)
    response = client.post(
        reverse("exemplars:subject_detail", args=[subject.pk]),
        {
            "ex-category": "advanced_exemplar",
            "ex-movement": world.movement.pk,
            "ex-year": "2019",
            "ex-recognising_unit": cast.province.pk,
            "ex-recognised_on": "2019-12-20",
            "ex-decision_ref": "12/QĐ-BTV",
        },
    )
    assert response.status_code == 302
    exemplar = subject.exemplars.get()
    assert (exemplar.year, exemplar.recognising_unit, exemplar.nomination) == (
        2019,
        cast.province,
        None,
    )
    # A level that is not above the subject's unit is refused.
    response = client.post(
        reverse("exemplars:subject_detail", args=[subject.pk]),
        {
            "ex-category": "advanced_exemplar",
            "ex-movement": world.movement.pk,
            "ex-year": "2019",
            "ex-recognising_unit": cast.commune_b.pk,
            "ex-recognised_on": "2019-12-20",
        },
    )
    assert response.status_code == 200 and subject.exemplars.count() == 1
    # B cannot write into A's subject.
    assert (
        cast.client_for(cast.b_staff)
        .post(reverse("exemplars:subject_detail", args=[subject.pk]), {"ex-year": "2019"})
        .status_code
        == 404
    )


def test_editing_a_subject_into_a_likely_duplicate_asks_first(world):
    cast = world.cast
    services.subject_create(
        by=cast.a_staff,
        unit=cast.branch_a,
        kind="individual",
        name="Nông Thị Hạnh",
        gender="female",
        birth_year=1985,
    )
    other = services.subject_create(
        by=cast.a_staff,
        unit=cast.branch_a,
        kind="individual",
        name="Nông Thị Hà",
        gender="female",
        birth_year=1985,
    )
    client = cast.client_for(cast.a_staff)
    url = reverse("exemplars:subject_edit", args=[other.pk])
    data = {"name": "nong thi hanh", "gender": "female", "birth_year": "1985"}
    response = client.post(url, data)
    assert response.status_code == 200 and "Có thể trùng" in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Nông Thị Hà"
    assert client.post(url, {**data, "not_duplicate": "on"}).status_code == 302
    other.refresh_from_db()
    assert other.name == "nong thi hanh"


def test_subject_list_rows_show_each_field_escaped(world):
    cast = world.cast
    odd = Subject.objects.create(
        kind=SubjectKind.HOUSEHOLD,
        unit=cast.branch_a,
        name='Hộ <b>Lò</b> "Văn" & Sáu',
        ethnicity="Thái",
        birth_year=None,
        created_by=cast.a_staff,
    )
    plain = Subject.objects.create(
        kind=SubjectKind.INDIVIDUAL,
        unit=cast.branch_a,
        name="Nông Thị Ánh",
        birth_year=1981,
        created_by=cast.a_staff,
    )
    html = cast.client_for(cast.a_staff).get(reverse("exemplars:subject_list")).content.decode()
    url = reverse("exemplars:subject_detail", args=[odd.pk])
    assert f'<a href="{url}">Hộ &lt;b&gt;Lò&lt;/b&gt; &quot;Văn&quot; &amp; Sáu</a>' in html
    assert "<b>Lò</b>" not in html
    row = html[html.index(url) : html.index("</tr>", html.index(url))]
    assert ">Hộ gia đình</td>" in row and '"Dân tộc">Thái</td>' in row
    assert '"Năm sinh">—</td>' in row
    row = html[html.index(reverse("exemplars:subject_detail", args=[plain.pk])) :]
    row = row[: row.index("</tr>")]
    assert ">Cá nhân</td>" in row and '"Năm sinh">1981</td>' in row and '"Dân tộc">—</td>' in row
    assert f">{cast.branch_a.name}</td>" in row
