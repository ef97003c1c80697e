from django.db import migrations

from monitoring.models.codes import load_code_tables


def load(apps, schema_editor):
    load_code_tables(apps.get_model("monitoring", "CodeItem"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
