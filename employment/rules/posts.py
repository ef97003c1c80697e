"""Public-welfare posts (DOMAIN.md §6.3, plan §四(五)2 四): a post of a village for a person of
the county's 脱贫 or monitored households who has some labour ability, paid monthly; a PV-funded
post names its station (the first use of the 6:3:1 split, Q-9); each month is paid once, within
the post's period, at no more than its monthly pay."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from employment.codes import PostFunding
from employment.rules.records import months_spanned
from kaiyuan.common.money import format_yuan
from kaiyuan.common.rules import Rule, Violation

EMP_POST = Rule(
    "EMP-POST",
    _(
        "A public-welfare post is held by a person of its village's 脱贫 or monitored "
        "households, for months within its period; a PV-funded post names its station."
    ),
)
EMP_POST_PAY = Rule(
    "EMP-POST-PAY",
    _("A post is paid once a month, for a month of its period, at no more than its monthly pay."),
)


def post_problems(
    *,
    village,
    holder,
    funding: str,
    funding_asset,
    start: datetime.date,
    end: datetime.date | None,
    months: int,
) -> list[Violation]:
    problems = []
    if holder.household.area_id != village.pk:
        problems.append(
            EMP_POST.violation(
                "holder",
                _("%(name)s does not live in %(village)s.")
                % {"name": holder.name, "village": village.name},
            )
        )
    if funding == PostFunding.PV_INCOME:
        if funding_asset is None:
            problems.append(EMP_POST.violation("funding_asset", _("Choose the PV station.")))
        elif not funding_asset.is_pv_station:
            problems.append(
                EMP_POST.violation("funding_asset", _("The asset chosen is not a PV station."))
            )
    elif funding_asset is not None:
        problems.append(
            EMP_POST.violation("funding_asset", _("Only a PV-funded post names a station."))
        )
    if end is not None and end < start:
        problems.append(EMP_POST.violation("end_date", _("A post ends on or after it starts.")))
    else:
        limit = months_spanned(start, end or datetime.date(start.year, 12, 31))
        if not 1 <= months <= min(limit, 12):
            problems.append(
                EMP_POST.violation(
                    "months",
                    _("Between 1 and %(limit)s months fit in the post's period.")
                    % {"limit": min(limit, 12)},
                )
            )
    return problems


def payment_problems(*, post, month: datetime.date, amount, already_paid: bool) -> list[Violation]:
    problems = []
    first = month.replace(day=1)
    starts = post.start_date.replace(day=1)
    if first < starts or (post.end_date is not None and first > post.end_date):
        problems.append(
            EMP_POST_PAY.violation("month", _("That month is outside the post's period."))
        )
    if already_paid:
        problems.append(
            EMP_POST_PAY.violation("month", _("This month of the post is already paid."))
        )
    if amount > post.monthly_pay:
        problems.append(
            EMP_POST_PAY.violation(
                "amount",
                _("The post pays %(pay)s a month.") % {"pay": format_yuan(post.monthly_pay)},
            )
        )
    return problems
