from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0004_story_published_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="story",
            index=models.Index(fields=["updated_at"], name="story_updated_idx"),
        ),
    ]
