"""Load 开原市 (211282) and its 20 real township-level units."""

from django.db import migrations

from kaiyuan.areas.divisions import COUNTY, TOWNSHIPS


def load(apps, schema_editor):
    Area = apps.get_model("areas", "Area")
    county_code, county_name = COUNTY
    county, _ = Area.objects.update_or_create(
        code=county_code,
        defaults={
            "name": county_name,
            "level": "county",
            "kind": "county_city",
            "parent": None,
            "path": f"{county_code}/",
        },
    )
    for code, name, kind in TOWNSHIPS:
        Area.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": "township",
                "kind": kind,
                "parent": county,
                "path": f"{county.path}{code}/",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
