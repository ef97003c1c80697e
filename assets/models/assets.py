"""The asset ledger (资产台账, DOMAIN.md §5.3): each asset formed by a project or by the funds of
earlier years, its value by fund source, its owner and who runs and keeps it, its 确权 and its
entry on the "三资" platform, its status and its 四个一批 class; and the villages' collective
economic organisations that own most of them (AST-3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.codes import AssetClass, AssetStatus, AssetType, FundingSource, OwnerKind
from kaiyuan.common.scoping import AreaScopedQuerySet
from projects.codes import FourBatches, OperatingMode

MONEY = {"max_digits": 14, "decimal_places": 2}


class Collective(models.Model):
    """A village's collective economic organisation (村集体经济组织), registered by the agriculture
    department with a credit code starting ``N2``."""

    village = models.OneToOneField(
        "areas.Area",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="collective",
    )
    name = models.CharField(_("name"), max_length=120)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "village"

    class Meta:
        verbose_name = _("collective economic organisation")
        verbose_name_plural = _("collective economic organisations")
        ordering = ["village__code"]

    def __str__(self) -> str:
        return self.name


class AssetQuerySet(AreaScopedQuerySet):
    def current(self) -> AssetQuerySet:
        """Assets still on the ledger (not disposed)."""
        return self.exclude(status=AssetStatus.DISPOSED)

    def operating(self) -> AssetQuerySet:
        return self.filter(asset_class=AssetClass.OPERATING)

    def pv_stations(self) -> AssetQuerySet:
        return self.filter(asset_type=AssetType.PV_STATION)


class Asset(models.Model):
    code = models.CharField(_("asset code"), max_length=24, unique=True)
    name = models.CharField(_("asset name"), max_length=120)
    asset_class = models.CharField(_("class"), max_length=8, choices=AssetClass.choices)
    asset_type = models.CharField(_("type"), max_length=12, choices=AssetType.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=12)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("village or township"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField(_("location"), max_length=200)
    gps = models.CharField(_("coordinates"), max_length=40, blank=True)

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("source project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    placement = models.ForeignKey(
        "funds.DebtPlacement",
        verbose_name=_("debt placement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
        help_text=_("For a debt-type project's claim: the placement whose returns it earns."),
    )
    source_note = models.CharField(
        _("source (earlier years)"),
        max_length=200,
        blank=True,
        help_text=_("For an asset formed before the project library: the funds and year."),
    )
    formed_year = models.PositiveSmallIntegerField(_("year formed"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    original_value = models.DecimalField(_("original value (yuan)"), **MONEY)

    owner_kind = models.CharField(_("owner"), max_length=12, choices=OwnerKind.choices)
    collective = models.ForeignKey(
        Collective,
        verbose_name=_("collective economic organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    owner_township = models.ForeignKey(
        "areas.Area",
        verbose_name=_("owning township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_department = models.CharField(_("owning department"), max_length=60, blank=True)
    owner_household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("owning household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )

    operator = models.CharField(_("operator (经营权人)"), max_length=120, blank=True)
    operator_uscc = models.CharField(_("operator's credit code"), max_length=18, blank=True)
    operating_mode = models.CharField(
        _("operating mode"), max_length=8, choices=OperatingMode.choices, blank=True
    )
    contract_counterparty = models.CharField(_("contract counterparty"), max_length=120, blank=True)
    contract_start = models.DateField(_("contract starts"), null=True, blank=True)
    contract_end = models.DateField(_("contract ends"), null=True, blank=True)
    guaranteed_return_percent = models.DecimalField(
        _("guaranteed return (% a year)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    variable_return = models.CharField(_("variable return"), max_length=300, blank=True)
    custodian = models.CharField(_("custodian (管护责任人)"), max_length=60)
    maintenance_funding = models.CharField(_("maintenance funding"), max_length=120)

    confirmed_on = models.DateField(_("ownership confirmed on"), null=True, blank=True)
    certificate_number = models.CharField(_("confirmation certificate"), max_length=60, blank=True)
    sanzi_entered_on = models.DateField(_("entered on the 三资 platform on"), null=True, blank=True)
    sanzi_id = models.CharField(_("三资 platform id"), max_length=40, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.IN_USE
    )
    status_on = models.DateField(_("status since"), null=True, blank=True)
    status_note = models.CharField(_("status note"), max_length=300, blank=True)

    four_batches = models.CharField(
        _("四个一批 class"), max_length=8, choices=FourBatches.choices, blank=True
    )
    four_batches_on = models.DateField(_("四个一批 reviewed on"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AssetQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["code"]
        indexes = [models.Index(fields=["status", "asset_class"], name="asset_status_class")]
        constraints = [
            models.CheckConstraint(
                condition=Q(original_value__gte=0), name="asset_value_not_negative"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="asset_quantity_positive"),
            models.CheckConstraint(
                condition=Q(owner_kind=OwnerKind.COLLECTIVE, collective__isnull=False)
                | Q(owner_kind=OwnerKind.TOWNSHIP, owner_township__isnull=False)
                | Q(owner_kind=OwnerKind.DEPARTMENT) & ~Q(owner_department="")
                | Q(owner_kind=OwnerKind.HOUSEHOLD, owner_household__isnull=False),
                name="asset_owner_named",
                violation_error_message=_("Name the owner of the asset."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_on__isnull=True, certificate_number="")
                | Q(confirmed_on__isnull=False) & ~Q(certificate_number=""),
                name="asset_confirmation_with_certificate",
            ),
            models.CheckConstraint(
                condition=Q(sanzi_entered_on__isnull=True, sanzi_id="")
                | Q(sanzi_entered_on__isnull=False) & ~Q(sanzi_id=""),
                name="asset_sanzi_entry_with_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("assets:asset_detail", args=[self.pk])

    @property
    def is_pv_station(self) -> bool:
        return self.asset_type == AssetType.PV_STATION

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_on is not None

    @property
    def is_on_sanzi(self) -> bool:
        return self.sanzi_entered_on is not None

    @property
    def owner_name(self) -> str:
        if self.owner_kind == OwnerKind.COLLECTIVE and self.collective_id:
            return self.collective.name
        if self.owner_kind == OwnerKind.TOWNSHIP and self.owner_township_id:
            return self.owner_township.name
        if self.owner_kind == OwnerKind.HOUSEHOLD and self.owner_household_id:
            return self.owner_household.head_name
        return self.owner_department


class AssetFunding(models.Model):
    """The part of an asset's original value that came from one source. The linkage-fund parts
    are traced to the source project's payments by level (AST-VALUE)."""

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.CASCADE, related_name="funding"
    )
    source = models.CharField(_("fund source"), max_length=12, choices=FundingSource.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "asset__area"

    class Meta:
        verbose_name = _("asset funding")
        verbose_name_plural = _("asset funding")
        ordering = ["asset", "id"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "source"], name="asset_funding_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="asset_funding_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.asset.code} {self.get_source_display()} {self.amount}"
