"""Offline entry (issue 12, point 5), the server's side: a queued entry sent with its key is
recorded once however often it is sent; refusals come back as the form's messages."""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guongsang.core.models import SubmissionKey
from guongsang.outreach.models import Activity

from .conftest import SINH_HOAT, form

pytestmark = pytest.mark.django_db

SEND = reverse("outreach:activity_send")


def fields(cast, **over) -> dict:
    data = {
        "date": (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "unit": cast.branch_a.pk,
        "form": form(SINH_HOAT).pk,
        "title": "Sinh hoạt chi hội lúc mất sóng",
        "participants": "20",
        "members": "18",
    }
    data.update(over)
    return data


def send(client, data, key):
    headers = {"HTTP_X_IDEMPOTENCY_KEY": str(key)} if key else {}
    return client.post(SEND, data, **headers)


def test_an_entry_sent_twice_is_recorded_once(cast):
    client = cast.client_for(cast.a_staff)
    key = uuid.uuid4()
    first = send(client, fields(cast), key)
    assert first.status_code == 201 and first.json()["ok"]
    again = send(client, fields(cast, title="changed on the way"), key)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    activity = Activity.objects.get()
    assert (activity.title, activity.unit, activity.created_by) == (
        "Sinh hoạt chi hội lúc mất sóng",
        cast.branch_a,
        cast.a_staff,
    )
    assert SubmissionKey.objects.get().object_id == activity.pk
    # Another officer's phone may draw the same key: keys belong to their user.
    other = send(cast.client_for(cast.a_admin), fields(cast, title="Chị khác ghi"), key)
    assert other.status_code == 201 and Activity.objects.count() == 2


def test_a_refused_entry_leaves_its_key_unused(cast):
    client = cast.client_for(cast.a_staff)
    key = uuid.uuid4()
    future = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    refused = send(client, fields(cast, date=future, members="99"), key)
    assert refused.status_code == 200 and refused.json()["ok"] is False
    errors = refused.json()["errors"]
    assert errors["date"] == ["Ngày hoạt động không được sau hôm nay."]
    assert "members" in errors
    assert not Activity.objects.exists() and not SubmissionKey.objects.exists()
    # Corrected on the phone and sent again with the same key: recorded.
    assert send(client, fields(cast), key).status_code == 201


def test_bad_keys_and_strangers_get_nothing(cast):
    client = cast.client_for(cast.a_staff)
    assert send(client, fields(cast), None).status_code == 400
    assert send(client, fields(cast), "not-a-uuid\x00").status_code == 400
    # Commune A cannot record into commune B's branch; a viewer cannot record at all.
    into_b = send(client, fields(cast, unit=cast.branch_b.pk), uuid.uuid4())
    assert into_b.json()["ok"] is False and "unit" in into_b.json()["errors"]
    viewer = cast.client_for(cast.branch_viewer)
    assert send(viewer, fields(cast), uuid.uuid4()).status_code == 404
    anonymous = send(Client(), fields(cast), uuid.uuid4())
    assert anonymous.status_code == 302
    assert not Activity.objects.exists()
    assert cast.client_for(cast.a_staff).get(SEND).status_code == 405


def test_the_page_and_the_worker_are_ready_for_offline_use(cast):
    page = cast.client_for(cast.a_staff).get(reverse("outreach:activity_create")).content.decode()
    assert f'data-offline-send="{SEND}"' in page and "gs/js/offline.js" in page
    assert 'id="offline-queue"' in page and 'rel="manifest"' in page
    worker = cast.client_for(cast.a_staff).get("/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/" and worker["Cache-Control"] == "no-cache"
    assert 'addEventListener("fetch"' in worker.content.decode()
