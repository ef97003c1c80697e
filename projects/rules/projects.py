"""What a proposal must hold (DOMAIN.md §3.2, §3.5): the funding that adds up, the villages'
shares (PRJ-5), the fields the township review needs (PRJ-4), the 四有 checklist of industry
projects (PRJ-9), and the rural-construction lists of model-village projects."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kaiyuan.common.money import format_yuan
from kaiyuan.common.rules import Rule, Violation
from projects.codes import INDICATOR_KINDS, SUBCATEGORIES, IndicatorGroup

HUNDRED = Decimal("100")

PRJ_FUNDING = Rule("PRJ-FUNDING", _("The funding by level adds up to the total investment."))
PRJ_DATES = Rule("PRJ-DATES", _("The planned completion is not before the planned start."))
PRJ_SUBCATEGORY = Rule("PRJ-SUBCATEGORY", _("The sub-category belongs to the category."))
PRJ_SHARES = Rule("PRJ-SHARES", _("The villages' shares of the project add up to 100%."))
PRJ_4 = Rule(
    "PRJ-4",
    _(
        "The township review needs the cost estimate, the fund source, the farmer-linking "
        "mechanism and the performance targets."
    ),
)
PRJ_5 = Rule(
    "PRJ-5",
    _(
        "A project spanning several villages names its beneficiary entity, the asset ownership "
        "split and each village's duties."
    ),
)
PRJ_9 = Rule("PRJ-9", _("An industry project meets every item of the 四有 checklist."))
PRJ_RC_1 = Rule(
    "PRJ-RC-1",
    _(
        "A model-village project falls under the positive list and under no item of the "
        "negative list."
    ),
)


def funding_problems(*, total, parts: dict[str, Decimal]) -> list[Violation]:
    given = sum(parts.values(), Decimal("0"))
    if total is None or given == total:
        return []
    return [
        PRJ_FUNDING.violation(
            "total_investment",
            _(
                "The funding by level adds up to %(given)s yuan, not the total investment of "
                "%(total)s yuan."
            )
            % {"given": format_yuan(given), "total": format_yuan(total)},
        )
    ]


def date_problems(start, end) -> list[Violation]:
    if start is None or end is None or end >= start:
        return []
    return [
        PRJ_DATES.violation(
            "end_date",
            _("The planned completion (%(end)s) is before the planned start (%(start)s).")
            % {"end": end, "start": start},
        )
    ]


def subcategory_problems(category: str, subcategory: str) -> list[Violation]:
    if not category or not subcategory or subcategory in SUBCATEGORIES.get(category, ()):
        return []
    return [
        PRJ_SUBCATEGORY.violation(
            "subcategory",
            _("“%(sub)s” is not a kind of “%(category)s” project.")
            % {"sub": subcategory, "category": category},
        )
    ]


def village_problems(villages: list[dict], *, beneficiary_entity: str) -> list[Violation]:
    """``villages``: each ``{"village", "share_percent", "asset_share_percent", "duties"}``."""
    if not villages:
        return [PRJ_SHARES.violation("villages", _("Name at least one village."))]
    problems = []
    seen = set()
    for row in villages:
        if row["village"].pk in seen:
            problems.append(
                PRJ_SHARES.violation(
                    "villages", _("%(village)s is listed twice.") % {"village": row["village"]}
                )
            )
        seen.add(row["village"].pk)
    for key, what in (
        ("share_percent", _("the project")),
        ("asset_share_percent", _("the assets")),
    ):
        total = sum((Decimal(row[key] or 0) for row in villages), Decimal("0"))
        if total != HUNDRED:
            problems.append(
                PRJ_SHARES.violation(
                    "villages",
                    _("The villages' shares of %(what)s add up to %(total)s%%, not 100%%.")
                    % {"what": what, "total": f"{total.normalize():f}"},
                )
            )
    if len(villages) > 1:
        if not (beneficiary_entity or "").strip():
            problems.append(
                PRJ_5.violation(
                    "beneficiary_entity",
                    _("A project spanning several villages names who benefits from it."),
                )
            )
        missing = [str(row["village"]) for row in villages if not (row.get("duties") or "").strip()]
        if missing:
            problems.append(
                PRJ_5.violation(
                    "villages",
                    _("Give the duties of each village: %(villages)s.")
                    % {"villages": "、".join(missing)},
                )
            )
    return problems


def review_field_problems(project) -> list[Violation]:
    """PRJ-4 on a saved project: cost estimate, fund source, mechanism, performance targets
    (one of each of the three indicator groups)."""
    problems = []
    if not project.total_investment or project.total_investment <= 0:
        problems.append(
            PRJ_4.violation("total_investment", _("Give the cost estimate (total investment)."))
        )
    if (
        project.total_investment
        and project.linkage_funds + project.other_funds + project.self_raised <= 0
    ):
        problems.append(PRJ_4.violation("central_funds", _("Give the fund source.")))
    if not project.mechanisms:
        problems.append(
            PRJ_4.violation("mechanisms", _("Choose at least one farmer-linking mechanism."))
        )
    groups = {indicator.group for indicator in project.indicators.all()}
    missing = [str(group.label) for group in IndicatorGroup if group not in groups]
    if missing:
        problems.append(
            PRJ_4.violation(
                "indicators",
                _("Give the performance targets: %(groups)s.") % {"groups": "、".join(missing)},
            )
        )
    return problems


def indicator_problems(group: str, kind: str) -> list[Violation]:
    if kind in INDICATOR_KINDS.get(group, ()):
        return []
    return [
        PRJ_4.violation(
            "kind",
            _("“%(kind)s” is not an indicator of the group “%(group)s”.")
            % {"kind": kind, "group": group},
        )
    ]


def four_haves_problems(project, items) -> list[Violation]:
    """PRJ-9: every active item of the 四有 checklist met, for an industry project."""
    if not project.is_industry:
        return []
    unmet = [item.label for item in items if not (project.four_haves or {}).get(item.code)]
    if not unmet:
        return []
    return [
        PRJ_9.violation(
            "four_haves",
            _("An industry project must meet all of 四有; not yet met: %(items)s.")
            % {"items": "、".join(unmet)},
        )
    ]


def construction_list_problems(project, chosen) -> list[Violation]:
    """A model-village project names the positive-list items it builds and none of the
    negative list."""
    if not project.is_model_village:
        return []
    positive = [item for item in chosen if item.kind == "positive"]
    negative = [item.text for item in chosen if item.kind == "negative"]
    problems = []
    if not positive:
        problems.append(
            PRJ_RC_1.violation(
                "construction_items",
                _("Choose the items of the positive list that the project builds."),
            )
        )
    if negative:
        problems.append(
            PRJ_RC_1.violation(
                "construction_items",
                _("The negative list does not allow: %(items)s.") % {"items": "、".join(negative)},
            )
        )
    return problems
