# Nominations and exemplars carry their scope path and their subject's sort key: the lists
# filter and order on their own indexes instead of joining units and subjects for every row.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

COLUMNS = [
    ("exemplars_nomination", "proposing_path"),
    ("exemplars_nomination", "subject_sort_key"),
    ("exemplars_exemplar", "subject_path"),
    ("exemplars_exemplar", "subject_sort_key"),
]


def collation_c(apps, schema_editor):
    # Path ranges and sort keys compare bytewise, as units_unit.path and exemplars_subject.sort_key.
    if schema_editor.connection.vendor == "postgresql":
        for table, column in COLUMNS:
            schema_editor.execute(
                f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(255) COLLATE "C"'
            )


def back_fill(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    Subject = apps.get_model("exemplars", "Subject")
    Nomination = apps.get_model("exemplars", "Nomination")
    Exemplar = apps.get_model("exemplars", "Exemplar")
    Nomination.objects.update(
        proposing_path=Subquery(
            Unit.objects.filter(pk=OuterRef("proposing_unit_id")).values("path")[:1]
        ),
        subject_sort_key=Subquery(
            Subject.objects.filter(pk=OuterRef("subject_id")).values("sort_key")[:1]
        ),
    )
    Exemplar.objects.update(
        subject_path=Subquery(
            Subject.objects.filter(pk=OuterRef("subject_id")).values("unit__path")[:1]
        ),
        subject_sort_key=Subquery(
            Subject.objects.filter(pk=OuterRef("subject_id")).values("sort_key")[:1]
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("exemplars", "0002_subject_sort_key_subject_subject_sort_idx_and_more"),
        ("units", "0003_unit_successor_path_unit_unit_successor_path_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="exemplar",
            name="subject_path",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="exemplar",
            name="subject_sort_key",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="nomination",
            name="proposing_path",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="nomination",
            name="subject_sort_key",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.RunPython(collation_c, migrations.RunPython.noop),
        migrations.RunPython(back_fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="exemplar",
            index=models.Index(
                fields=["-year", "subject_sort_key", "id"], name="exemplar_year_sort_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="exemplar",
            index=models.Index(
                fields=["subject_path", "year", "subject_sort_key", "id"],
                name="exemplar_path_sort_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="nomination",
            index=models.Index(fields=["subject_sort_key", "id"], name="nomination_sort_idx"),
        ),
        migrations.AddIndex(
            model_name="nomination",
            index=models.Index(
                fields=["proposing_path", "subject_sort_key", "id"],
                name="nomination_path_sort_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="nomination",
            index=models.Index(
                fields=["state", "proposing_path"], name="nomination_state_path_idx"
            ),
        ),
    ]
