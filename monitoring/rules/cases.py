"""The rules of identification, elimination and assistance measures (DOMAIN.md §2.8):
MON-CAT-1..3, MON-RISK-1..4, MON-ID-1..5, MON-MEAS-1..2, MON-ELIM-1..7.

Each returns Violations (errors refuse the step; flags are listed, not blocking). The numbers they
use (6 months, 5 days, 20 working days …) come from the year's policy settings.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaiyuan.common.dates import add_months, add_working_days
from kaiyuan.common.errors import DomainError
from kaiyuan.common.rules import FLAG, Rule, Violation
from kaiyuan.policy.services import monitoring_line_for, policy_for
from monitoring.codes import (
    HAS_LABOUR,
    RISK_DISABILITY,
    RISK_EMPLOYMENT,
    RISK_ILLNESS,
    RISK_WATER,
    IdType,
    MonitoringCategory,
)
from monitoring.models import (
    AssistanceMeasure,
    CodeItem,
    GuaranteeCheck,
    Household,
    IncomeRecord,
    Member,
    Visit,
)
from monitoring.rules.measures import labour_profile

MAX_RISKS = 5

# The rules of this module, each defined once (DOMAIN.md §2.8).
MON_CAT_1 = Rule(
    "MON-CAT-1",
    gettext_lazy(
        "脱贫不稳定户 only for poverty-exited households, 边缘易致贫户 only for ordinary ones, "
        "突发严重困难户 for either."
    ),
)
MON_CAT_2 = Rule(
    "MON-CAT-2",
    gettext_lazy(
        "For 脱贫不稳定户 and 边缘易致贫户 the income should be below the monitoring line, or the "
        "case explains why income is unstable."
    ),
    FLAG,
)
MON_CAT_3 = Rule("MON-CAT-3", gettext_lazy("One to five different risk types from the code table."))
MON_RISK_1 = Rule("MON-RISK-1", gettext_lazy("因残 needs a member with a disability certificate."))
MON_RISK_2 = Rule("MON-RISK-2", gettext_lazy("Unsafe drinking water needs the risk 因安全饮水."))
MON_RISK_3 = Rule(
    "MON-RISK-3", gettext_lazy("A member without basic medical insurance needs 因病.")
)
MON_RISK_4 = Rule("MON-RISK-4", gettext_lazy("因务工就业不稳 needs a member with labour ability."))
MON_ID_1 = Rule(
    "MON-ID-1",
    gettext_lazy("Verification starts only with the signed application and authorisation."),
)
MON_ID_2 = Rule("MON-ID-2", gettext_lazy("On-site verification names at least two verifiers."))
# DOMAIN.md §2.7 step 4: an identification case leaves VERIFYING only with the county's data
# cross-check as well as the on-site verification. Not MON-ID-2, which counts the verifiers.
MON_ID_CROSSCHECK = Rule(
    "MON-ID-CROSSCHECK",
    gettext_lazy(
        "An identification case moves on to the democratic appraisal only after the county "
        "bureau's data cross-check (信息比对)."
    ),
)
MON_ID_3 = Rule(
    "MON-ID-3", gettext_lazy("The village publicity runs its full period before township review.")
)
MON_ID_4 = Rule(
    "MON-ID-4",
    gettext_lazy("Identification finishes within N working days of the application."),
    FLAG,
)
MON_ID_5 = Rule(
    "MON-ID-5",
    gettext_lazy("Before county approval, measures only for a case of natural-disaster risk."),
)
MON_ELIM_1 = Rule(
    "MON-ELIM-1",
    gettext_lazy("Elimination starts six months after identification, with a measure implemented."),
)
MON_ELIM_2 = Rule(
    "MON-ELIM-2",
    gettext_lazy("Income above the monitoring line and stable, 三保障 and drinking water secured."),
)
MON_ELIM_3 = Rule("MON-ELIM-3", gettext_lazy("A household without any labour is not eliminated."))
MON_ELIM_4 = Rule("MON-ELIM-4", gettext_lazy("帮扶消除 needs an implemented assistance measure."))
MON_ELIM_5 = Rule(
    "MON-ELIM-5",
    gettext_lazy("An assisted elimination soon after identification is flagged."),
    FLAG,
)
MON_ELIM_6 = Rule("MON-ELIM-6", gettext_lazy("Every post-elimination indicator is filled in."))


# =============================================================================================
# Identification: category and risks
# =============================================================================================


def category_fits(household: Household, category: str, *, field: str) -> list[Violation]:
    """MON-CAT-1: 脱贫不稳定户 only for 脱贫户; 边缘易致贫户 only for 一般农户; 突发 for either. An
    empty category has nothing to judge (a household that is not monitored)."""
    if category == MonitoringCategory.UNSTABLE and not household.is_exited:
        return [
            MON_CAT_1.violation(field, _("脱贫不稳定户 is only for poverty-exited households."))
        ]
    if category == MonitoringCategory.MARGINAL and household.is_exited:
        return [
            MON_CAT_1.violation(field, _("边缘易致贫户 is only for ordinary rural households."))
        ]
    return []


def check_category(household: Household, category: str) -> list[Violation]:
    """MON-CAT-1 for a case: a category is chosen, and it fits the household."""
    if category not in MonitoringCategory.values:
        return [MON_CAT_1.violation("category", _("Choose the monitoring category."))]
    return category_fits(household, category, field="category")


def check_risk_slots(risks: list[str]) -> list[Violation]:
    """MON-CAT-3: at least one risk, at most five, no value twice, each from the code table."""
    risks = [r for r in risks if r]
    if not risks:
        return [
            MON_CAT_3.violation("risk_1", _("A monitored household has at least one risk type."))
        ]
    violations = []
    if len(risks) > MAX_RISKS:
        violations.append(MON_CAT_3.violation("risk_1", _("At most five risk types.")))
    if len(set(risks)) != len(risks):
        violations.append(MON_CAT_3.violation("risk_1", _("A risk type may be chosen only once.")))
    known = set(CodeItem.objects.values_of("risk_type"))
    unknown = [r for r in risks if r not in known]
    if unknown:
        violations.append(
            MON_CAT_3.violation(
                "risk_1", _("Unknown risk type: %(r)s.") % {"r": "、".join(unknown)}
            )
        )
    return violations


def latest_guarantees(household: Household, kind: str) -> GuaranteeCheck | None:
    return household.guarantee_checks.filter(kind=kind).order_by("-checked_on", "-id").first()


def check_risk_consistency(household: Household, risks: list[str]) -> list[Violation]:
    """MON-RISK-1..4: the risk types must agree with the household's members and answers."""
    members = list(household.members.filter(status=Member.Status.ACTIVE))
    violations = []
    if RISK_DISABILITY in risks and not any(
        m.id_type == IdType.DISABILITY_CERT or m.disability_category for m in members
    ):
        violations.append(
            MON_RISK_1.violation(
                "risk_1",
                _("因残 needs at least one member with a disability certificate."),
            )
        )
    answers = latest_guarantees(household, GuaranteeCheck.Kind.IDENTIFICATION)
    if answers is not None and answers.water_unsafe and RISK_WATER not in risks:
        violations.append(
            MON_RISK_2.violation(
                "risk_1",
                _("Drinking water is unsafe, so one risk type must be 因安全饮水."),
            )
        )
    if answers is not None and answers.member_uninsured and RISK_ILLNESS not in risks:
        violations.append(
            MON_RISK_3.violation(
                "risk_1",
                _("A member has no basic medical insurance, so one risk type must be 因病."),
            )
        )
    if RISK_EMPLOYMENT in risks and not any(m.labour_skill in HAS_LABOUR for m in members):
        violations.append(
            MON_RISK_4.violation(
                "risk_1",
                _("因务工就业不稳 needs at least one member with labour ability."),
            )
        )
    return violations


def check_income_for_category(
    household: Household, category: str, year: int, justification: str
) -> list[Violation]:
    """MON-CAT-2 (flag): for 脱贫不稳定户 and 边缘易致贫户 the per-capita income should be below the
    year's monitoring line; if it is not, the case needs an 'income unstable' justification."""
    if category not in (MonitoringCategory.UNSTABLE, MonitoringCategory.MARGINAL):
        return []
    income = (
        household.incomes.filter(year=year, kind=IncomeRecord.Kind.IDENTIFICATION).first()
        or household.incomes.filter(year=year).order_by("kind").first()
    )
    if income is None:
        return [
            MON_CAT_2.violation(
                "income_unstable_reason",
                _("No income record for %(year)s: enter the income at identification.")
                % {"year": year},
            )
        ]
    try:
        line = monitoring_line_for(year)
    except DomainError as exc:
        return [MON_CAT_2.violation("income_unstable_reason", exc.message)]
    if income.per_capita_net_income >= line and not justification.strip():
        return [
            MON_CAT_2.violation(
                "income_unstable_reason",
                _(
                    "Per-capita income %(income)s is not below the monitoring line %(line)s: "
                    "explain why income is unstable."
                )
                % {"income": income.per_capita_net_income, "line": line},
            )
        ]
    return []


def identification_deadline(application_date: datetime.date) -> datetime.date:
    """MON-ID-4: identification finishes within N working days of the application (the year's
    policy); a case still open after its deadline is listed as overdue."""
    days = policy_for(application_date.year).identification_working_days
    return add_working_days(application_date, days)


def check_verifiers(names: Iterable[str]) -> list[Violation]:
    """MON-ID-2: an on-site verification record names at least two different verifiers."""
    distinct = {n.strip() for n in names if n and n.strip()}
    if len(distinct) < 2:
        return [
            MON_ID_2.violation(
                "verifiers",
                _("On-site verification needs at least two named verifiers."),
            )
        ]
    return []


def publicity_end(start: datetime.date, year: int) -> datetime.date:
    """MON-ID-3: publicity lasts N calendar days, the start day included."""
    return start + datetime.timedelta(days=policy_for(year).monitoring_publicity_days - 1)


def publicity_over_q(today: datetime.date) -> Q:
    """MON-ID-3 as a query: the cases whose publicity has run its days (``check_publicity_over``
    for a list, the 待办 inbox's village steps)."""
    return Q(publicity_end__lt=today)


def check_publicity_over(end: datetime.date, today: datetime.date) -> list[Violation]:
    if today <= end:
        return [
            MON_ID_3.violation(
                "publicity",
                _("The publicity runs until %(end)s; township review can start the day after.")
                % {"end": end.isoformat()},
            )
        ]
    return []


# =============================================================================================
# Assistance measures (MON-MEAS-1/2, MON-ID-5)
# =============================================================================================


# =============================================================================================
# Elimination (MON-ELIM-1..7)
# =============================================================================================


def check_elimination_start(
    household: Household, mode: str, today: datetime.date
) -> list[Violation]:
    """MON-ELIM-1, -3 and -4: checked when the case opens and again at every step."""
    violations = []
    months = policy_for(today.year).elimination_min_months
    identified = household.risk_identified_on
    if identified is None:
        violations.append(
            MON_ELIM_1.violation(
                "risk_identified_on",
                _("The household has no identification date, so elimination cannot start."),
            )
        )
    elif add_months(identified, months) > today:
        violations.append(
            MON_ELIM_1.violation(
                "risk_identified_on",
                _(
                    "Identified on %(date)s, less than %(m)s months ago: elimination may start on "
                    "%(earliest)s."
                )
                % {
                    "date": identified.isoformat(),
                    "m": months,
                    "earliest": add_months(identified, months).isoformat(),
                },
            )
        )
    implemented = household.measures.filter(status=AssistanceMeasure.Status.IMPLEMENTED)
    if not implemented.exists():
        violations.append(
            MON_ELIM_1.violation(
                "measures",
                _("The household has no implemented assistance measure yet."),
            )
        )
    _has_labour, none_has_labour = labour_profile(household)
    if none_has_labour or household.whole_household_no_labour:
        violations.append(
            MON_ELIM_3.violation(
                "labour",
                _(
                    "No member has labour ability: the household stays under follow-up "
                    "monitoring and is not eliminated."
                ),
            )
        )
    if (
        mode == "帮扶消除"
        and not implemented.exists()
        and household.development_measures != "已实施"
    ):
        violations.append(
            MON_ELIM_4.violation(
                "elimination_mode",
                _("帮扶消除 needs at least one implemented assistance measure."),
            )
        )
    if mode not in ("帮扶消除", "自然消除"):
        violations.append(
            MON_ELIM_4.violation("elimination_mode", _("Choose the elimination mode."))
        )
    return violations


def check_elimination_indicators(household: Household, today: datetime.date) -> list[Violation]:
    """MON-ELIM-2 and MON-ELIM-6: after verification the post-elimination income and 三保障/water
    answers are filled and good, and income has been stable."""
    violations = []
    policy = policy_for(today.year)
    income = household.incomes.filter(kind=IncomeRecord.Kind.ELIMINATION).order_by("-year").first()
    answers = latest_guarantees(household, GuaranteeCheck.Kind.ELIMINATION)
    if income is None or answers is None or not answers.guarantees_complete:
        violations.append(
            MON_ELIM_6.violation(
                "indicators",
                _(
                    "Fill in every post-elimination indicator: the four 三保障/water answers "
                    "and the income and expenditure."
                ),
            )
        )
        return violations
    try:
        line = monitoring_line_for(income.year)
    except DomainError as exc:
        violations.append(MON_ELIM_2.violation("indicators", exc.message))
    else:
        if income.per_capita_net_income <= line:
            violations.append(
                MON_ELIM_2.violation(
                    "indicators",
                    _(
                        "Per-capita net income %(income)s is not above the %(year)s monitoring "
                        "line %(line)s."
                    )
                    % {"income": income.per_capita_net_income, "year": income.year, "line": line},
                )
            )
    if answers.guarantee_problems:
        violations.append(
            MON_ELIM_2.violation(
                "indicators",
                _("三保障 and drinking water are not all secured: %(p)s.")
                % {"p": "、".join(answers.guarantee_problems)},
            )
        )
    since = add_months(today, -policy.elimination_stable_income_months)
    drops = household.visits.filter(visited_on__gte=since, income_change=Visit.IncomeChange.DOWN)
    if drops.exists():
        violations.append(
            MON_ELIM_2.violation(
                "indicators",
                _(
                    "A visit since %(date)s found income falling: income has not been stable for "
                    "%(m)s months."
                )
                % {"date": since.isoformat(), "m": policy.elimination_stable_income_months},
            )
        )
    return violations


def check_elimination_early(household: Household, today: datetime.date) -> list[Violation]:
    """MON-ELIM-5 (flag): an assisted elimination within N months of identification."""
    months = policy_for(today.year).elimination_early_flag_months
    identified = household.risk_identified_on
    if identified is not None and add_months(identified, months) > today:
        return [
            MON_ELIM_5.violation(
                "risk_identified_on",
                _("Eliminated within %(m)s months of identification: please review.")
                % {"m": months},
            )
        ]
    return []
