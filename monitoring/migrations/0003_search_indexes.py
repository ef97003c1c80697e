"""Prefix-search indexes: the registry finds households by the start of a name or number, which
PostgreSQL serves from a btree only with the pattern operator class."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_code_tables")]

    operations = [
        migrations.RemoveIndex(model_name="household", name="household_head_name"),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(
                fields=["head_name"],
                name="household_head_name_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(
                fields=["household_number"],
                name="household_number_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.RemoveIndex(model_name="member", name="member_name"),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["name"], name="member_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ),
    ]
