"""Settling a year's income (清算, AST-8), the deductions allowed before it is distributed
(AST-9), and the return a debt-type asset must bring (AST-4)."""

from __future__ import annotations

from decimal import ROUND_UP, Decimal

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.money import CENT, format_yuan
from kaiyuan.common.rules import FLAG, Rule, Violation

AST_4 = Rule(
    "AST-4",
    _(
        "A debt-type placement returns at least the minimum annual return set (6 per cent of "
        "the principal) each year."
    ),
    FLAG,
)
AST_8 = Rule(
    "AST-8",
    _("A year's income is settled (清算) for each asset before it is distributed."),
)
AST_9 = Rule(
    "AST-9",
    _("Before distribution only fixed-asset depreciation and project maintenance are deducted."),
)

# The only deductions the plan allows (§四(五)2 四: "除用于提取固定资产折旧费和项目维护费外").
ALLOWED_DEDUCTIONS = ("depreciation", "maintenance")


def minimum_return(base: Decimal, percent: Decimal) -> Decimal:
    """The return a base must bring at ``percent`` a year, up to the next fen: the one place
    AST-4 and AST-5 compute it, so 6 % of 100,000.00 is 6,000.00 and 5,999.99 falls short.
    Rounding up makes "at least the fen amount" the same as "at least percent × base", which
    is what ``shortfall_q`` compares in the database."""
    return (Decimal(base) * Decimal(percent) / 100).quantize(CENT, rounding=ROUND_UP)


def shortfall_q(received: str, base: str, percent: Decimal) -> Q:
    """The queryset form of AST-4 and AST-5: rows whose ``received`` annotation is short of
    ``percent`` of their ``base`` field, compared exactly, with no rounding
    (``received < base × percent / 100``)."""
    return Q(**{f"{received}__lt": F(base) * Decimal(percent) / 100})


def settlement_problems(*, year: int, today_year: int, formed_year: int) -> list[Violation]:
    """A year is settled once it is over, and not before the asset existed."""
    if year >= today_year:
        return [
            AST_8.violation(
                "year",
                _("%(year)s is not over: income is settled for a past year.") % {"year": year},
            )
        ]
    if year < formed_year:
        return [
            AST_8.violation(
                "year",
                _("The asset was formed in %(formed)s; it has no income for %(year)s.")
                % {"formed": formed_year, "year": year},
            )
        ]
    return []


def deduction_problems(*, gross_income: Decimal, deductions: dict[str, Decimal]) -> list[Violation]:
    """AST-9: nothing but depreciation and maintenance, neither negative, together no more than
    the income."""
    problems = []
    for kind in deductions:
        if kind not in ALLOWED_DEDUCTIONS:
            problems.append(
                AST_9.violation(
                    kind,
                    _(
                        "Only fixed-asset depreciation and project maintenance may be deducted "
                        "before the income goes to households."
                    ),
                )
            )
    if any(amount < 0 for amount in deductions.values()):
        problems.append(AST_9.violation("depreciation", _("A deduction is not negative.")))
    total = sum(deductions.values(), Decimal("0.00"))
    if total > gross_income:
        problems.append(
            AST_9.violation(
                "maintenance",
                _("Deductions of %(total)s yuan exceed the income of %(income)s yuan.")
                % {"total": format_yuan(total), "income": format_yuan(gross_income)},
            )
        )
    return problems


def distribution_needs_settlement(income) -> list[Violation]:
    """AST-8 before a plan is drawn up: the year's income is settled and leaves something."""
    if income is None:
        return [AST_8.violation("income", _("Settle the year's income (清算) first."))]
    if income.net_income <= 0:
        return [
            AST_8.violation(
                "income", _("After depreciation and maintenance nothing is left to distribute.")
            )
        ]
    return []


def debt_return_flags(
    *, principal: Decimal, returned: Decimal, percent: Decimal, year: int
) -> list[Violation]:
    """AST-4: the returns received for ``year`` against ``percent`` of the principal."""
    required = minimum_return(principal, percent)
    if returned >= required:
        return []
    return [
        AST_4.violation(
            "returns",
            _(
                "Returns for %(year)s are %(returned)s yuan, short of %(required)s yuan "
                "(%(percent)s%% of the principal)."
            )
            % {
                "year": year,
                "returned": format_yuan(returned),
                "required": format_yuan(required),
                "percent": Decimal(percent).normalize(),
            },
        )
    ]
