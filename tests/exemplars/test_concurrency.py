"""Two reviewers acting on one nomination at the same moment: exactly one action applies, the
other gets a clear message. Real concurrent transactions need PostgreSQL (row locks)."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from guongsang.exemplars import services
from guongsang.exemplars.models import Exemplar, Nomination, NominationState, ReviewStep

STALE = "Hồ sơ vừa được người khác xử lý hoặc sửa đổi"
NOT_WAITING = "Hồ sơ không ở trạng thái chờ xét duyệt"


def race(jobs):
    """Run each job in its own thread and transaction, all released at once by a barrier."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=10)
            job()
            results[i] = "ok"
        except ValidationError as exc:
            results[i] = exc
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.postgres_only
@pytest.mark.parametrize("with_version", [True, False], ids=["expected-version", "no-version"])
def test_two_reviewers_at_once_exactly_one_applies(transactional_db, world, with_version):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    cast = world.cast
    nomination = world.submitted()
    version = nomination.version if with_version else None
    steps_before = nomination.steps.count()

    # With the version the reviewers saw, even two compatible actions exclude each other;
    # without it, two closing actions do (a forward then a return would both be legitimate).
    first_action = "forward" if with_version else "reject"

    def commune_acts():
        services.nomination_review(
            by=cast.a_admin,
            nomination=Nomination(pk=nomination.pk),
            action=first_action,
            comment="Chuyển tỉnh" if with_version else "Không đủ điều kiện",
            expected_version=version,
        )

    def give_back():
        services.nomination_review(
            by=world.reviewer,
            nomination=Nomination(pk=nomination.pk),
            action="return",
            comment="Thiếu xác nhận",
            expected_version=version,
        )

    results = race([commune_acts, give_back])
    assert results.count("ok") == 1, results
    (error,) = [r for r in results if r != "ok"]
    assert isinstance(error, ValidationError), repr(error)
    assert error.code == "stale"
    assert (STALE if with_version else NOT_WAITING) in error.messages[0]

    fresh = Nomination.objects.get(pk=nomination.pk)
    assert fresh.version == nomination.version + 1
    assert ReviewStep.objects.filter(nomination=fresh).count() == steps_before + 1
    winner = ReviewStep.objects.filter(nomination=fresh).last()
    if results[0] == "ok" and with_version:
        assert (fresh.state, fresh.current_unit) == (NominationState.SUBMITTED, cast.province)
        assert winner.action == "forward"
    elif results[0] == "ok":
        assert fresh.state == NominationState.REJECTED
        assert winner.action == "reject"
    else:
        assert (fresh.state, fresh.current_unit) == (NominationState.RETURNED, cast.branch_a)
        assert winner.action == "return"


@pytest.mark.postgres_only
def test_two_recognitions_at_once_make_one_exemplar(transactional_db, world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    nomination = world.at_province()

    def recognise(who):
        return lambda: services.nomination_review(
            by=who,
            nomination=Nomination(pk=nomination.pk),
            action="recognise",
            expected_version=nomination.version,
            decision_ref="45/QĐ-BTV",
            decision_date=dt.date(2026, 1, 15),
        )

    results = race([recognise(world.reviewer), recognise(world.cast.province_admin)])
    assert results.count("ok") == 1, results
    assert Exemplar.objects.filter(nomination_id=nomination.pk).count() == 1
    assert ReviewStep.objects.filter(nomination_id=nomination.pk, action="recognise").count() == 1


# ---- the version check (any database) ---------------------------------------------------------
def test_acting_on_an_old_version_is_refused(world):
    cast = world.cast
    nomination = world.submitted()
    seen = nomination.version
    services.nomination_review(
        by=cast.a_admin, nomination=nomination, action="forward", expected_version=seen
    )
    with pytest.raises(ValidationError) as exc:
        services.nomination_review(
            by=world.reviewer,
            nomination=nomination,
            action="return",
            comment="Thiếu xác nhận",
            expected_version=seen,
        )
    assert exc.value.code == "stale"
    assert STALE in exc.value.messages[0]
    fresh = Nomination.objects.get(pk=nomination.pk)
    assert (fresh.state, fresh.current_unit, fresh.version) == (
        NominationState.SUBMITTED,
        cast.province,
        seen + 1,
    )
    # With the version now current, it goes through.
    services.nomination_review(
        by=world.reviewer,
        nomination=nomination,
        action="return",
        comment="Thiếu xác nhận",
        expected_version=fresh.version,
    )


def test_submit_on_an_old_version_is_refused(world):
    cast = world.cast
    nomination = world.complete(world.nominate(world.subject()))
    seen = nomination.version
    services.nomination_save(
        by=cast.a_staff, nomination=nomination, answers={}, achievement_report="Bản mới hơn"
    )
    with pytest.raises(ValidationError, match=STALE):
        services.nomination_submit(by=cast.a_staff, nomination=nomination, expected_version=seen)
    assert Nomination.objects.get(pk=nomination.pk).state == NominationState.DRAFT


def test_review_page_with_an_old_version_shows_the_message(world):
    cast = world.cast
    nomination = world.submitted()
    old_version = nomination.version
    services.nomination_review(
        by=world.reviewer, nomination=nomination, action="return", comment="Thiếu xác nhận"
    )
    response = cast.client_for(cast.a_admin).post(
        reverse("exemplars:nomination_review", args=[nomination.pk]),
        {"action": "forward", "version": old_version},
        follow=True,
    )
    assert response.status_code == 200
    assert STALE in response.content.decode()
    fresh = Nomination.objects.get(pk=nomination.pk)
    assert fresh.state == NominationState.RETURNED
    assert fresh.steps.count() == 2
