from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0003_activity_activity_date_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="story",
            index=models.Index(fields=["published_at", "id"], name="story_published_idx"),
        ),
    ]
