"""The reads behind the 明白卡 (§2.11): the card of one household or of a whole village, and the
delivery status of a village's cards. A village costs the same few queries as one household:
households with their village, township, county, group and grid worker in one query, the year's
measures of all of them in a second."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from kaiyuan.areas.models import Area
from kaiyuan.policy.models import PolicySettings
from kaiyuan.policy.services import policy_for
from monitoring.codes import HouseholdType
from monitoring.models import AssistanceMeasure, CardDelivery, Household
from monitoring.models.households import MONITORED_STATES

# The optional line under the application channels (a township duty phone, an office address…).
# Each print may replace it; the site-wide default comes from settings.
NOTE_SETTING = "MONITORING_CARD_NOTE"
NOTE_MAX_LENGTH = 120


def default_card_note() -> str:
    return str(getattr(settings, NOTE_SETTING, "") or "")[:NOTE_MAX_LENGTH]


@dataclass(frozen=True)
class CardMeasure:
    group: str
    measure: str
    department: str
    amount: Decimal | None
    status: Any  # the lazily translated status label, rendered in the document's language


@dataclass(frozen=True)
class Card:
    """Everything printed on one household's card. Deliberately no ID number: it hangs on a wall."""

    year: int
    county: str
    township: str
    village: str
    group: str
    household_number: str
    head_name: str
    household_size: int
    household_type: str
    # The monitored type (脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户), empty when not monitored.
    category: str
    risk_eliminated: bool
    risks: list[str]
    identified_on: datetime.date | None
    helper_name: str
    helper_unit: str
    helper_phone: str
    grid_worker_name: str
    grid_worker_phone: str
    measures: list[CardMeasure] = field(default_factory=list)
    note: str = ""
    line: YearLine | None = None


@dataclass(frozen=True)
class YearLine:
    """A year's monitoring line as printed, and whether it is the demo's figure (演示数据)."""

    amount: Decimal
    demo: bool


@dataclass(frozen=True)
class PolicySheet:
    """The numbers printed on the 明白纸 for one year."""

    year: int
    county: str
    publicity_days: int
    monitoring_line: Decimal | None
    demo_line: bool
    identification_working_days: int
    elimination_min_months: int
    stable_income_months: int
    development_groups: list[str] = field(default_factory=list)
    protection_groups: list[str] = field(default_factory=list)
    other_groups: list[str] = field(default_factory=list)


# ---- which households get a card ----------------------------------------------------------------


def card_households(*, user, village: Area, include_exited: bool = False) -> QuerySet[Household]:
    """The village's monitored households (on the national list, risk eliminated or not), and with
    ``include_exited`` every 脱贫户 of the village as well."""
    wanted = Q(monitoring_status__in=MONITORED_STATES) & ~Q(monitoring_category="")
    if include_exited:
        wanted |= Q(household_type=HouseholdType.EXITED)
    return (
        Household.objects.visible_to(user)
        .current()
        .filter(area=village)
        .filter(wanted)
        .order_by("household_number")
    )


# ---- cards --------------------------------------------------------------------------------------


def _category(household: Household) -> str:
    """The monitored type the county approved, never the household type: a 脱贫户 that is not
    monitored has no monitoring category."""
    return household.monitoring_category if household.is_monitored else ""


def year_line(year: int) -> YearLine | None:
    """``year``'s own monitoring line (it never carries over from another year, MON-LINE-1)."""
    row = PolicySettings.objects.filter(year=year).values("monitoring_line", "demo_values").first()
    if row is None or row["monitoring_line"] is None:
        return None
    return YearLine(row["monitoring_line"], row["demo_values"])


def _card(
    household: Household,
    measures: list[AssistanceMeasure],
    year: int,
    note: str,
    line: YearLine | None,
) -> Card:
    village = household.area
    township = village.parent
    county = township.parent if township is not None else None
    worker = household.grid.worker if household.grid_id and household.grid.worker_id else None
    group = household.group.name if household.group_id else household.natural_village
    return Card(
        year=year,
        county=county.name if county is not None else "",
        township=township.name if township is not None else "",
        village=village.name,
        group=group,
        household_number=household.household_number,
        head_name=household.head_name,
        household_size=household.household_size,
        household_type=household.household_type,
        category=_category(household),
        risk_eliminated=household.monitoring_status == Household.MonitoringStatus.ELIMINATED,
        risks=household.risks if household.is_monitored else [],
        identified_on=household.risk_identified_on if household.is_monitored else None,
        helper_name=household.helper_name,
        helper_unit=household.helper_unit,
        helper_phone=household.helper_phone,
        grid_worker_name=worker.get_full_name() if worker is not None else "",
        grid_worker_phone=worker.phone if worker is not None else "",
        measures=[
            CardMeasure(
                group=m.group,
                measure=m.subtype,
                department=m.department,
                amount=m.amount,
                status=AssistanceMeasure.Status(m.status).label,
            )
            for m in measures
        ],
        note=note,
        line=line,
    )


def cards_for(households: QuerySet[Household], *, year: int, note: str = "") -> list[Card]:
    """The cards of ``households`` (already scoped), in their order: three queries in all."""
    rows = list(households.select_related("area__parent__parent", "group", "grid__worker"))
    by_household: dict[int, list[AssistanceMeasure]] = defaultdict(list)
    if rows:
        measures = AssistanceMeasure.objects.filter(
            household__in=[h.pk for h in rows], year=year
        ).order_by("household_id", "start_date", "pk")
        for measure in measures:
            by_household[measure.household_id].append(measure)
    line = year_line(year) if rows else None
    return [_card(h, by_household[h.pk], year, note, line) for h in rows]


def household_card(*, user, household: Household, year: int, note: str = "") -> Card:
    households = Household.objects.visible_to(user).filter(pk=household.pk)
    return cards_for(households, year=year, note=note)[0]


def village_cards(
    *, user, village: Area, year: int, include_exited: bool = False, note: str = ""
) -> list[Card]:
    households = card_households(user=user, village=village, include_exited=include_exited)
    return cards_for(households, year=year, note=note)


# ---- delivery status ----------------------------------------------------------------------------


class DeliveryStatus:
    NOT_YET = "not_yet"
    DELIVERED = "delivered"
    POSTED = "posted"


def delivery_status(delivered_on, posted_on) -> str:
    if posted_on is not None:
        return DeliveryStatus.POSTED
    if delivered_on is not None:
        return DeliveryStatus.DELIVERED
    return DeliveryStatus.NOT_YET


def village_delivery_list(
    *, user, village: Area, year: int, include_exited: bool = False
) -> list[Household]:
    """The village's card households with this year's delivery (``delivered_by``,
    ``delivered_on``, ``posted_on`` and ``card_status``): one query."""
    deliveries = CardDelivery.objects.filter(household=OuterRef("pk"), year=year)
    households = (
        card_households(user=user, village=village, include_exited=include_exited)
        .select_related("group", "grid")
        .annotate(
            delivered_by=Subquery(deliveries.values("delivered_by")[:1]),
            delivered_on=Subquery(deliveries.values("delivered_on")[:1]),
            posted_on=Subquery(deliveries.values("posted_on")[:1]),
        )
    )
    rows = list(households)
    for household in rows:
        household.card_status = delivery_status(household.delivered_on, household.posted_on)
    return rows


def card_villages(*, user, year: int) -> QuerySet[Area]:
    """The villages the user may see that have monitored households or 脱贫户, with the number
    of monitored households and how many of them got (and posted) this year's card."""
    monitored = (
        Q(households__merged_into__isnull=True)
        & Q(households__monitoring_status__in=MONITORED_STATES)
        & ~Q(households__monitoring_category="")
    )
    exited = Q(households__merged_into__isnull=True) & Q(
        households__household_type=HouseholdType.EXITED
    )
    delivered = monitored & Q(households__card_deliveries__year=year)
    return (
        Area.objects.visible_to(user)
        .villages()
        .select_related("parent")
        .annotate(
            monitored=Count("households", filter=monitored, distinct=True),
            exited=Count("households", filter=exited, distinct=True),
            delivered=Count("households__card_deliveries", filter=delivered, distinct=True),
            posted=Count(
                "households__card_deliveries",
                filter=delivered & Q(households__card_deliveries__posted_on__isnull=False),
                distinct=True,
            ),
        )
        .filter(Q(monitored__gt=0) | Q(exited__gt=0))
        .order_by("code")
    )


# ---- policy sheet -------------------------------------------------------------------------------


def policy_sheet(*, year: int) -> PolicySheet:
    policy = policy_for(year)
    line = year_line(year)
    return PolicySheet(
        year=year,
        county=Area.objects.home_county().name,
        publicity_days=policy.monitoring_publicity_days,
        monitoring_line=line.amount if line else None,
        demo_line=bool(line and line.demo),
        identification_working_days=policy.identification_working_days,
        elimination_min_months=policy.elimination_min_months,
        stable_income_months=policy.elimination_stable_income_months,
        development_groups=[g.value for g in AssistanceMeasure.DEVELOPMENT_GROUPS],
        protection_groups=[AssistanceMeasure.Group.SOCIAL_PROTECTION.value],
        other_groups=[
            g.value
            for g in AssistanceMeasure.Group
            if g not in AssistanceMeasure.DEVELOPMENT_GROUPS
            and g != AssistanceMeasure.Group.SOCIAL_PROTECTION
        ],
    )
