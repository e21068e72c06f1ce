# PostgreSQL: the word table written anew by 0010 is vacuumed at once, so that its pages are
# marked all-visible and a search reads the indexes alone (index-only) from the first request,
# not once autovacuum has passed. VACUUM cannot run inside a transaction: a migration of its
# own, outside one. SQLite: nothing.

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("VACUUM (ANALYZE) exemplars_subject_word")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("exemplars", "0010_subject_word_sort_key")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
