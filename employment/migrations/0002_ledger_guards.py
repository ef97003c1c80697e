"""A post's pay is a ledger entry (kaiyuan.common.ledger): never edited or deleted, corrected
by a reversal. PostgreSQL refuses the change to anything that reaches the table."""

from django.db import migrations

from kaiyuan.common.ledger import drop_guard, install_guard


def install(apps, schema_editor):
    install_guard(schema_editor, "employment_postpayment", fill_once=())


def uninstall(apps, schema_editor):
    drop_guard(schema_editor, "employment_postpayment")


class Migration(migrations.Migration):
    dependencies = [("employment", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
