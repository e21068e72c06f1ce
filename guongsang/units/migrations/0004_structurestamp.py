from django.db import migrations, models

# Every statement that changes units or memberships adds one to the stamp, inside its own
# transaction: a reader sees the new value only together with the change it stands for.
TABLES = ("units_unit", "accounts_membership")

PG_FORWARD = """
CREATE FUNCTION units_structure_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE units_structurestamp SET value = value + 1;
    RETURN NULL;
END;
$$;
""" + "".join(
    f"""
CREATE TRIGGER {table}_structure_bump
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION units_structure_bump();
"""
    for table in TABLES
)

PG_BACKWARD = (
    "".join(f"DROP TRIGGER IF EXISTS {table}_structure_bump ON {table};\n" for table in TABLES)
    + "DROP FUNCTION IF EXISTS units_structure_bump();\n"
)

# SQLite has row triggers only (one bump per row changed; still one value per commit for a
# reader). NB: SQLite rebuilds a table for most schema changes and drops its triggers with it:
# tests/reports/test_home_kept.py checks that they exist after all migrations.
SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")


def forward(apps, schema_editor):
    apps.get_model("units", "StructureStamp").objects.create(pk=1, value=0)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            for event in SQLITE_EVENTS:
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_structure_{event.lower()} AFTER {event} ON {table} "
                    "BEGIN UPDATE units_structurestamp SET value = value + 1; END"
                )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            for event in SQLITE_EVENTS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_structure_{event.lower()}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_login_throttle_by_address"),
        ("units", "0003_unit_successor_path_unit_unit_successor_path_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="StructureStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
