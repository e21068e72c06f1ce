from django.db import migrations, models
from django.utils import timezone


def past_records_dated(apps, schema_editor):
    """Recognitions entered by hand (no nomination) were entered with the decision's date as
    ``recognised_at`` (noon, local time): that date is the decision date."""
    Exemplar = apps.get_model("exemplars", "Exemplar")
    rows = Exemplar.objects.filter(nomination__isnull=True, decision_date__isnull=True)
    for row in rows.only("pk", "recognised_at").iterator(chunk_size=2000):
        Exemplar.objects.filter(pk=row.pk).update(
            decision_date=timezone.localtime(row.recognised_at).date()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("exemplars", "0006_delete_subjecttitle"),
    ]

    operations = [
        migrations.AddField(
            model_name="exemplar",
            name="decision_date",
            field=models.DateField(blank=True, null=True, verbose_name="ngày quyết định"),
        ),
        migrations.RunPython(past_records_dated, migrations.RunPython.noop, elidable=True),
    ]
