"""The default 四有 checklist (DOMAIN.md §10 Q-10, to confirm with the bureau), the
rural-construction positive and negative lists as the county starts them (the bureau edits
both), and on PostgreSQL a deferred trigger that keeps each project's village shares at 100 %."""

from django.db import migrations

FOUR_HAVES = [
    ("operating_entity", "有经营主体"),
    ("linkage_mechanism", "有联农带农机制"),
    ("stable_return", "有稳定收益"),
    ("risk_control", "有风险防控措施"),
]
POSITIVE = [
    "农村道路建设与养护",
    "农村供水保障",
    "农村厕所革命",
    "生活垃圾收运处置",
    "生活污水治理",
    "村容村貌提升",
    "村级综合服务设施",
    "农村养老、卫生、文化设施",
    "农村防灾减灾设施",
]
NEGATIVE = [
    "新建楼堂馆所",
    "形象工程（大广场、大公园、景观大道等）",
    "超出村庄实际的超标准建设",
    "大拆大建、违背农民意愿拆并村庄",
    "偿还债务或支付利息",
]

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
    FourHavesItem = apps.get_model("projects", "FourHavesItem")
    ConstructionListItem = apps.get_model("projects", "ConstructionListItem")
    for order, (code, label) in enumerate(FOUR_HAVES, start=1):
        FourHavesItem.objects.get_or_create(
            code=code, defaults={"label": label, "order": order, "to_confirm": True}
        )
    for kind, items in (("positive", POSITIVE), ("negative", NEGATIVE)):
        for order, text in enumerate(items, start=1):
            ConstructionListItem.objects.get_or_create(
                kind=kind, text=text, defaults={"order": order}
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
