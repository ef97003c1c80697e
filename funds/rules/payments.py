"""The tranche rules of 报账制 (DOMAIN.md §4.4 FND-1..6, FND-11, §3.7 PRJ-HH-1..3, §10 Q-6, Q-7,
Q-8), each once, as pure checks of a payment against the project's position.

The plan's words are read as §1.5 says: "不能超过30%" is at most 30 % of the fund total (the
linkage-fund amount approved for the project, Q-6 a); "达到70%以上" is at least 70 %; "不超过2000
元" at most 2,000.00. A cap is compared with the exact share of the total (no rounding): on a
total of 1,000,000.00 an advance of 300,000.00 passes and 300,000.01 is refused.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from funds.codes import ReimbursementStatus, Tranche
from kaiyuan.common.dates import add_months
from kaiyuan.common.money import format_yuan
from kaiyuan.common.rules import FLAG, Rule, Violation
from projects.codes import FinanceMode

FND_1 = Rule(
    "FND-1",
    _("Before physical progress reaches the threshold, payments stay within the advance share."),
)
FND_2 = Rule(
    "FND-2",
    _("The progress payment is paid once physical progress reaches the threshold."),
)
FND_3 = Rule("FND-3", _("The final payment is paid after a passed acceptance."))
FND_4 = Rule(
    "FND-4",
    _("The quality retention is withheld from the final payment and released after its period."),
)
FND_5 = Rule(
    "FND-5", _("A payment is reported for reimbursement (报账) within the days set."), FLAG
)
FND_6 = Rule(
    "FND-6",
    _(
        "A debt-type project's money goes in one transfer to the counterparty of its placement, "
        "with the risk-control measures recorded."
    ),
)
FND_11 = Rule(
    "FND-11",
    _("A household subsidy goes to a member of a beneficiary household of the project."),
)
FND_TOTAL = Rule(
    "FND-TOTAL", _("Payments of a project stay within its fund total and the money arrived.")
)
FND_TRANCHE = Rule("FND-TRANCHE", _("The tranche is one the project's finance mode pays."))
FND_USE = Rule(
    "FND-USE", _("The payment is tagged with a use on the list of prohibited uses."), FLAG
)
PRJ_HH_1 = Rule(
    "PRJ-HH-1",
    _("A household subsidy is paid after an inspection proves the build or stock (先建后补)."),
)
PRJ_HH_2 = Rule(
    "PRJ-HH-2",
    _("A household's subsidies in a calendar year stay within the cap, across all projects."),
)
PRJ_HH_3 = Rule(
    "PRJ-HH-3", _("Only poverty-exited (脱贫户) and monitored households receive subsidies.")
)

# The tranches each finance mode pays.
TRANCHES_OF_MODE = {
    FinanceMode.SELF_BUILT: (Tranche.ADVANCE, Tranche.PROGRESS, Tranche.FINAL, Tranche.RETENTION),
    FinanceMode.OTHER: (Tranche.ADVANCE, Tranche.PROGRESS, Tranche.FINAL, Tranche.RETENTION),
    FinanceMode.DEBT: (Tranche.LUMP_SUM,),
    FinanceMode.HOUSEHOLD: (Tranche.HOUSEHOLD,),
}


def percent_text(value: Decimal) -> str:
    """30 for 30.00, 27.5 for 27.50: how a share is written in a message."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def share_of(total: Decimal, percent: Decimal) -> Decimal:
    """The exact share (not rounded: a cap is compared with it as it is)."""
    return total * percent / Decimal(100)


@dataclass(frozen=True)
class Position:
    """Where a project's money stands when a payment is checked."""

    finance_mode: str
    fund_total: Decimal  # Q-6 a: the linkage funds approved for the project
    paid: Decimal  # net of reversals, every tranche
    available: Decimal  # arrived on or before the payment's date and not yet drawn
    latest_progress: Decimal | None
    accepted_on: datetime.date | None  # the passed acceptance, if any
    retention_required: bool
    retention_paid: Decimal
    retention_deducted: Decimal


@dataclass(frozen=True)
class Terms:
    """The year's policy numbers the tranche rules read (PolicySettings)."""

    advance_percent: Decimal
    progress_payment_percent: Decimal
    progress_threshold_percent: Decimal
    retention_percent: Decimal
    retention_release_months: int

    @classmethod
    def of(cls, policy) -> Terms:
        return cls(
            advance_percent=policy.advance_percent,
            progress_payment_percent=policy.progress_payment_percent,
            progress_threshold_percent=policy.progress_threshold_percent,
            retention_percent=policy.retention_percent,
            retention_release_months=policy.retention_release_months,
        )


def progress_reached(position: Position, terms: Terms) -> bool:
    return (
        position.latest_progress is not None
        and position.latest_progress >= terms.progress_threshold_percent
    )


def retention_amount(position: Position, terms: Terms) -> Decimal:
    """What FND-4 withholds from the final payment (0 when no retention is required)."""
    if not position.retention_required:
        return Decimal("0.00")
    return share_of(position.fund_total, terms.retention_percent)


def retention_due(accepted_on: datetime.date, terms: Terms) -> datetime.date:
    """Q-6 b: released after the defect period from the acceptance."""
    return add_months(accepted_on, terms.retention_release_months)


def _over(paid_after: Decimal, cap: Decimal) -> bool:
    return paid_after > cap


def tranche_problems(
    *, tranche: str, amount: Decimal, paid_on: datetime.date, position: Position, terms: Terms
) -> list[Violation]:
    """FND-1..4, FND-TOTAL and FND-TRANCHE for one payment of ``amount``."""
    allowed = TRANCHES_OF_MODE.get(position.finance_mode, ())
    if tranche not in allowed:
        return [
            FND_TRANCHE.violation(
                "tranche",
                _("A %(mode)s project pays %(allowed)s, not %(tranche)s.")
                % {
                    "mode": position.finance_mode,
                    "allowed": "、".join(str(Tranche(t).label) for t in allowed),
                    "tranche": Tranche(tranche).label,
                },
            )
        ]
    total = position.fund_total
    after = position.paid + amount
    problems: list[Violation] = []
    reached = progress_reached(position, terms)

    staged = tranche in (Tranche.ADVANCE, Tranche.PROGRESS, Tranche.FINAL, Tranche.RETENTION)
    if staged and not reached and _over(after, share_of(total, terms.advance_percent)):
        problems.append(
            FND_1.violation(
                "amount",
                _(
                    "Cumulative payments of %(paid)s yuan exceed %(percent)s%% of the fund "
                    "total of %(total)s yuan (physical progress has not reached "
                    "%(threshold)s%%)."
                )
                % {
                    "paid": format_yuan(after),
                    "percent": percent_text(terms.advance_percent),
                    "total": format_yuan(total),
                    "threshold": percent_text(terms.progress_threshold_percent),
                },
            )
        )
    if tranche == Tranche.PROGRESS:
        if not reached:
            problems.append(
                FND_2.violation(
                    "tranche",
                    _(
                        "The progress payment needs a progress report of at least "
                        "%(threshold)s%%; the latest says %(latest)s."
                    )
                    % {
                        "threshold": percent_text(terms.progress_threshold_percent),
                        "latest": (
                            f"{percent_text(position.latest_progress)}%"
                            if position.latest_progress is not None
                            else _("no report yet")
                        ),
                    },
                )
            )
        else:
            share = terms.advance_percent + terms.progress_payment_percent
            if _over(after, share_of(total, share)):
                problems.append(
                    FND_2.violation(
                        "amount",
                        _(
                            "Cumulative payments of %(paid)s yuan exceed %(percent)s%% of the "
                            "fund total of %(total)s yuan before the acceptance."
                        )
                        % {
                            "paid": format_yuan(after),
                            "percent": percent_text(share),
                            "total": format_yuan(total),
                        },
                    )
                )
    if tranche in (Tranche.FINAL, Tranche.RETENTION) and position.accepted_on is None:
        problems.append(
            FND_3.violation(
                "tranche",
                _("The %(tranche)s is paid after the bureau's acceptance is passed (验收合格).")
                % {"tranche": Tranche(tranche).label},
            )
        )
    if tranche == Tranche.FINAL and position.accepted_on is not None:
        withheld = retention_amount(position, terms)
        if _over(after, total - withheld):
            problems.append(
                FND_4.violation(
                    "amount",
                    _(
                        "Cumulative payments of %(paid)s yuan exceed the fund total of %(total)s "
                        "yuan less the %(percent)s%% quality retention (%(withheld)s yuan)."
                    )
                    % {
                        "paid": format_yuan(after),
                        "total": format_yuan(total),
                        "percent": percent_text(terms.retention_percent),
                        "withheld": format_yuan(withheld),
                    },
                )
            )
    if tranche == Tranche.RETENTION and position.accepted_on is not None:
        due = retention_due(position.accepted_on, terms)
        releasable = (
            retention_amount(position, terms)
            - position.retention_paid
            - position.retention_deducted
        )
        if not position.retention_required:
            problems.append(
                FND_4.violation("tranche", _("No quality retention was withheld on this project."))
            )
        elif paid_on < due:
            problems.append(
                FND_4.violation(
                    "paid_on",
                    _(
                        "The quality retention is released from %(due)s, %(months)s months after "
                        "the acceptance."
                    )
                    % {"due": due.isoformat(), "months": terms.retention_release_months},
                )
            )
        elif amount > releasable:
            problems.append(
                FND_4.violation(
                    "amount",
                    _(
                        "%(amount)s yuan is more than the %(left)s yuan of retention left "
                        "to release."
                    )
                    % {"amount": format_yuan(amount), "left": format_yuan(max(releasable, 0))},
                )
            )
    problems += total_problems(amount=amount, position=position)
    return problems


def total_problems(*, amount: Decimal, position: Position) -> list[Violation]:
    """Whatever the tranche: within the fund total, and within the money that has arrived."""
    after = position.paid + amount
    if after > position.fund_total:
        return [
            FND_TOTAL.violation(
                "amount",
                _("Cumulative payments of %(paid)s yuan exceed the fund total of %(total)s yuan.")
                % {"paid": format_yuan(after), "total": format_yuan(position.fund_total)},
            )
        ]
    if amount > position.available:
        return [
            FND_TOTAL.violation(
                "amount",
                _(
                    "Only %(available)s yuan of the project's funds had arrived at the township "
                    "by the payment date and is unspent."
                )
                % {"available": format_yuan(position.available)},
            )
        ]
    return []


def debt_transfer_problems(*, placement, payee_uscc: str, amount: Decimal, placed: Decimal):
    """FND-6: the one-off transfer goes to the placement's counterparty, within its principal."""
    if placement is None:
        return [
            FND_6.violation(
                "placement",
                _(
                    "Record the debt placement (counterparty, principal, term, return, collateral "
                    "and risk-control measures) before transferring the money."
                ),
            )
        ]
    problems = []
    if payee_uscc != placement.counterparty_uscc:
        problems.append(
            FND_6.violation(
                "payee_uscc",
                _("The transfer goes to the placement's counterparty, %(name)s (%(code)s).")
                % {"name": placement.counterparty, "code": placement.counterparty_uscc},
            )
        )
    if placed + amount > placement.principal:
        problems.append(
            FND_6.violation(
                "amount",
                _(
                    "Transfers of %(paid)s yuan exceed the placement's principal of "
                    "%(principal)s yuan."
                )
                % {
                    "paid": format_yuan(placed + amount),
                    "principal": format_yuan(placement.principal),
                },
            )
        )
    return problems


def household_subsidy_problems(
    *,
    household,
    is_beneficiary: bool,
    payee_is_member: bool,
    inspected_on: datetime.date | None,
    inspected_by: str,
    paid_on: datetime.date,
    amount: Decimal,
    paid_this_year: Decimal,
    cap: Decimal,
) -> list[Violation]:
    """PRJ-HH-1..3 and FND-11 for one household subsidy (Q-7: the cap is per household per
    calendar year, across every household-level project)."""
    problems = []
    if not (household.is_exited or household.is_monitored):
        problems.append(
            PRJ_HH_3.violation(
                "household",
                _("Household %(number)s is neither a 脱贫户 nor a monitored household.")
                % {"number": household.household_number},
            )
        )
    if not is_beneficiary:
        problems.append(
            FND_11.violation(
                "household",
                _("Household %(number)s is not among the project's beneficiary households.")
                % {"number": household.household_number},
            )
        )
    if not payee_is_member:
        problems.append(
            FND_11.violation(
                "payee_id_number",
                _("The payee's ID number is not that of a member of the household."),
            )
        )
    if inspected_on is None or not (inspected_by or "").strip():
        problems.append(
            PRJ_HH_1.violation(
                "inspected_on",
                _("Build first, subsidise after: record the inspection (date and inspector)."),
            )
        )
    elif inspected_on > paid_on:
        problems.append(
            PRJ_HH_1.violation(
                "inspected_on", _("The inspection comes before the payment, not after it.")
            )
        )
    if paid_this_year + amount > cap:
        problems.append(
            PRJ_HH_2.violation(
                "amount",
                _(
                    "Household subsidies of %(paid)s yuan in %(year)s exceed the cap of %(cap)s "
                    "yuan per household (already paid %(before)s yuan)."
                )
                % {
                    "paid": format_yuan(paid_this_year + amount),
                    "year": paid_on.year,
                    "cap": format_yuan(cap),
                    "before": format_yuan(paid_this_year),
                },
            )
        )
    return problems


def use_flags(use) -> list[Violation]:
    """Q-8: a payment tagged with a prohibited use is flagged for finance, not refused."""
    if use is not None and use.prohibited:
        return [
            FND_USE.violation(
                "use",
                _(
                    "“%(use)s” is on the list of prohibited uses of linkage funds; finance "
                    "checks it."
                )
                % {"use": use.name},
            )
        ]
    return []


def reimbursement_due(paid_on: datetime.date, days: int) -> datetime.date:
    """FND-5 (Q-6 c): reported within ``days`` calendar days of the payment, the last one
    included."""
    return paid_on + datetime.timedelta(days=days)


def reimbursement_overdue(paid_on: datetime.date, days: int, today: datetime.date) -> bool:
    return today > reimbursement_due(paid_on, days)


def reimbursement_overdue_q(days: int, today: datetime.date) -> Q:
    """FND-5, the queryset form over payments: not reported, paid more than ``days`` before
    ``today``; neither a reversal nor reversed (whose 报账 is closed)."""
    from funds.models import Payment

    return Q(
        reverses__isnull=True,
        reimbursement__status=ReimbursementStatus.UNREPORTED,
        paid_on__lt=today - datetime.timedelta(days=days),
    ) & ~Exists(Payment.objects.filter(reverses=OuterRef("pk")))


def overdue_flag(paid_on: datetime.date, days: int) -> Violation:
    return FND_5.violation(
        "reimbursement",
        _("Not reported for reimbursement by %(due)s.")
        % {"due": reimbursement_due(paid_on, days).isoformat()},
    )
