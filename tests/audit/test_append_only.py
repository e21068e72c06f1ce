"""The log is append-only: Python refuses to change or delete an entry, and on PostgreSQL a
trigger refuses it to anyone, raw SQL included."""

import pytest
from django.db import DatabaseError, connection, transaction

from guongsang.audit import services as audit
from guongsang.audit.models import Action, AppendOnlyError, AuditEntry
from guongsang.units.models import Unit
from tests.factories import Role, UnitKind, make_unit, make_user

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@pytest.fixture
def entry(cast) -> AuditEntry:
    return audit.record(
        action=Action.PASSWORD_RESET, actor=cast.a_admin, unit=cast.commune_a, obj=cast.a_staff
    )


def test_python_refuses_every_change(entry):
    entry.object_label = "khác"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_label="khác")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["object_label"])
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"object_label": "x"})
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.object_label == "Bế Thị Hoa"


@on_postgresql
def test_postgresql_refuses_raw_updates_and_deletes(entry):
    for sql in (
        "UPDATE audit_auditentry SET object_label = 'sửa' WHERE id = %s",
        "UPDATE audit_auditentry SET actor_username = '' WHERE id = %s",
        "UPDATE audit_auditentry SET unit_path = '' WHERE id = %s",
        "UPDATE audit_auditentry SET unit_id = NULL, unit_path = '' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.object_label == "Bế Thị Hoa" and fresh.unit_path == entry.unit_path


def test_deleting_a_user_or_unit_clears_the_link_and_keeps_the_snapshots(cast):
    unit = make_unit("Tổ phụ nữ tạm", UnitKind.GROUP, cast.branch_a)
    user = make_user(unit, Role.STAFF, username="tam.thoi")
    kept = audit.record(action=Action.LOGIN, actor=user, unit=unit)
    user.delete()
    Unit.objects.filter(pk=unit.pk).delete()
    kept = AuditEntry.objects.get(pk=kept.pk)
    assert kept.actor_id is None and kept.unit_id is None
    assert kept.actor_username == "tam.thoi" and kept.unit_path == unit.path
    assert kept.unit_name == "Tổ phụ nữ tạm"
