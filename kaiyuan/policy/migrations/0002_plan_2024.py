"""The 2024 plan's values (the model defaults) as the first year's settings.

The monitoring line is left empty on purpose: Liaoning's 2024 figure was not found (DOMAIN.md
§10 Q-1), and a guessed line would silently decide who is monitored.
"""

import datetime

from django.db import migrations


def load(apps, schema_editor):
    PolicySettings = apps.get_model("policy", "PolicySettings")
    PolicySettings.objects.get_or_create(
        year=2024, defaults={"library_deadline": datetime.date(2024, 11, 30)}
    )


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
