from django.db import migrations


def path_collation_c(apps, schema_editor):
    # Subtree filters are ranges on the path (path >= p AND path < p || '~'): they need bytewise
    # comparison. SQLite compares bytewise already; PostgreSQL needs the "C" collation.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE units_unit ALTER COLUMN path TYPE varchar(255) COLLATE "C"')


def path_collation_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE units_unit ALTER COLUMN path TYPE varchar(255)")


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [migrations.RunPython(path_collation_c, path_collation_default)]
