# Activities carry their unit's path: a subtree's sums by period and form (the summary of the
# reports) read one range of a covering index instead of probing an index once per unit.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def unit_path_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Bytewise ranges, like units_unit.path; then one set-based fill from the units (the
        # index is built after it, from the filled rows, and sorts in memory).
        schema_editor.execute(
            'ALTER TABLE outreach_activity ALTER COLUMN unit_path TYPE varchar(255) COLLATE "C"'
        )
        schema_editor.execute(
            "UPDATE outreach_activity a SET unit_path = u.path FROM units_unit u "
            "WHERE u.id = a.unit_id"
        )
        schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        return
    Unit = apps.get_model("units", "Unit")
    Activity = apps.get_model("outreach", "Activity")
    Activity.objects.update(
        unit_path=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("path")[:1])
    )


def analyze(apps, schema_editor):
    # Statistics on the new column, so that the planner reads the new index from the start.
    # The UPDATE left a dead version of every row: autovacuum removes them (VACUUM cannot run
    # in the migration's transaction), and only then are index-only scans free of heap reads.
    # Built after an UPDATE in the same transaction, the index is marked ``indcheckxmin``: it
    # serves only transactions that start once every transaction older than the migration has
    # ended (seconds, unless a long one is open; measured on a copy of the national data).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE outreach_activity")


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0005_story_updated_idx"),
        ("units", "0003_unit_successor_path_unit_unit_successor_path_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.RunPython(unit_path_forward, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=["unit_path", "date", "form", "participants", "members"],
                name="activity_path_report_idx",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
