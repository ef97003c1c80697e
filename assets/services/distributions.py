"""Drawing up a distribution of a settled income, its lines, its publicity and its payment
(DISTRIBUTION_WORKFLOW). Lines change only while the plan is drawn up; once publicised the
plan is what the villagers saw, and only reopening it (after objections) changes it again."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from assets.exceptions import AssetsError
from assets.models import AssetIncome, Distribution, DistributionLine
from assets.models.distributions import DISTRIBUTION_WORKFLOW
from assets.rules import distributions as rules
from assets.rules.incomes import distribution_needs_settlement
from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import record
from kaiyuan.common import inputs
from kaiyuan.common.rules import refuse_errors
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.policy.services import policy_for
from monitoring.models import Household

D = Distribution.Status
ROWS = Distribution.objects.select_related("asset", "income")


def _lock_draft(distribution: Distribution, expected_version: int | None) -> Distribution:
    return DISTRIBUTION_WORKFLOW.lock(
        ROWS, distribution.pk, expected_state=D.DRAFT, expected_version=expected_version
    )


def by_use(distribution: Distribution) -> dict[str, Decimal]:
    return {
        use: total
        for use, total in DistributionLine.objects.filter(distribution=distribution)
        .values_list("use")
        .annotate(total=Sum("amount"))
    }


@transaction.atomic
def distribution_create(*, income: AssetIncome, amount=None, actor) -> Distribution:
    """A plan for a settled year's income (AST-8), of at most what is left after depreciation
    and maintenance; all of it unless less is given."""
    require(actor, "assets.distribute")
    ensure_may_change(actor, income)
    income = AssetIncome.objects.select_for_update().select_related("asset").get(pk=income.pk)
    refuse_errors(distribution_needs_settlement(income))
    amount = (
        income.net_income
        if amount in (None, "")
        else inputs.positive_amount(amount, "amount", error=AssetsError)
    )
    refuse_errors(rules.amount_problems(amount=amount, net_income=income.net_income))
    try:
        with transaction.atomic():
            distribution = Distribution.objects.create(
                income=income, asset=income.asset, year=income.year, amount=amount, created_by=actor
            )
    except IntegrityError:
        raise AssetsError(_("This year's income already has its distribution.")) from None
    record(distribution, action="create", actor=actor, data={"amount": str(amount)})
    return distribution


@transaction.atomic
def distribution_change_amount(
    *, distribution: Distribution, amount, expected_version: int, actor
) -> Distribution:
    require(actor, "assets.distribute")
    ensure_may_change(actor, distribution)
    locked = _lock_draft(distribution, expected_version)
    amount = inputs.positive_amount(amount, "amount", error=AssetsError)
    refuse_errors(rules.amount_problems(amount=amount, net_income=locked.income.net_income))
    planned = sum(by_use(locked).values(), Decimal("0.00"))
    if planned > amount:
        raise AssetsError(
            _("The lines already come to more than that; remove lines first."), field="amount"
        )
    before = str(locked.amount)
    locked.amount = amount
    locked.version += 1
    locked.save(update_fields=["amount", "version"])
    record(locked, action="change", actor=actor, data={"amount": [before, str(amount)]})
    return locked


def _household_for(actor, household):
    """The household as the actor may pick it: visible to them (a township clerk picks in the
    township, the bureau anywhere in the county, AST-7). One answer for hidden and missing."""
    if household is None:
        return None
    found = (
        Household.objects.visible_to(actor)
        .select_related("area")
        .filter(pk=getattr(household, "pk", household))
        .first()
    )
    if found is None:
        raise AssetsError(_("No such household."), field="household")
    return found


@transaction.atomic
def line_add(
    *,
    distribution: Distribution,
    use: str,
    amount,
    household=None,
    payee: str = "",
    item: str = "",
    note: str = "",
    expected_version: int | None = None,
    actor,
) -> DistributionLine:
    require(actor, "assets.distribute")
    ensure_may_change(actor, distribution)
    locked = _lock_draft(distribution, expected_version)
    household = _household_for(actor, household)
    amount = inputs.positive_amount(amount, "amount", error=AssetsError)
    refuse_errors(
        rules.line_problems(
            use=use,
            household=household,
            item=item,
            payee=payee,
            amount=amount,
            is_pv=locked.asset.is_pv_station,
            planned=sum(by_use(locked).values(), Decimal("0.00")),
            total=locked.amount,
        )
    )
    try:
        with transaction.atomic():
            line = DistributionLine.objects.create(
                distribution=locked,
                use=use,
                household=household,
                payee=(payee or (household.head_name if household else "")).strip(),
                item=(item or "").strip(),
                amount=amount,
                note=(note or "").strip(),
            )
    except IntegrityError:
        raise AssetsError(
            _("This household already has a line of this kind; change its amount instead."),
            field="household",
        ) from None
    locked.version += 1
    locked.save(update_fields=["version"])
    record(
        locked,
        action="line_add",
        actor=actor,
        data={"use": use, "amount": str(amount), "household": household.pk if household else None},
    )
    return line


@transaction.atomic
def line_remove(*, line: DistributionLine, expected_version: int | None = None, actor) -> None:
    require(actor, "assets.distribute")
    ensure_may_change(actor, line.distribution)
    locked = _lock_draft(line.distribution, expected_version)
    data = {"use": line.use, "amount": str(line.amount), "household": line.household_id}
    DistributionLine.objects.filter(pk=line.pk, distribution=locked).delete()
    locked.version += 1
    locked.save(update_fields=["version"])
    record(locked, action="line_remove", actor=actor, data=data)


@transaction.atomic
def distribution_publicise(
    *,
    distribution: Distribution,
    publicity_from: datetime.date,
    publicity_to: datetime.date,
    place: str,
    objections: str = "",
    expected_version: int,
    actor,
) -> Distribution:
    """The plan's publicity (AST-PV-2), once its lines give out the whole amount and a PV
    station's match its three uses (AST-PV-1)."""
    require(actor, "assets.distribute")
    ensure_may_change(actor, distribution)
    locked = DISTRIBUTION_WORKFLOW.lock_for(
        actor,
        distribution,
        "publicise",
        ROWS,
        expected_state=D.DRAFT,
        expected_version=expected_version,
    )
    refuse_errors(
        rules.complete_problems(
            is_pv=locked.asset.is_pv_station,
            total=locked.amount,
            by_use=by_use(locked),
            policy=policy_for(locked.year),
        )
    )
    refuse_errors(
        rules.publicity_problems(
            publicity_from=publicity_from, publicity_to=publicity_to, place=place
        )
    )
    inputs.not_future(publicity_from, "publicity_from", error=AssetsError)
    locked.publicity_from, locked.publicity_to = publicity_from, publicity_to
    locked.publicity_place = place.strip()
    locked.publicity_objections = (objections or "").strip()
    return DISTRIBUTION_WORKFLOW.transition(
        locked,
        action="publicise",
        actor=actor,
        to=D.PUBLICISED,
        fields=["publicity_from", "publicity_to", "publicity_place", "publicity_objections"],
        data={"from": publicity_from.isoformat(), "to": publicity_to.isoformat()},
    )


@transaction.atomic
def distribution_revise(
    *, distribution: Distribution, reason: str, expected_version: int, actor
) -> Distribution:
    """Back to drawing up, when an objection to the publicised plan is upheld."""
    require(actor, "assets.distribute")
    ensure_may_change(actor, distribution)
    if not (reason or "").strip():
        raise AssetsError(_("Say which objection reopens the plan."), field="reason")
    locked = DISTRIBUTION_WORKFLOW.lock_for(
        actor,
        distribution,
        "revise",
        ROWS,
        expected_state=D.PUBLICISED,
        expected_version=expected_version,
    )
    return DISTRIBUTION_WORKFLOW.transition(
        locked, action="revise", actor=actor, to=D.DRAFT, reason=reason.strip()
    )


@transaction.atomic
def distribution_pay(
    *,
    distribution: Distribution,
    paid_on: datetime.date,
    payment_reference: str,
    expected_version: int,
    actor,
) -> Distribution:
    """Paid, after its publicity has ended (AST-PV-2)."""
    require(actor, "assets.pay")
    ensure_may_change(actor, distribution)
    locked = DISTRIBUTION_WORKFLOW.lock_for(
        actor,
        distribution,
        "pay",
        ROWS,
        expected_state=D.PUBLICISED,
        expected_version=expected_version,
    )
    paid_on = inputs.not_future(paid_on, "paid_on", error=AssetsError)
    refuse_errors(
        rules.payment_problems(
            status=locked.status, publicity_to=locked.publicity_to, paid_on=paid_on
        )
    )
    if not (payment_reference or "").strip():
        raise AssetsError(_("Enter the payment voucher's number."), field="payment_reference")
    locked.paid_on = paid_on
    locked.payment_reference = payment_reference.strip()
    return DISTRIBUTION_WORKFLOW.transition(
        locked,
        action="pay",
        actor=actor,
        to=D.PAID,
        fields=["paid_on", "payment_reference"],
        data={"paid_on": paid_on.isoformat()},
    )
