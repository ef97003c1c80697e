"""Assistance measures (帮扶措施, DOMAIN.md §2.4.5), per household and year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.roles import Department
from kaiyuan.common.scoping import AreaScopedQuerySet
from kaiyuan.common.workflow import Step, Workflow


class AssistanceMeasure(models.Model):
    """An assistance measure for a household in a year (帮扶措施, §2.4.5)."""

    class Group(models.TextChoices):
        INDUSTRY = "产业帮扶", "产业帮扶"
        EMPLOYMENT = "就业帮扶", "就业帮扶"
        FINANCE = "金融帮扶", "金融帮扶"
        WELFARE_JOB = "公益岗位帮扶", "公益岗位帮扶"
        HOUSING = "住房安全保障", "住房安全保障"
        WATER = "饮水安全保障", "饮水安全保障"
        HEALTH = "健康帮扶", "健康帮扶"
        COMPULSORY_EDUCATION = "义务教育保障", "义务教育保障"
        OTHER_EDUCATION = "其他教育帮扶", "其他教育帮扶"
        SOCIAL_PROTECTION = "综合保障", "综合保障"
        SOCIAL_ASSISTANCE = "社会帮扶", "社会帮扶"
        RELOCATION = "搬迁", "搬迁"
        LIVING_CONDITIONS = "生产生活条件改善", "生产生活条件改善"
        INFRASTRUCTURE = "基础设施建设", "基础设施建设"

    DEVELOPMENT_GROUPS = (Group.INDUSTRY, Group.EMPLOYMENT, Group.FINANCE, Group.WELFARE_JOB)

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IMPLEMENTED = "implemented", _("Implemented")

    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    group = models.CharField(_("measure group"), max_length=16, choices=Group.choices)
    subtype = models.CharField(_("measure"), max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    department = models.CharField(_("responsible department"), max_length=64)
    # The sector department whose staff see this measure (DESIGN.md §5), from ``department``.
    sector = models.CharField(
        _("sector"), max_length=32, choices=Department.choices, blank=True, editable=False
    )
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    start_date = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "household__area"

    class Meta:
        verbose_name = _("assistance measure")
        verbose_name_plural = _("assistance measures")
        ordering = ["-year", "group"]
        indexes = [models.Index(fields=["household", "year"], name="measure_household_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="measure_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year} {self.group}"

    @staticmethod
    def sector_q(department: str) -> Q:
        """Department staff see the measures their sector implements."""
        return Q(sector=department)

    @property
    def is_development(self) -> bool:
        return self.group in self.DEVELOPMENT_GROUPS


MEASURE_WORKFLOW = Workflow(
    name=_("assistance measure"),
    transitions={
        AssistanceMeasure.Status.PLANNED: {AssistanceMeasure.Status.IMPLEMENTED},
        AssistanceMeasure.Status.IMPLEMENTED: {AssistanceMeasure.Status.PLANNED},
    },
    steps=(
        Step("implement", _("Marked implemented"), "measures.edit"),
        Step("plan_again", _("Set back to planned"), "measures.edit"),
    ),
)
