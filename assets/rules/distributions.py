"""Distributing an asset's income (DOMAIN.md §5.4, §5.5): to 脱贫户 and monitored households
anywhere in the county (AST-7), differentiated and tilted towards the monitored (AST-6), with the
stacked share for households at or below the stacked line (§1.5, Q-15), at least the minimum
return of a self-built asset (AST-5); a PV station's income in its 6:3:1 uses (AST-PV-1), each
distribution publicised before it is paid (AST-PV-2)."""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assets.codes import HOUSEHOLD_USES, PV_USES, LineUse
from assets.rules.incomes import minimum_return
from kaiyuan.common.money import CENT, format_yuan
from kaiyuan.common.rules import FLAG, Rule, Violation
from monitoring.codes import HouseholdType
from monitoring.rules.incomes import IncomeBand, income_band

AST_5 = Rule(
    "AST-5",
    _(
        "A self-built operating asset brings 脱贫户 and monitored households at least the minimum "
        "annual return set (6 per cent of its value) each year."
    ),
    FLAG,
)
AST_6 = Rule(
    "AST-6",
    _(
        "A distribution is differentiated, not equal shares for all, and tilted towards "
        "monitored households."
    ),
    FLAG,
)
AST_7 = Rule(
    "AST-7",
    _(
        "Asset income goes to registered 脱贫户 and monitored households, who may live in any "
        "township of the county."
    ),
)
AST_STACKED = Rule(
    "AST-STACKED",
    _(
        "Households whose income per head is at or below the stacked line (8,500 yuan) get a "
        "stacked share; no other household does."
    ),
)
AST_PV_1 = Rule(
    "AST-PV-1",
    _(
        "A PV station's income is split 6:3:1 into public-welfare job wages, small public works "
        "and rewards, to the fen, the remainder to the first."
    ),
)
AST_PV_2 = Rule("AST-PV-2", _("A distribution is publicised before it is paid."))
AST_PLAN = Rule(
    "AST-PLAN",
    _("A distribution gives out no more than the year's settled income, line by line."),
)


def pv_split(amount: Decimal, *, policy) -> dict[str, Decimal]:
    """AST-PV-1: the three uses of ``amount`` at the policy's shares. The second and third are
    cut to the fen; what is left, never negative, goes to the first, so the parts always add up
    to the amount (1,000.05 → 600.04 / 300.01 / 100.00)."""
    amount = Decimal(amount)
    works = (amount * policy.pv_public_works_percent / 100).quantize(CENT, rounding=ROUND_DOWN)
    rewards = (amount * policy.pv_rewards_percent / 100).quantize(CENT, rounding=ROUND_DOWN)
    return {
        LineUse.PV_JOBS: amount - works - rewards,
        LineUse.PV_WORKS: works,
        LineUse.PV_REWARDS: rewards,
    }


def pv_labels(policy) -> dict[str, str]:
    """The three uses as the year's policy names them (Q-9)."""
    return {
        LineUse.PV_JOBS: policy.pv_public_jobs_label,
        LineUse.PV_WORKS: policy.pv_public_works_label,
        LineUse.PV_REWARDS: policy.pv_rewards_label,
    }


def amount_problems(*, amount: Decimal, net_income: Decimal) -> list[Violation]:
    if amount <= 0:
        return [AST_PLAN.violation("amount", _("Enter the amount to distribute."))]
    if amount > net_income:
        return [
            AST_PLAN.violation(
                "amount",
                _(
                    "The settled income after deductions is %(net)s yuan; %(amount)s yuan "
                    "cannot be distributed."
                )
                % {"net": format_yuan(net_income), "amount": format_yuan(amount)},
            )
        ]
    return []


def line_problems(
    *,
    use: str,
    household,
    item: str,
    payee: str,
    amount: Decimal,
    is_pv: bool,
    planned: Decimal,
    total: Decimal,
) -> list[Violation]:
    """A line as it is added: the use fits the asset, a household line names an eligible
    household (AST-7) and only an eligible household gets a stacked share (AST-STACKED), a PV
    post or work is named, and the lines stay within the distribution."""
    problems = []
    if amount <= 0:
        problems.append(AST_PLAN.violation("amount", _("Enter the amount of the line.")))
    if is_pv and use in HOUSEHOLD_USES:
        problems.append(
            AST_PV_1.violation("use", _("A PV station's income goes to its three uses."))
        )
    if not is_pv and use in PV_USES:
        problems.append(
            AST_PV_1.violation("use", _("Only a PV station's income is split into the three uses."))
        )
    if use in HOUSEHOLD_USES:
        if household is None:
            problems.append(AST_7.violation("household", _("Choose the household.")))
        else:
            problems.extend(eligibility_problems(household))
            if use == LineUse.STACKED:
                problems.extend(stacked_problems(household))
    if use in (LineUse.PV_JOBS, LineUse.PV_WORKS) and not (item or "").strip():
        problems.append(
            AST_PV_1.violation(
                "item",
                _("Name the post.") if use == LineUse.PV_JOBS else _("Name the public work."),
            )
        )
    if use == LineUse.PV_JOBS and household is None and not (payee or "").strip():
        problems.append(AST_PV_1.violation("payee", _("Name the holder of the post.")))
    if amount > 0 and planned + amount > total:
        problems.append(
            AST_PLAN.violation(
                "amount",
                _("The lines would come to %(planned)s yuan, more than the %(total)s yuan set.")
                % {"planned": format_yuan(planned + amount), "total": format_yuan(total)},
            )
        )
    return problems


def eligibility_problems(household) -> list[Violation]:
    """AST-7: a 脱贫户 or a monitored household, from any township (the county is the scope)."""
    if household.merged_into_id is not None:
        return [AST_7.violation("household", _("This household was merged into another."))]
    if household.is_exited or household.is_monitored:
        return []
    return [
        AST_7.violation(
            "household",
            _("%(head)s's household is neither a 脱贫户 nor a monitored household.")
            % {"head": household.head_name},
        )
    ]


def eligible_q() -> Q:
    """The queryset form of ``eligibility_problems`` (AST-7), for the pickers that offer only
    the households a line may name: 脱贫户 and monitored households, not merged into another."""
    from monitoring.models.households import MONITORED_STATES

    return Q(merged_into__isnull=True) & (
        Q(household_type=HouseholdType.EXITED)
        | Q(monitoring_status__in=MONITORED_STATES) & ~Q(monitoring_category="")
    )


def at_or_below_stacked_line(household) -> bool:
    """The household's latest income per head is at or below the stacked line of its income
    year (monitoring's one comparison, §1.5: 以下 includes the line)."""
    if household.per_capita_income is None or household.income_year is None:
        return False
    band = income_band(household.per_capita_income, year=household.income_year)
    return band == IncomeBand.BELOW_STACKED


def stacked_problems(household) -> list[Violation]:
    """AST-STACKED: only a household at or below the stacked line gets a stacked share."""
    if household.per_capita_income is None or household.income_year is None:
        return [
            AST_STACKED.violation(
                "use",
                _(
                    "%(head)s's household has no income recorded, so a stacked share cannot "
                    "be given."
                )
                % {"head": household.head_name},
            )
        ]
    if not at_or_below_stacked_line(household):
        return [
            AST_STACKED.violation(
                "use",
                _(
                    "%(head)s's household has %(income)s yuan per head, above the stacked line: "
                    "no stacked share."
                )
                % {"head": household.head_name, "income": format_yuan(household.per_capita_income)},
            )
        ]
    return []


def missing_stacked_flags(lines, *, visible: set[int] | None = None) -> list[Violation]:
    """AST-STACKED the other way round: a household given a share, at or below the stacked
    line, without its stacked share. A household not in ``visible`` (when given) is not named."""
    stacked = {line.household_id for line in lines if line.use == LineUse.STACKED}
    flags = []
    for line in lines:
        household = line.household
        if (
            line.use != LineUse.SHARE
            or household is None
            or household.pk in stacked
            or not at_or_below_stacked_line(household)
        ):
            continue
        if visible is None or household.pk in visible:
            message = _(
                "%(head)s's household is at or below the stacked line and has no stacked share."
            ) % {"head": household.head_name}
        else:
            message = _(
                "A household outside your area is at or below the stacked line and has no "
                "stacked share."
            )
        flags.append(AST_STACKED.violation("lines", message, severity=FLAG))
    return flags


def complete_problems(
    *, is_pv: bool, total: Decimal, by_use: dict[str, Decimal], policy
) -> list[Violation]:
    """Before publicity: the lines give out the whole amount, and a PV station's lines match
    each of its three uses exactly (AST-PV-1)."""
    planned = sum(by_use.values(), Decimal("0.00"))
    if is_pv:
        problems = []
        labels = pv_labels(policy)
        for use, due in pv_split(total, policy=policy).items():
            given = by_use.get(use, Decimal("0.00"))
            if given != due:
                problems.append(
                    AST_PV_1.violation(
                        "lines",
                        _("%(use)s: the lines come to %(given)s yuan, the share is %(due)s yuan.")
                        % {
                            "use": labels[use],
                            "given": format_yuan(given),
                            "due": format_yuan(due),
                        },
                    )
                )
        return problems
    if planned != total:
        return [
            AST_PLAN.violation(
                "lines",
                _("The lines come to %(planned)s yuan; the distribution is %(total)s yuan.")
                % {"planned": format_yuan(planned), "total": format_yuan(total)},
            )
        ]
    return []


def publicity_problems(
    *, publicity_from: datetime.date | None, publicity_to: datetime.date | None, place: str
) -> list[Violation]:
    problems = []
    if publicity_from is None or publicity_to is None:
        problems.append(
            AST_PV_2.violation("publicity_from", _("Enter when the publicity began and ended."))
        )
    elif publicity_to < publicity_from:
        problems.append(
            AST_PV_2.violation("publicity_to", _("The publicity ends on or after it begins."))
        )
    if not (place or "").strip():
        problems.append(AST_PV_2.violation("publicity_place", _("Say where it was publicised.")))
    return problems


def payment_problems(*, status: str, publicity_to, paid_on: datetime.date) -> list[Violation]:
    """AST-PV-2: paid only once the publicity is recorded and over."""
    if status != "publicised" or publicity_to is None:
        return [AST_PV_2.violation("paid_on", _("Record the publicity before paying."))]
    if paid_on < publicity_to:
        return [
            AST_PV_2.violation(
                "paid_on",
                _("The publicity runs until %(day)s; pay after it ends.")
                % {"day": publicity_to.isoformat()},
            )
        ]
    return []


def tilt_flags(lines: list[tuple[str, Decimal]], *, tilt_required: bool) -> list[Violation]:
    """AST-6 over the household lines, given as (kind, amount) per household with kind
    "monitored" or "exited": all equal is 平均分配; with the tilt required, monitored households'
    average share is at least the others'."""
    if len(lines) < 2:
        return []
    flags = []
    amounts = {amount for _kind, amount in lines}
    if len(amounts) == 1:
        flags.append(
            AST_6.violation(
                "lines",
                _("Every household gets the same amount (平均分配): differentiate the shares."),
            )
        )
    monitored = [amount for kind, amount in lines if kind == "monitored"]
    others = [amount for kind, amount in lines if kind != "monitored"]
    if tilt_required and monitored and others:
        monitored_average = sum(monitored) / len(monitored)
        others_average = sum(others) / len(others)
        if monitored_average < others_average:
            flags.append(
                AST_6.violation(
                    "lines",
                    _(
                        "Monitored households get %(monitored)s yuan on average, less than the "
                        "%(others)s yuan of other 脱贫户: tilt the shares towards them."
                    )
                    % {
                        "monitored": format_yuan(monitored_average),
                        "others": format_yuan(others_average),
                    },
                )
            )
    return flags


def self_built_return_flags(
    *, value: Decimal, to_households: Decimal, percent: Decimal, year: int
) -> list[Violation]:
    """AST-5: what the households received of a year's income against ``percent`` of the
    asset's value."""
    required = minimum_return(value, percent)
    if to_households >= required:
        return []
    return [
        AST_5.violation(
            "amount",
            _(
                "Households receive %(given)s yuan of %(year)s's income, short of %(required)s "
                "yuan (%(percent)s%% of the asset's value)."
            )
            % {
                "year": year,
                "given": format_yuan(to_households),
                "required": format_yuan(required),
                "percent": Decimal(percent).normalize(),
            },
        )
    ]
