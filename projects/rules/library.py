"""The library of a year (DOMAIN.md §3.5): its deadline (PRJ-6) and the plan's targets (PRJ-8)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.rules import FLAG, Rule
from monitoring.codes import HouseholdType
from monitoring.models.households import MONITORED_STATES
from projects.codes import INDUSTRY_CATEGORIES, Category, Subcategory

PRJ_6 = Rule(
    "PRJ-6",
    _("The next year's library is complete by the deadline of the policy settings."),
    FLAG,
)
PRJ_8 = Rule(
    "PRJ-8",
    _(
        "The year's portfolio reaches the plan's targets: industry projects with strong "
        "farmer-linking, model villages and new collective-economy projects."
    ),
    FLAG,
)


def library_deadline_for(library_year: int):
    """PRJ-6: the date by which the library of ``library_year`` must be complete: the deadline
    set in the previous year's settings (2024-11-30 for the 2025 library), or None."""
    from kaiyuan.policy.models import PolicySettings

    policy = PolicySettings.objects.filter(year=library_year - 1).first()
    if policy is None:
        policy = PolicySettings.defaults_for(library_year - 1)
    return policy.library_deadline


def strong_linkage_q(min_households: int) -> Q:
    """Q-form of "industry project with strong farmer-linking": an industry project with a
    farmer-linking mechanism and at least ``min_households`` 脱贫户 or monitored households
    among its beneficiaries (the plan gives no definition; the number is a setting)."""
    from projects.models import ProjectBeneficiary

    linked = (
        ProjectBeneficiary.objects.filter(project=OuterRef("pk"))
        .filter(
            Q(household__household_type=HouseholdType.EXITED)
            | Q(household__monitoring_status__in=MONITORED_STATES)
        )
        .values("project")
        .annotate(n=Count("household", distinct=True))
        .filter(n__gte=min_households)
    )
    return Q(category__in=INDUSTRY_CATEGORIES) & ~Q(mechanisms=[]) & Q(Exists(linked))


def target_counts(projects, policy) -> list[dict]:
    """PRJ-8 over the admitted ``projects`` of a year: each target with its count."""
    counts = projects.aggregate(
        industry=Count("pk", filter=strong_linkage_q(policy.strong_linkage_households)),
        model_villages=Count("pk", filter=Q(subcategory=Subcategory.MODEL_VILLAGE)),
        collective=Count("pk", filter=Q(category=Category.COLLECTIVE)),
    )
    return [
        {
            "key": "industry",
            "label": _("Industry projects with strong farmer-linking"),
            "target": policy.project_target_industry,
            "count": counts["industry"],
        },
        {
            "key": "model_villages",
            "label": _("Model-village projects (乡村建设典型村)"),
            "target": policy.project_target_model_villages,
            "count": counts["model_villages"],
        },
        {
            "key": "collective",
            "label": _("New collective-economy projects"),
            "target": policy.project_target_collective,
            "count": counts["collective"],
        },
    ]
