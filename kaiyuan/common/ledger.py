"""Money rows that are never edited or deleted: a mistake is corrected by a reversing entry.

A model of money (a payment, a return received, a repayment) derives from ``LedgerEntry``
(a model whose rows are written once but are not reversed one by one, a payment's draws, derives
from ``AppendOnly``, which ``LedgerEntry`` extends): its
amount is positive, a reversal is a second row whose ``reverses`` names the first and whose
amount is the first's, negated (the database checks the sign, and that an entry is reversed at
most once). ``save`` refuses to change a stored row and ``delete`` to remove one, and on
PostgreSQL a trigger refuses it to anything else that reaches the table (an SQL console, a
script, a queryset ``update``): ``install_guard`` in the app's migration. Columns named in
``fill_once`` may be filled in once, from empty (null or blank: a transfer's arrival date);
nothing else moves.

The only way past the guard is ``purge()``, which the demo's reset uses inside its transaction.
Django's test flush empties tables with TRUNCATE, which row triggers do not see.
"""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.errors import DomainError

PURGE_SETTING = "kaiyuan.ledger_purge"

GUARD_FUNCTION = f"""
CREATE OR REPLACE FUNCTION kaiyuan_ledger_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    name text;
BEGIN
    IF coalesce(current_setting('{PURGE_SETTING}', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a row of % is never deleted: record a reversing entry', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END IF;
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    FOR name IN SELECT jsonb_object_keys(old_row) LOOP
        IF old_row -> name IS DISTINCT FROM new_row -> name
           AND NOT (name = ANY (TG_ARGV) AND old_row -> name IN ('null'::jsonb, '""'::jsonb)) THEN
            RAISE EXCEPTION 'column % of % is never changed: record a reversing entry',
                name, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
        END IF;
    END LOOP;
    RETURN NEW;
END
$$;
"""  # noqa: S608 (built from a constant)


class LedgerRowFrozen(DomainError):
    code = "ledger_row_frozen"


def install_guard(schema_editor, table: str, *, fill_once: tuple[str, ...] = ()) -> None:
    """The trigger that keeps ``table``'s rows as written (PostgreSQL; the embedded SQLite
    default has the model's guard only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GUARD_FUNCTION, params=None)
    arguments = ", ".join(f"'{column}'" for column in fill_once)
    schema_editor.execute(
        f"DROP TRIGGER IF EXISTS {table}_ledger_guard ON {table};"
        f"CREATE TRIGGER {table}_ledger_guard BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION kaiyuan_ledger_guard({arguments});"
    )


def drop_guard(schema_editor, table: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_ledger_guard ON {table};")


@contextmanager
def purge():
    """Let the enclosed deletes through the guard (the demo's reset); only inside a
    transaction, which the setting does not outlive."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
        AppendOnly._purging = True
        try:
            yield
        finally:
            AppendOnly._purging = False


class AppendOnly(models.Model):
    """A row written once: ``save`` refuses to change a stored row, except the ``FILL_ONCE``
    fields (saved with ``update_fields``), and ``delete`` refuses outside ``purge()``."""

    FILL_ONCE: tuple[str, ...] = ()
    _purging = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        filled = set(kwargs.get("update_fields") or ())
        if not self._state.adding and not (filled and filled <= set(self.FILL_ONCE)):
            raise LedgerRowFrozen(_("A money entry is never changed: record a reversing entry."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not AppendOnly._purging:
            raise LedgerRowFrozen(_("A money entry is never deleted: record a reversing entry."))
        return super().delete(*args, **kwargs)


class LedgerEntry(AppendOnly):
    """A row of money as it was written. ``reverses`` makes it the reversal of an earlier entry."""

    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0)
                | Q(reverses__isnull=False, amount__lt=0),
                name="%(app_label)s_%(class)s_sign",
                violation_error_message=_(
                    "An entry is a positive amount; only its reversal is negative."
                ),
            ),
        ]

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversed_by")


ZERO_YUAN = models.Value(
    Decimal("0.00"), output_field=models.DecimalField(max_digits=14, decimal_places=2)
)


def total_of(queryset: models.QuerySet, by: str, field: str = "amount"):
    """An annotation: the sum of ``field`` over ``queryset`` (filtered on an ``OuterRef``),
    grouped by ``by``, 0.00 when it has no rows. A list gets each row's total (a payment's
    draws, an entry's reductions, a loan's repayments) in its one query."""
    return Coalesce(
        Subquery(queryset.order_by().values(by).annotate(total=Sum(field)).values("total")[:1]),
        ZERO_YUAN,
    )


def net(queryset: models.QuerySet, field: str = "amount") -> Decimal:
    """The sum of entries with their reversals (a reversal's negative amount cancels its
    entry)."""
    total = queryset.aggregate(total=models.Sum(field))["total"]
    return total if total is not None else Decimal("0.00")
