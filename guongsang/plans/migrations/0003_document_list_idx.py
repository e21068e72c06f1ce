from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_document_abstract_folded"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["status", "-issued_on", "-id"], name="document_list_idx"),
        ),
    ]
