"""What keeps the activity list and the public column cheap at national scale: a number of
queries that does not grow with the rows, newest-first served by an index, totals by form only
for a small selection or on request, the public filter choices read once per change."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guongsang.core.bulk import bulk_create
from guongsang.outreach import access as oa
from guongsang.outreach import services
from guongsang.outreach.models import Activity, Story, StoryState
from guongsang.outreach.views import TOTALS_AUTO_MAX
from tests.explain import query_plan

from .conftest import HOI_NGHI, SINH_HOAT, form, image_bytes

LIST = reverse("outreach:activity_list")
PUBLIC_LIST = "/chuyen-muc/bai-viet/"


def add_activities(cast, n: int, *, start: int = 0) -> None:
    units = [cast.commune_a, cast.branch_a, cast.group_a, cast.commune_b, cast.branch_b]
    day = timezone.localdate()
    bulk_create(
        Activity,
        [
            Activity(
                unit=units[i % len(units)],
                date=day - dt.timedelta(days=i % 50),
                form=form(HOI_NGHI if i % 2 else SINH_HOAT),
                title=f"Sinh hoạt chuyên đề số {i}",
                participants=30,
                members=20,
                created_by=cast.province_admin,
            )
            for i in range(start, start + n)
        ],
    )


def queries_of(client, url, params=None, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {}, headers=headers)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# ---- the activity list --------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["province_admin", "a_staff", "branch_viewer"])
def test_activity_list_queries_do_not_grow_with_rows(cast, who):
    client = cast.client_for(getattr(cast, who))
    add_activities(cast, 3)
    few = queries_of(client, LIST)
    add_activities(cast, 80, start=3)  # several pages
    assert queries_of(client, LIST) == few
    assert queries_of(client, LIST, {"page": 2, "q": "sinh hoat"}) == few
    # Asking for the totals adds one aggregate, whatever the number of rows.
    assert queries_of(client, LIST, {"tong_hop": 1}) <= few + 1
    assert queries_of(client, LIST, {"tong_hop": 1}, HX_Request="true") <= few


def test_newest_first_across_pages(cast):
    add_activities(cast, 70)
    client = cast.client_for(cast.province_admin)
    seen = []
    for number in (1, 2, 3):
        page = client.get(LIST, {"page": number}).context["page"]
        seen += [(a.date, a.pk) for a in page.object_list]
    assert len(seen) == 70 and seen == sorted(seen, reverse=True)


def test_totals_are_shown_for_a_small_selection_and_on_request_for_a_large_one(cast, monkeypatch):
    add_activities(cast, 12)
    client = cast.client_for(cast.province_admin)
    small = client.get(LIST)
    assert small.context["grand"]["n"] == 12
    # A wide selection (here: above a lowered threshold) gets a button, not a 2 M-row aggregate.
    monkeypatch.setattr("guongsang.outreach.views.TOTALS_AUTO_MAX", 5)
    wide = client.get(LIST, {"hinh_thuc": form(HOI_NGHI).pk})
    assert wide.context["totals"] is None
    html = wide.content.decode()
    assert "Xem tổng hợp theo hình thức" in html
    assert "tong_hop=1" in html and 'hx-get="?' in html
    # Without JavaScript the link opens the same page with the totals.
    asked = client.get(LIST, {"hinh_thuc": form(HOI_NGHI).pk, "tong_hop": 1})
    assert asked.context["grand"]["n"] == 6
    # With HTMX only the fragment comes back, following the same filters and scope.
    fragment = client.get(
        LIST, {"hinh_thuc": form(HOI_NGHI).pk, "tong_hop": 1}, headers={"HX-Request": "true"}
    )
    body = fragment.content.decode()
    assert "<html" not in body and "<strong>6</strong>" in body
    mine = cast.client_for(cast.b_staff).get(LIST, {"tong_hop": 1}, headers={"HX-Request": "true"})
    assert mine.context["grand"]["n"] == 4  # commune B: its commune and branch rows only
    assert TOTALS_AUTO_MAX >= 500


@pytest.mark.parametrize("who", ["superuser", "province_admin"])
def test_newest_first_in_a_wide_scope_walks_the_date_index(cast, who, django_user_model):
    add_activities(cast, 40)
    user = (
        django_user_model.objects.create_superuser("root.gs", password="x")
        if who == "superuser"
        else cast.province_admin
    )
    assert oa.is_wide(user)
    rows = oa.activities_for(user, walk_dates=True).order_by("-date", "-pk")[:30]
    plan = query_plan(rows)
    assert "activity_date_idx" in plan, plan
    if connection.vendor == "postgresql":
        assert "Sort" not in plan, plan
    else:
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
    # A commune is narrow: its few hundred rows are read unit by unit and sorted.
    assert not oa.is_wide(cast.a_staff)
    assert not oa.is_wide(user, cast.commune_b)


# ---- the public column --------------------------------------------------------------------------
def _publish_many(column, n: int) -> None:
    exemplar = column.exemplar(name="Nông Thị Hạnh")
    column.published(exemplar, "Bài đầu tiên")
    now = timezone.now()
    bulk_create(
        Story,
        [
            Story(
                exemplar=exemplar,
                title=f"Bài viết số {i}",
                slug=f"bai-viet-so-{i}",
                body="<p>Nội dung</p>",
                state=StoryState.PUBLISHED,
                published_at=now - dt.timedelta(hours=i),
                created_by=column.cast.a_staff,
            )
            for i in range(n)
        ],
    )


def test_public_list_queries_do_not_grow_with_stories(column):
    client = Client()
    _publish_many(column, 2)
    cache.clear()
    few = queries_of(client, PUBLIC_LIST)
    Story.objects.filter(title__startswith="Bài viết số").delete()
    _publish_many(column, 40)
    cache.clear()
    assert queries_of(client, PUBLIC_LIST) == few
    # The filter choices are read once per change of the column, not on every request.
    assert queries_of(client, PUBLIC_LIST) < few
    assert queries_of(client, PUBLIC_LIST, {"page": 3, "q": "bai viet"}) < few


def test_public_choices_follow_publishing_and_withdrawal(column, cast):
    client = Client()
    exemplar = column.exemplar(name="Nông Thị Hạnh")
    story = column.published(exemplar, "Người gieo hạt thạch đen")
    html = client.get(PUBLIC_LIST).content.decode()
    assert f'<option value="{cast.commune_a.pk}"' in html
    consent = exemplar.subject.consents.get()
    services.consent_withdraw(by=cast.a_admin, consent=consent)
    html = client.get(PUBLIC_LIST).content.decode()
    assert f'<option value="{cast.commune_a.pk}"' not in html
    assert "Người gieo hạt thạch đen" not in html
    column.consent(exemplar)
    services.story_publish(by=cast.province_admin, story=story)
    html = client.get(PUBLIC_LIST).content.decode()
    assert f'<option value="{cast.commune_a.pk}"' in html


def test_public_list_is_served_from_the_cache_until_the_column_changes(column, cast):
    client = Client()
    exemplar = column.exemplar(name="Nông Thị Hạnh")
    story = column.published(exemplar, "Người gieo hạt thạch đen")
    first = client.get(PUBLIC_LIST)
    assert "Người gieo hạt thạch đen" in first.content.decode()
    assert queries_of(client, PUBLIC_LIST) == 1  # the version of the column, nothing else
    # A photo added to a published story changes the card: the page is rendered again.
    services.story_image_add(
        by=cast.a_staff,
        story=story,
        upload=SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg"),
    )
    assert "/chuyen-muc/anh/" in client.get(PUBLIC_LIST).content.decode()
    services.story_unpublish(by=cast.province_admin, story=story)
    assert "Người gieo hạt thạch đen" not in client.get(PUBLIC_LIST).content.decode()
