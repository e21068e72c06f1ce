"""Commune A never sees commune B's subjects, nominations, exemplars or files: not by page, list,
export, search, API or forged POST. The outsider sees nothing; the branch viewer only her branch."""

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from openpyxl import load_workbook

from guongsang.awards.models import Award
from guongsang.exemplars import access as ex
from guongsang.exemplars import services
from guongsang.exemplars import urls as exemplar_urls
from guongsang.exemplars.models import (
    Attachment,
    CriterionAnswer,
    CriterionGroup,
    Exemplar,
    Nomination,
    NurtureNote,
    Replication,
    ReviewAction,
    ReviewStep,
    SubjectKind,
)
from guongsang.exemplars.services import CriterionSpec

from ..api.test_units_api import Api
from .test_uploads import pdf_upload

A_NAMES = ["Nông Thị Hạnh", "Hoàng Thị Duyên"]
B_NAMES = ["Triệu Thị Mai", "Lý Thị Bích", "Đinh Thị Cúc"]


class Both:
    """Objects of commune A and commune B in every state, with files."""

    def __init__(self, world):
        cast = self.cast = world.cast
        self.world = world

        def with_file(nomination, by):
            world.complete(nomination, by=by)
            return services.attachment_add(by=by, nomination=nomination, upload=pdf_upload())

        # Commune A: a recognised individual from branch A1 and a household draft of the commune.
        a_subject = world.subject(SubjectKind.INDIVIDUAL, name="Nông Thị Hạnh")
        self.a_nomination = world.nominate(a_subject)
        self.a_attachment = with_file(self.a_nomination, cast.a_staff)
        services.nomination_submit(by=cast.a_staff, nomination=self.a_nomination)
        services.nomination_review(by=cast.a_admin, nomination=self.a_nomination, action="forward")
        services.nomination_review(
            by=world.reviewer,
            nomination=self.a_nomination,
            action=ReviewAction.RECOGNISE,
            decision_ref="45/QĐ-BTV",
            decision_date=dt.date(2026, 1, 15),
        )
        self.a_exemplar = Exemplar.objects.get(nomination=self.a_nomination)
        self.a_draft = world.nominate(
            world.subject(SubjectKind.HOUSEHOLD, unit=cast.commune_a, name="Hoàng Thị Duyên")
        )

        # Commune B: a recognised individual, a household draft with a file, a submitted one.
        b_subject = world.subject(SubjectKind.INDIVIDUAL, unit=cast.branch_b, name="Triệu Thị Mai")
        self.b_subject = b_subject
        self.b_nomination = world.nominate(b_subject)
        self.b_attachment = with_file(self.b_nomination, cast.b_staff)
        services.nomination_submit(by=cast.b_staff, nomination=self.b_nomination)
        services.nomination_review(
            by=cast.province_admin, nomination=self.b_nomination, action="forward"
        )
        services.nomination_review(
            by=world.reviewer,
            nomination=self.b_nomination,
            action=ReviewAction.RECOGNISE,
            decision_ref="46/QĐ-BTV",
            decision_date=dt.date(2026, 1, 15),
        )
        self.b_exemplar = Exemplar.objects.get(nomination=self.b_nomination)
        services.nurture_note_add(
            by=cast.b_staff,
            exemplar=self.b_exemplar,
            date=dt.date(2026, 5, 1),
            text="Tập huấn kỹ năng may cho chị Mai",
        )
        self.b_draft = world.nominate(
            world.subject(SubjectKind.HOUSEHOLD, unit=cast.branch_b, name="Lý Thị Bích")
        )
        self.b_draft_attachment = with_file(self.b_draft, cast.b_staff)
        self.b_submitted = world.submitted(unit=cast.branch_b, name="Đinh Thị Cúc")
        self.b_set = services.criteria_set_create(
            by=cast.b_staff,
            unit=cast.commune_b,
            name="Tiêu chí riêng của phường Tân Giang",
            year=2026,
            groups=[(CriterionGroup.GENERAL, "Chung", [CriterionSpec("Tiêu chí phường")])],
        )

    def b_ids(self) -> dict[str, int]:
        """For every exemplars URL that takes an id: one of commune B's objects."""
        return {
            "criteria_set_detail": self.b_set.pk,
            "subject_detail": self.b_subject.pk,
            "subject_edit": self.b_subject.pk,
            "nomination_detail": self.b_draft.pk,
            "nomination_edit": self.b_draft.pk,
            "nomination_submit": self.b_draft.pk,
            "nomination_review": self.b_submitted.pk,
            "attachment_upload": self.b_draft.pk,
            "attachment_download": self.b_draft_attachment.pk,
            "attachment_delete": self.b_draft_attachment.pk,
            "exemplar_detail": self.b_exemplar.pk,
        }

    def b_state(self) -> tuple:
        """Everything of commune B a forged request could change."""
        return (
            list(
                Nomination.objects.filter(proposing_unit__in=self.b_units())
                .order_by("pk")
                .values_list("state", "version", "current_unit_id", "achievement_report")
            ),
            ReviewStep.objects.filter(nomination__proposing_unit__in=self.b_units()).count(),
            list(
                CriterionAnswer.objects.filter(nomination__proposing_unit__in=self.b_units())
                .order_by("pk")
                .values_list("met", "evidence_text")
            ),
            Attachment.objects.filter(nomination__proposing_unit__in=self.b_units()).count(),
            Award.objects.filter(subject__unit__in=self.b_units()).count(),
            Exemplar.objects.filter(subject__unit__in=self.b_units()).count(),
            NurtureNote.objects.count(),
            Replication.objects.count(),
            self.b_set.groups.get().criteria.count(),
        )

    def b_units(self):
        return [self.cast.commune_b, self.cast.branch_b]


@pytest.fixture
def both(world) -> Both:
    return Both(world)


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def xlsx_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def pk_url_names() -> list[str]:
    return [
        p.name
        for p in exemplar_urls.urlpatterns
        if isinstance(p, URLPattern) and "<int:pk>" in str(p.pattern)
    ]


# ---- pages ------------------------------------------------------------------------------------
def test_every_exemplars_url_with_b_ids_is_404_for_commune_a(both):
    cast = both.cast
    ids = both.b_ids()
    assert set(pk_url_names()) == set(ids), "map every new exemplars URL to one of B's objects"
    before = both.b_state()
    for who in (cast.a_staff, cast.a_admin, cast.branch_viewer, cast.outsider):
        client = cast.client_for(who)
        for name, pk in ids.items():
            url = reverse(f"exemplars:{name}", args=[pk])
            assert client.get(url).status_code in (404, 405), (who, name)
            data = {
                "action": "recognise",
                "comment": "giả mạo",
                "version": 1,
                "achievement_report": "giả mạo",
                "title": "Gia đình văn hóa",
                "aw-name": "Gia đình văn hóa",
                "aw-year": 2026,
                "year": 2026,
                "nt-text": "giả mạo",
                "nt-date": "2026-05-01",
                "c-text": "giả mạo",
                "c-group": 1,
                "file": pdf_upload(),
            }
            assert client.post(url, data).status_code == 404, (who, name)
        url = reverse("exemplars:nomination_create") + f"?doi_tuong={both.b_subject.pk}"
        assert client.get(url).status_code == 404
    assert both.b_state() == before
    # The same URLs work for commune B's staff (sanity check of the ids).
    client = cast.client_for(cast.b_staff)
    for name in ("subject_detail", "nomination_detail", "nomination_edit", "exemplar_detail"):
        assert client.get(reverse(f"exemplars:{name}", args=[ids[name]])).status_code == 200


LIST_PAGES = [
    "exemplars:dashboard",
    "exemplars:subject_list",
    "exemplars:nomination_list",
    "exemplars:exemplar_list",
    "exemplars:queue",
    "exemplars:criteria_set_list",
    "exemplars:round_list",
]


@pytest.mark.parametrize("user_name", ["a_staff", "a_admin"])
def test_lists_exports_and_search_never_show_commune_b(both, user_name):
    cast = both.cast
    client = cast.client_for(getattr(cast, user_name))
    for name in LIST_PAGES:
        for params in ({}, {"q": "thi"}, {"cap_duoi": "1"}, {"nam": "2026"}):
            body = text_of(client.get(reverse(name), params))
            for b_name in [*B_NAMES, "Tiêu chí riêng của phường Tân Giang"]:
                assert b_name not in body, (name, params, b_name)
    listed = text_of(client.get(reverse("exemplars:subject_list")))
    assert all(a_name in listed for a_name in A_NAMES)

    for name in ("exemplars:nomination_list", "exemplars:exemplar_list"):
        rows = xlsx_rows(client.get(reverse(name), {"xuat": "xlsx"}))
        cells = {str(c) for row in rows for c in row}
        assert "Nông Thị Hạnh" in cells
        assert not cells & set(B_NAMES)
        assert not any("Tân Giang" in c for c in cells)

    # Searching for B's people by name finds nothing.
    for name in ("exemplars:subject_list", "exemplars:nomination_list", "exemplars:exemplar_list"):
        body = text_of(client.get(reverse(name), {"q": "trieu thi mai"}))
        assert "Triệu Thị Mai" not in body
    # Filtering by B's unit is a 404, not an empty list that confirms it exists.
    for name in ("exemplars:subject_list", "exemplars:nomination_list", "exemplars:exemplar_list"):
        assert client.get(reverse(name), {"don_vi": cast.commune_b.pk}).status_code == 404


def test_access_layer_querysets_exclude_commune_b(both):
    cast = both.cast
    for who in (cast.a_staff, cast.a_admin):
        assert not ex.subjects_for(who).filter(unit=cast.branch_b).exists()
        names = set(ex.nominations_for(who).values_list("subject__name", flat=True))
        assert names == set(A_NAMES)
        assert list(ex.exemplars_for(who)) == [both.a_exemplar]
        assert list(ex.queue_for(who, below=True)) == []
        assert both.b_set not in ex.criteria_sets_for(who)
    province = set(ex.nominations_for(cast.province_admin).values_list("subject__name", flat=True))
    assert province == set(A_NAMES + B_NAMES)


def test_province_sees_both_communes(both):
    client = both.cast.client_for(both.cast.province_admin)
    body = text_of(client.get(reverse("exemplars:nomination_list")))
    assert all(name in body for name in A_NAMES + B_NAMES)
    body = text_of(client.get(reverse("exemplars:subject_list"), {"q": "trieu thi mai"}))
    assert "Triệu Thị Mai" in body


# ---- forged POSTs -----------------------------------------------------------------------------
def test_forged_posts_on_commune_b_change_nothing(both):
    cast = both.cast
    client = cast.client_for(cast.a_admin)
    before = both.b_state()
    submitted = Nomination.objects.get(pk=both.b_submitted.pk)
    for action in ("forward", "return", "reject", "recognise"):
        response = client.post(
            reverse("exemplars:nomination_review", args=[submitted.pk]),
            {"action": action, "comment": "giả mạo", "version": submitted.version},
        )
        assert response.status_code == 404
    assert (
        client.post(
            reverse("exemplars:nomination_submit", args=[both.b_draft.pk]), {"version": 1}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("exemplars:attachment_upload", args=[both.b_draft.pk]), {"file": pdf_upload()}
        ).status_code
        == 404
    )
    criterion = both.world.criterion(
        "Chấp hành tốt chủ trương của Đảng, pháp luật của Nhà nước và quy định của địa phương"
    )
    assert (
        client.post(
            reverse("exemplars:nomination_edit", args=[both.b_draft.pk]),
            {f"met_{criterion.pk}": "0", "achievement_report": "giả mạo", "submit": "1"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("exemplars:attachment_delete", args=[both.b_draft_attachment.pk])
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("exemplars:subject_detail", args=[both.b_subject.pk]),
            {"aw-name": "Gia đình văn hóa", "aw-year": 2026},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("exemplars:exemplar_detail", args=[both.b_exemplar.pk]),
            {"rp-adopting_unit": cast.commune_a.pk, "rp-date": "2026-05-01", "rp-result": "x"},
        ).status_code
        == 404
    )
    # Creating a nomination for B's subject.
    response = client.post(
        reverse("exemplars:nomination_create"),
        {
            "doi_tuong": both.b_subject.pk,
            "category": "new_model",
            "review_round": both.world.round.pk,
            "movement": both.world.movement.pk,
            "criteria_set": both.world.criteria_set.pk,
        },
    )
    assert response.status_code == 404
    assert both.b_state() == before


def test_services_refuse_commune_b_too(both):
    """The services re-check what the views checked."""
    from django.core.exceptions import ValidationError

    cast = both.cast
    before = both.b_state()
    with pytest.raises(ValidationError):
        services.nomination_review(
            by=cast.a_admin, nomination=both.b_submitted, action="return", comment="x"
        )
    with pytest.raises(ValidationError):
        services.nomination_save(by=cast.a_staff, nomination=both.b_draft, answers={})
    with pytest.raises(ValidationError):
        services.attachment_add(by=cast.a_staff, nomination=both.b_draft, upload=pdf_upload())
    with pytest.raises(ValidationError):
        services.nurture_note_add(
            by=cast.a_staff, exemplar=both.b_exemplar, date=dt.date(2026, 5, 1), text="x"
        )
    with pytest.raises(ValidationError):
        services.nomination_create(
            by=cast.a_staff,
            subject=both.b_subject,
            category="new_model",
            movement=both.world.movement,
            criteria_set=both.world.criteria_set,
            review_round=both.world.round,
        )
    assert both.b_state() == before


# ---- API --------------------------------------------------------------------------------------
def test_api_lists_exclude_and_details_404_for_commune_b(both):
    cast = both.cast
    api = Api(cast.a_admin)
    for url in ("/api/v1/subjects", "/api/v1/nominations", "/api/v1/exemplars"):
        body = api.ok(url, page_size=100)
        names = {item.get("subject_name") or item.get("name") for item in body["items"]}
        assert names and not names & set(B_NAMES), url
    sets = api.ok("/api/v1/criteria-sets")["items"]
    assert both.b_set.pk not in {s["id"] for s in sets}
    for url in (
        f"/api/v1/subjects/{both.b_subject.pk}",
        f"/api/v1/nominations/{both.b_draft.pk}",
        f"/api/v1/nominations/{both.b_submitted.pk}",
        f"/api/v1/exemplars/{both.b_exemplar.pk}",
        f"/api/v1/criteria-sets/{both.b_set.pk}",
    ):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Không tìm thấy."}
    assert api.get("/api/v1/nominations", unit=cast.commune_b.pk).status_code == 404
    before = both.b_state()
    version = Nomination.objects.get(pk=both.b_submitted.pk).version
    for action in ("forward", "return", "reject", "recognise"):
        response = api.client.post(
            f"/api/v1/nominations/{both.b_submitted.pk}/{action}",
            {"expected_version": version, "comment": "giả mạo"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {api.token}"},
        )
        assert response.status_code == 404
    for path, body in (
        (f"/api/v1/nominations/{both.b_draft.pk}/submit", {}),
        (f"/api/v1/nominations/{both.b_draft.pk}/answers", {"achievement_report": "x"}),
    ):
        response = api.client.post(
            path,
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {api.token}"},
        )
        assert response.status_code == 404
    assert both.b_state() == before


# ---- outsider, branch viewer, merged communes -------------------------------------------------
def test_outsider_sees_nothing(both):
    cast = both.cast
    client = cast.client_for(cast.outsider)
    for name in LIST_PAGES:
        body = text_of(client.get(reverse(name)))
        for person in A_NAMES + B_NAMES:
            assert person not in body, (name, person)
    for obj_name, pk in {
        "subject_detail": both.a_nomination.subject_id,
        "nomination_detail": both.a_nomination.pk,
        "exemplar_detail": both.a_exemplar.pk,
        "attachment_download": both.a_attachment.pk,
    }.items():
        assert client.get(reverse(f"exemplars:{obj_name}", args=[pk])).status_code == 404
    assert not ex.subjects_for(cast.outsider).exists()
    assert not ex.nominations_for(cast.outsider).exists()
    assert not ex.exemplars_for(cast.outsider).exists()
    # The province's criteria set and round do not reach another province.
    assert not ex.criteria_sets_for(cast.outsider).exists()
    assert not ex.rounds_for(cast.outsider).exists()
    api = Api(cast.outsider)
    for url in ("/api/v1/subjects", "/api/v1/nominations", "/api/v1/exemplars"):
        assert api.ok(url)["count"] == 0
    # Anonymous visitors are sent to the login page.
    for name in LIST_PAGES:
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_branch_viewer_sees_only_her_branch(both):
    cast = both.cast
    world = both.world
    group_subject = world.subject(SubjectKind.HOUSEHOLD, unit=cast.group_a, name="Bế Thị Thu")
    viewer = cast.branch_viewer
    names = set(ex.subjects_for(viewer).values_list("name", flat=True))
    assert names == {"Nông Thị Hạnh", "Bế Thị Thu"}  # not commune A's own "Hoàng Thị Duyên"
    body = text_of(cast.client_for(viewer).get(reverse("exemplars:subject_list")))
    assert "Nông Thị Hạnh" in body and "Bế Thị Thu" in body
    assert "Hoàng Thị Duyên" not in body
    for person in B_NAMES:
        assert person not in body
    client = cast.client_for(viewer)
    assert (
        client.get(reverse("exemplars:subject_detail", args=[both.a_draft.subject_id])).status_code
        == 404
    )
    assert (
        client.get(reverse("exemplars:nomination_detail", args=[both.a_draft.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("exemplars:subject_detail", args=[group_subject.pk])).status_code == 200
    )
    # Read only: no phone numbers, no edit links, no way to create.
    api_names = {s["name"] for s in Api(viewer).ok("/api/v1/subjects")["items"]}
    assert api_names == {"Nông Thị Hạnh", "Bế Thị Thu"}
    assert client.get(reverse("exemplars:subject_create")).status_code == 404
    assert (
        client.get(reverse("exemplars:nomination_edit", args=[both.a_nomination.pk])).status_code
        == 404
    )


def test_commune_reads_the_history_of_the_commune_it_absorbed(both):
    cast = both.cast
    old = services.subject_create(
        by=cast.province_admin,
        unit=cast.former_commune,
        kind=SubjectKind.COLLECTIVE,
        name="Chi hội Thị trấn cũ",
    )
    assert old in ex.subjects_for(cast.a_staff)
    assert old not in ex.subjects_for(cast.a_staff, perm="edit")
    assert old not in ex.subjects_for(cast.b_staff)
    assert re.search(
        "Chi hội Thị trấn cũ",
        text_of(
            cast.client_for(cast.a_staff).get(reverse("exemplars:subject_detail", args=[old.pk]))
        ),
    )
