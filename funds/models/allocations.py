"""Allocations (资金指标) and what each project receives from them (DOMAIN.md §4.2).

An allocation is a document of a level's money for a year. The bureau assigns it to projects of
the year's plan: each assignment is a ``ProjectFund`` entry, and the township records when the
money arrived. Entries are never edited: a wrong assignment is reversed, an idle one reallocated
(调剂), each by a negative entry that names the entry it reduces. The database keeps an
allocation's assignments within its amount, and an entry's reductions and payments within it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funds.codes import FundLevel
from kaiyuan.common.ledger import AppendOnly, LedgerEntry
from kaiyuan.common.scoping import AreaScopedQuerySet
from projects.models.projects import PROJECT_MEMBER_LOOKUP

MONEY = {"max_digits": 14, "decimal_places": 2}


class FundType(models.Model):
    """A kind of money (衔接资金, other special assistance funds …). ``idle_rule`` says whether the
    one-month idle rule (FND-7) applies to it (DOMAIN.md §10 Q-14: to every linkage fund at the
    townships by default)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    is_linkage = models.BooleanField(
        _("linkage fund"),
        default=True,
        help_text=_("Counted in the spending progress and the industry share."),
    )
    idle_rule = models.BooleanField(
        _("idle-fund rule applies"),
        default=True,
        help_text=_("Money of this kind idle at a township is flagged and may be reallocated."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("fund type")
        verbose_name_plural = _("fund types")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


DEFAULT_FUND_TYPES = (
    # code, name, linkage, idle rule
    ("linkage", "衔接推进乡村振兴补助资金", True, True),
    ("special", "其他财政专项帮扶资金", False, True),
    ("other", "其他资金", False, False),
)


class FundUse(models.Model):
    """A use a payment may be tagged with; the prohibited ones (the national negative list,
    DOMAIN.md §10 Q-8, kept by the bureau with finance) are flagged on every payment."""

    name = models.CharField(_("use"), max_length=60, unique=True)
    prohibited = models.BooleanField(_("prohibited"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("fund use")
        verbose_name_plural = _("fund uses")
        ordering = ["prohibited", "name"]

    def __str__(self) -> str:
        return self.name


DEFAULT_PROHIBITED_USES = (
    "行政事业单位基本支出",
    "购置交通工具及通讯设备",
    "修建楼堂馆所及职工住宅",
    "弥补企业亏损",
    "缴纳罚款罚金",
    "偿还债务和垫资",
    "提供担保或抵押",
    "大中型基础设施建设",
    "城市基础设施建设",
)


class FundAllocation(LedgerEntry):
    """A 资金指标: the document (文号), its level, type, year and amount, and whether it is for
    industry. A cancelled document is reversed in full (after its assignments are)."""

    document_number = models.CharField(_("document number (文号)"), max_length=80)
    issued_on = models.DateField(_("issued on"))
    level = models.CharField(_("level"), max_length=12, choices=FundLevel.choices)
    fund_type = models.ForeignKey(
        FundType, verbose_name=_("fund type"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    for_industry = models.BooleanField(
        _("for industry"),
        default=False,
        help_text=_("Industry-assistance money is assigned only to industry projects."),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    # The county holds every allocation; county-wide roles see it.
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )

    objects = AreaScopedQuerySet.as_manager()

    class Meta(LedgerEntry.Meta):
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ["-year", "-issued_on", "-id"]
        indexes = [models.Index(fields=["year", "level"], name="allocation_year_level")]

    def __str__(self) -> str:
        return f"{self.document_number}（{self.get_level_display()}）"


class FundAccount(models.Model):
    """A project's fund account: the row every payment of the project locks (select_for_update),
    so that two clerks paying at once are checked one after the other. It holds the project's
    retention arrangement (FND-4), which the bureau sets."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="fund_account",
    )
    retention_required = models.BooleanField(
        _("quality retention withheld"),
        default=True,
        help_text=_("Part of the final payment is withheld and released later."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"
    member_area_lookup = PROJECT_MEMBER_LOOKUP

    class Meta:
        verbose_name = _("project fund account")
        verbose_name_plural = _("project fund accounts")

    def __str__(self) -> str:
        return str(self.project)


class ProjectFund(AppendOnly):
    """Money of an allocation for a project (DOMAIN.md §4.2 ``ProjectFund``): an assignment, or
    the entry that brings reallocated money in, is positive; a reversal or reallocation out is
    negative and names the entry it reduces. The township fills in the arrival once."""

    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", _("Assignment")
        REALLOCATED_IN = "reallocated_in", _("Reallocated in")
        REALLOCATED_OUT = "reallocated_out", _("Reallocated out")
        REVERSAL = "reversal", _("Reversal")

    POSITIVE = (Kind.ASSIGNMENT, Kind.REALLOCATED_IN)

    allocation = models.ForeignKey(
        FundAllocation,
        verbose_name=_("allocation"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="funds",
    )
    kind = models.CharField(_("entry"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    reduces = models.ForeignKey(
        "self",
        verbose_name=_("reduces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reductions",
    )
    reallocation = models.ForeignKey(
        "funds.Reallocation",
        verbose_name=_("reallocation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    assigned_on = models.DateField(_("assigned on"))
    arrived_on = models.DateField(_("arrived at the township on"), null=True, blank=True)
    township_account = models.CharField(_("township account"), max_length=60, blank=True)
    arrival_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("arrival recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"
    member_area_lookup = PROJECT_MEMBER_LOOKUP
    # The columns the township fills in once (kaiyuan.common.ledger).
    FILL_ONCE = ("arrived_on", "township_account", "arrival_recorded_by")

    class Meta:
        verbose_name = _("project fund")
        verbose_name_plural = _("project funds")
        ordering = ["project", "assigned_on", "id"]
        indexes = [
            models.Index(fields=["project", "arrived_on"], name="projectfund_project_arrived"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=("assignment", "reallocated_in"), amount__gt=0, reduces=None)
                | Q(
                    kind__in=("reallocated_out", "reversal"),
                    amount__lt=0,
                    reduces__isnull=False,
                ),
                name="projectfund_sign_by_kind",
                violation_error_message=_(
                    "An assignment is positive; a reversal or reallocation out is negative and "
                    "names the entry it reduces."
                ),
            ),
            models.UniqueConstraint(
                fields=["reduces"],
                condition=Q(kind="reversal"),
                name="projectfund_reversed_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.allocation.document_number} {self.amount}"

    @property
    def is_positive(self) -> bool:
        return self.kind in self.POSITIVE
