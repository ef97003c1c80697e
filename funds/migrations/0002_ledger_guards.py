"""The database's own refusals for the linkage funds (PostgreSQL): money rows are never edited
or deleted (kaiyuan.common.ledger), an allocation is never assigned beyond its amount, a fund
entry never gives out more than it holds, and a payment's draws add up to it."""

from django.db import migrations

from kaiyuan.common.ledger import drop_guard, install_guard

LEDGERS = {
    "funds_fundallocation": (),
    "funds_projectfund": ("arrived_on", "township_account", "arrival_recorded_by_id"),
    "funds_payment": (),
    "funds_paymentdraw": (),
    "funds_retentiondeduction": (),
    "funds_reallocation": (),
    "funds_placementreturn": (),
    "funds_principalrecovery": (),
    "funds_loanrepayment": (),
    "funds_interestsubsidy": (),
}

SUMS = """
CREATE OR REPLACE FUNCTION funds_check_sums() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry bigint;
BEGIN
    -- A row deleted in the same transaction (only the demo's purge deletes) is not checked.
    IF NOT EXISTS (SELECT 1 FROM funds_payment WHERE id = NEW.id AND TG_TABLE_NAME = 'funds_payment')
       AND NOT EXISTS (SELECT 1 FROM funds_projectfund WHERE id = NEW.id
                       AND TG_TABLE_NAME = 'funds_projectfund')
       AND NOT EXISTS (SELECT 1 FROM funds_paymentdraw WHERE id = NEW.id
                       AND TG_TABLE_NAME = 'funds_paymentdraw') THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'funds_payment' THEN
        IF (SELECT coalesce(sum(amount), 0) FROM funds_paymentdraw WHERE payment_id = NEW.id)
           <> NEW.amount THEN
            RAISE EXCEPTION 'the draws of payment % do not add up to its amount', NEW.id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'funds_projectfund' THEN
        IF (SELECT coalesce(sum(amount), 0) FROM funds_projectfund
            WHERE allocation_id = NEW.allocation_id)
           > (SELECT coalesce(sum(amount), 0) FROM funds_fundallocation
              WHERE id = NEW.allocation_id OR reverses_id = NEW.allocation_id) THEN
            RAISE EXCEPTION 'allocation % is assigned beyond its amount', NEW.allocation_id
                USING ERRCODE = 'check_violation';
        END IF;
        entry := coalesce(NEW.reduces_id, NEW.id);
    ELSE
        entry := NEW.fund_id;
    END IF;
    IF (SELECT amount FROM funds_projectfund WHERE id = entry)
       + (SELECT coalesce(sum(amount), 0) FROM funds_projectfund WHERE reduces_id = entry)
       - (SELECT coalesce(sum(amount), 0) FROM funds_paymentdraw WHERE fund_id = entry) < 0 THEN
        RAISE EXCEPTION 'fund entry % gives out more than it holds', entry
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
"""
SUM_TRIGGERS = ("funds_projectfund", "funds_paymentdraw", "funds_payment")


def install(apps, schema_editor):
    for table, fill_once in LEDGERS.items():
        install_guard(schema_editor, table, fill_once=fill_once)
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(SUMS, params=None)
    for table in SUM_TRIGGERS:
        schema_editor.execute(
            f"CREATE CONSTRAINT TRIGGER {table}_sums AFTER INSERT ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION funds_check_sums();"
        )


def uninstall(apps, schema_editor):
    for table in LEDGERS:
        drop_guard(schema_editor, table)
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SUM_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_sums ON {table};")


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
