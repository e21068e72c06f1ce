# Recipients carry their unit's path: the compliance board pages a document's recipients in tree
# order on its own index (document, unit_path, id) instead of walking the whole unit tree.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def collation_c(apps, schema_editor):
    # Compared bytewise, as units_unit.path.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE plans_recipient ALTER COLUMN unit_path TYPE varchar(255) COLLATE "C"'
        )


def back_fill(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    Recipient = apps.get_model("plans", "Recipient")
    Recipient.objects.update(
        unit_path=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("path")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_document_list_idx"),
        ("units", "0003_unit_successor_path_unit_unit_successor_path_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="recipient",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.RunPython(collation_c, migrations.RunPython.noop),
        migrations.RunPython(back_fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="recipient",
            index=models.Index(fields=["document", "unit_path", "id"], name="recipient_board_idx"),
        ),
    ]
