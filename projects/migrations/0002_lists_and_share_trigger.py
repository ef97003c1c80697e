"""The default 四有 checklist (DOMAIN.md §10 Q-10, to confirm with the bureau), the
rural-construction positive and negative lists as the county starts them (the bureau edits
both), and on PostgreSQL a deferred trigger that keeps each project's village shares at 100 %."""

from django.db import migrations

from projects.models.checklists import load_default_lists

SHARES_TRIGGER = """
CREATE OR REPLACE FUNCTION projects_village_shares_check() RETURNS trigger AS $$
DECLARE
    pid bigint;
    share numeric;
    asset numeric;
BEGIN
    pid := COALESCE(NEW.project_id, OLD.project_id);
    SELECT SUM(share_percent), SUM(asset_share_percent) INTO share, asset
      FROM projects_projectvillage WHERE project_id = pid;
    IF share IS NOT NULL AND (share <> 100 OR asset <> 100) THEN
        RAISE EXCEPTION 'project %% village shares add up to %% and %% percent, not 100', pid, share, asset
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER projects_village_shares_sum
    AFTER INSERT OR UPDATE OR DELETE ON projects_projectvillage
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION projects_village_shares_check();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS projects_village_shares_sum ON projects_projectvillage;
DROP FUNCTION IF EXISTS projects_village_shares_check();
"""


def lists(apps, schema_editor):
    load_default_lists(
        apps.get_model("projects", "FourHavesItem"),
        apps.get_model("projects", "ConstructionListItem"),
    )


def trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SHARES_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [
        migrations.RunPython(lists, migrations.RunPython.noop),
        migrations.RunPython(trigger, drop_trigger),
    ]
