"""Who sees what in outreach: commune A never sees commune B's activities, stories or consents,
by page, export, file, API or forged POST; the outsider sees nothing; the public API needs no
token and shows only public stories."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from guongsang.outreach import services
from guongsang.outreach.models import Activity, Consent, Story, StoryState

from .conftest import SINH_HOAT, bearer, form, image_bytes, make_activity, token_for

ACTIVITIES = "/api/v1/activities"
PUBLIC_API = "/api/v1/public/stories"
B_TITLE = "Tọa đàm phụ nữ khởi nghiệp Tân Giang"
B_STORY = "Người thợ may ở Tân Giang"
B_SUBJECT = "Triệu Thị Mai"


@pytest.fixture
def b_side(column, cast):
    """Commune B's activity with a file, its exemplar, consent and stories."""
    activity = make_activity(cast.b_staff, cast.branch_b, B_TITLE)
    file = services.activity_file_add(
        by=cast.b_staff,
        activity=activity,
        upload=SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg"),
    )
    exemplar = column.exemplar(unit=cast.branch_b, name=B_SUBJECT)
    consent = column.consent(exemplar)
    story = column.published(exemplar, B_STORY)
    draft = column.draft(exemplar, "Bản nháp của Tân Giang")
    image = services.story_image_add(
        by=cast.b_staff,
        story=draft,
        upload=SimpleUploadedFile("anh.png", image_bytes("PNG"), "image/png"),
    )
    return {
        "activity": activity,
        "file": file,
        "exemplar": exemplar,
        "consent": consent,
        "story": story,
        "draft": draft,
        "image": image,
    }


def _text(response) -> str:
    return response.content.decode()


# ---- pages ------------------------------------------------------------------------------------
def test_commune_a_never_sees_commune_b_by_page(cast, b_side):
    mine = make_activity(cast.a_staff, cast.commune_a, "Hội nghị ở Đông Khê")
    for user in (cast.a_staff, cast.a_admin, cast.branch_viewer):
        client = cast.client_for(user)
        listing = client.get(reverse("outreach:activity_list"))
        assert B_TITLE not in _text(listing)
        assert [a.pk for a in listing.context["page"].object_list] == (
            [mine.pk] if user != cast.branch_viewer else []
        )
        assert (
            client.get(reverse("outreach:activity_list"), {"q": "toa dam"}).context["grand"]["n"]
            == 0
        )
        assert B_STORY not in _text(client.get(reverse("outreach:story_list")))
        pages = [
            reverse("outreach:activity_detail", args=[b_side["activity"].pk]),
            reverse("outreach:activity_file", args=[b_side["file"].pk]),
            reverse("outreach:story_edit", args=[b_side["story"].pk]),
            reverse("outreach:story_edit", args=[b_side["draft"].pk]),
            reverse("outreach:consent_page", args=[b_side["exemplar"].subject_id]),
            reverse("outreach:consent_scan", args=[b_side["consent"].pk]),
            reverse("outreach:story_create") + f"?dien_hinh={b_side['exemplar'].pk}",
            reverse("public:story_image", args=[b_side["image"].pk]),  # a draft's image
            reverse("outreach:activity_list") + f"?don_vi={cast.commune_b.pk}",
        ]
        for url in pages:
            assert client.get(url).status_code == 404, (user, url)


def test_commune_a_export_holds_nothing_of_commune_b(cast, b_side):
    make_activity(cast.a_staff, cast.commune_a, "Hội nghị ở Đông Khê")
    response = cast.client_for(cast.a_staff).get(
        reverse("outreach:activity_list"), {"xuat": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[4] for r in rows[1:]] == ["Hội nghị ở Đông Khê"]
    text = repr(rows)
    assert B_TITLE not in text and "Tân Giang" not in text
    # The export of an out-of-reach unit is a 404 like the page.
    response = cast.client_for(cast.a_staff).get(
        reverse("outreach:activity_list"), {"xuat": "xlsx", "don_vi": cast.commune_b.pk}
    )
    assert response.status_code == 404


def test_forged_posts_from_commune_a_change_nothing(cast, b_side):
    client = cast.client_for(cast.a_admin)
    activity, story, consent = b_side["activity"], b_side["story"], b_side["consent"]
    detail = reverse("outreach:activity_detail", args=[activity.pk])
    edit = {
        "date": "2026-11-01",
        "unit": cast.branch_a.pk,
        "form": form(SINH_HOAT).pk,
        "title": "Sửa trộm",
        "participants": 1,
        "members": 1,
    }
    attempts = [
        (detail, edit),
        (detail, {"delete": "1"}),
        (reverse("outreach:story_action", args=[story.pk]), {"action": "unpublish"}),
        (reverse("outreach:story_action", args=[b_side["draft"].pk]), {"action": "submit"}),
        (
            reverse("outreach:story_edit", args=[story.pk]),
            {"title": "Sửa trộm", "body": "<p>x</p>"},
        ),
        (
            reverse("outreach:story_image_upload", args=[story.pk]),
            {"image": SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg")},
        ),
        (reverse("outreach:consent_withdraw", args=[consent.pk]), {"note": "giả"}),
        (
            reverse("outreach:consent_page", args=[b_side["exemplar"].subject_id]),
            {"given_by": "Giả", "capacity": "Giả", "given_on": "2026-11-01", "purpose": "x"},
        ),
        (
            reverse("outreach:story_create"),
            {"dien_hinh": b_side["exemplar"].pk, "title": "Bài giả", "body": "<p>x</p>"},
        ),
    ]
    for url, data in attempts:
        assert client.post(url, data).status_code == 404, url
    activity.refresh_from_db()
    assert activity.title == B_TITLE
    story.refresh_from_db()
    assert (story.title, story.state) == (B_STORY, StoryState.PUBLISHED)
    assert story.images.count() == 0
    assert Story.objects.get(pk=b_side["draft"].pk).state == StoryState.DRAFT
    assert Story.objects.count() == 2
    consent.refresh_from_db()
    assert consent.active
    assert Consent.objects.count() == 1
    # And the quick entry will not put an activity on commune B's units.
    response = client.post(reverse("outreach:activity_create"), edit | {"unit": cast.branch_b.pk})
    assert response.status_code == 200
    assert Activity.objects.filter(unit__in=[cast.branch_b, cast.commune_b]).count() == 1


def test_the_viewer_reads_but_cannot_write(cast, column):
    activity = make_activity(cast.a_staff, cast.branch_a, "Sinh hoạt chi hội Nà Pàn")
    exemplar = column.exemplar()
    story = column.in_review(exemplar)
    consent = column.consent(exemplar)
    client = cast.client_for(cast.branch_viewer)
    assert client.get(reverse("outreach:activity_detail", args=[activity.pk])).status_code == 200
    assert client.get(reverse("outreach:story_edit", args=[story.pk])).status_code == 200
    page = client.get(reverse("outreach:consent_page", args=[exemplar.subject_id]))
    assert page.status_code == 200 and "Rút lại sự đồng ý" not in _text(page)
    assert (
        client.post(
            reverse("outreach:activity_detail", args=[activity.pk]), {"delete": "1"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("outreach:story_edit", args=[story.pk]), {"title": "x", "body": "<p>x</p>"}
        ).status_code
        == 404
    )
    assert client.post(reverse("outreach:consent_withdraw", args=[consent.pk])).status_code == 404
    client.post(reverse("outreach:story_action", args=[story.pk]), {"action": "publish"})
    assert Story.objects.get(pk=story.pk).state == StoryState.REVIEW
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_the_outsider_sees_nothing(cast, b_side):
    make_activity(cast.a_staff, cast.commune_a)
    client = cast.client_for(cast.outsider)
    listing = client.get(reverse("outreach:activity_list"))
    assert list(listing.context["page"].object_list) == []
    assert listing.context["grand"]["n"] == 0
    assert list(client.get(reverse("outreach:story_list")).context["page"].object_list) == []
    for url in (
        reverse("outreach:activity_detail", args=[b_side["activity"].pk]),
        reverse("outreach:story_edit", args=[b_side["story"].pk]),
        reverse("outreach:consent_page", args=[b_side["exemplar"].subject_id]),
        reverse("outreach:activity_file", args=[b_side["file"].pk]),
    ):
        assert client.get(url).status_code == 404
    api = Client().get(ACTIVITIES, headers=bearer(token_for(cast.outsider))).json()
    assert api["count"] == 0


def test_anonymous_is_sent_to_login(cast, b_side):
    client = Client()
    for url in (
        reverse("outreach:activity_list"),
        reverse("outreach:activity_create"),
        reverse("outreach:activity_detail", args=[b_side["activity"].pk]),
        reverse("outreach:story_list"),
        reverse("outreach:form_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"], url


def test_commune_a_reads_the_history_of_the_commune_it_absorbed(cast):
    old = Activity.objects.create(
        unit=cast.former_commune,
        date=dt.date(2025, 3, 8),
        form=form(SINH_HOAT),
        title="Hội nghị của thị trấn cũ",
        participants=30,
        members=28,
        created_by=cast.province_admin,
    )
    client = cast.client_for(cast.a_staff)
    assert old in client.get(reverse("outreach:activity_list")).context["page"].object_list
    assert client.get(reverse("outreach:activity_detail", args=[old.pk])).status_code == 200
    assert (
        cast.client_for(cast.b_staff)
        .get(reverse("outreach:activity_detail", args=[old.pk]))
        .status_code
        == 404
    )


# ---- the activities API -----------------------------------------------------------------------
class Api:
    def __init__(self, user):
        self.client = Client()
        self.headers = bearer(token_for(user))

    def get(self, url, **params):
        return self.client.get(url, params, headers=self.headers)

    def post(self, url, payload):
        return self.client.post(url, payload, content_type="application/json", headers=self.headers)

    def delete(self, url):
        return self.client.delete(url, headers=self.headers)


def payload(unit, **kw) -> dict:
    data = {
        "unit_id": unit.pk,
        "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "form_id": form(SINH_HOAT).pk,
        "title": "Sinh hoạt chuyên đề qua API",
        "participants": 30,
        "members": 25,
    }
    data.update(kw)
    return data


def test_activities_api_needs_a_token(cast):
    assert Client().get(ACTIVITIES).status_code == 401
    assert (
        Client()
        .post(ACTIVITIES, payload(cast.commune_a), content_type="application/json")
        .status_code
        == 401
    )
    assert Client().get(ACTIVITIES, headers=bearer("gs_khongdung")).status_code == 401
    assert Activity.objects.count() == 0


def test_activities_api_lists_within_scope(cast, b_side):
    mine = make_activity(cast.a_staff, cast.branch_a, "Sinh hoạt Nà Pàn")
    api = Api(cast.a_staff)
    body = api.get(ACTIVITIES).json()
    assert [item["id"] for item in body["items"]] == [mine.pk]
    item = body["items"][0]
    assert item["unit_name"] == "Chi hội Nà Pàn" and item["form_name"] == "Hội nghị"
    assert api.get(f"{ACTIVITIES}/{mine.pk}").json()["title"] == "Sinh hoạt Nà Pàn"
    assert api.get(f"{ACTIVITIES}/{b_side['activity'].pk}").status_code == 404
    assert api.get(ACTIVITIES, unit=cast.commune_b.pk).status_code == 404
    assert api.get(ACTIVITIES, unit=cast.branch_a.pk).json()["count"] == 1
    province = Api(cast.province_admin).get(ACTIVITIES).json()
    assert {i["title"] for i in province["items"]} == {"Sinh hoạt Nà Pàn", B_TITLE}
    # The list of forms is shared.
    forms = api.get("/api/v1/activity-forms").json()
    assert "Sinh hoạt chi hội" in [f["name"] for f in forms]


def test_activities_api_creates_within_scope_only(cast, column):
    api = Api(cast.a_staff)
    exemplar = column.exemplar()
    response = api.post(
        ACTIVITIES,
        payload(cast.branch_a, movement_id=column.world.movement.pk, exemplar_ids=[exemplar.pk]),
    )
    assert response.status_code == 201, response.content
    created = Activity.objects.get(pk=response.json()["id"])
    assert (created.unit, created.created_by) == (cast.branch_a, cast.a_staff)
    assert list(created.exemplars.all()) == [exemplar]
    assert created.title_folded == "sinh hoat chuyen de qua api"

    assert api.post(ACTIVITIES, payload(cast.commune_b)).status_code == 404
    assert api.post(ACTIVITIES, payload(cast.other_commune)).status_code == 404
    assert Api(cast.branch_viewer).post(ACTIVITIES, payload(cast.branch_a)).status_code == 404
    refused = api.post(ACTIVITIES, payload(cast.branch_a, participants=10, members=20))
    assert refused.status_code == 400
    assert "Số hội viên không được lớn hơn tổng số người tham dự." in refused.json()["detail"]
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = api.post(ACTIVITIES, payload(cast.branch_a, date=tomorrow))
    assert refused.status_code == 400
    assert "Ngày hoạt động không được sau hôm nay." in refused.json()["detail"]
    refused = api.post(ACTIVITIES, payload(cast.branch_a, link="javascript:alert(1)"))
    assert refused.status_code == 400
    b_exemplar = column.exemplar(unit=cast.branch_b, name="Triệu Thị Mai")
    assert (
        api.post(ACTIVITIES, payload(cast.branch_a, exemplar_ids=[b_exemplar.pk])).status_code
        == 400
    )
    assert api.post(ACTIVITIES, payload(cast.branch_a, form_id=99999)).status_code == 400
    assert Activity.objects.count() == 1


def test_activities_api_deletes_within_scope_only(cast, b_side):
    api = Api(cast.a_staff)
    assert api.delete(f"{ACTIVITIES}/{b_side['activity'].pk}").status_code == 404
    assert Activity.objects.filter(pk=b_side["activity"].pk).exists()
    assert Api(cast.b_staff).delete(f"{ACTIVITIES}/{b_side['activity'].pk}").status_code == 204
    assert not Activity.objects.filter(pk=b_side["activity"].pk).exists()


# ---- the public API ---------------------------------------------------------------------------
def test_public_api_needs_no_token_and_lists_only_public_stories(cast, b_side, column):
    a_exemplar = column.exemplar()
    column.in_review(a_exemplar, "Bài chờ duyệt ở Đông Khê")
    body = Client().get(PUBLIC_API).json()
    assert [item["title"] for item in body["items"]] == [B_STORY]
    # A token changes nothing: the public API is the same for everyone.
    with_token = Client().get(PUBLIC_API, headers=bearer(token_for(cast.province_admin))).json()
    assert with_token == body
    assert Client().get(f"{PUBLIC_API}/{b_side['draft'].slug}").status_code == 404
    services.story_unpublish(by=cast.province_admin, story=b_side["story"])
    assert Client().get(PUBLIC_API).json()["count"] == 0
