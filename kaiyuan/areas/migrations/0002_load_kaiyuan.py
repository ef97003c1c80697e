"""Load 开原市 (211282) and its 20 real township-level units."""

from django.db import migrations

from kaiyuan.areas.divisions import load_divisions


def load(apps, schema_editor):
    load_divisions(apps.get_model("areas", "Area"))


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
