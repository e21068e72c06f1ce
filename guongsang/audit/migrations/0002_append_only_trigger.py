from django.db import migrations

# PostgreSQL refuses any change to an audit entry, and its removal, whoever asks (a raw UPDATE,
# psql, another program). One update passes: Django's SET_NULL when a referenced user or unit
# is deleted, which clears actor_id and/or unit_id and changes nothing else; the snapshots
# (actor_username, unit_path, unit_name) keep the entry. TRUNCATE is a table-level operation
# of the owner (test flushes, a restore into an empty database) and stays possible.
FORWARD = """
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kept audit_auditentry%ROWTYPE;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        kept := NEW;
        kept.actor_id := OLD.actor_id;
        kept.unit_id := OLD.unit_id;
        IF kept IS NOT DISTINCT FROM OLD
           AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
           AND (NEW.unit_id IS NULL OR NEW.unit_id = OLD.unit_id) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_auditentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
ALTER TABLE audit_auditentry ALTER COLUMN unit_path TYPE varchar(255) COLLATE "C";
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
ALTER TABLE audit_auditentry ALTER COLUMN unit_path TYPE varchar(255);
"""


def forward(apps, schema_editor):
    # Subtree filters are ranges on unit_path: bytewise order ("C") as on units_unit.path.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_entry")]

    operations = [migrations.RunPython(forward, backward)]
