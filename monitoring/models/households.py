"""Households (户, DOMAIN.md §2.4.1), their typed changes, living conditions and 三保障/water
checks (§2.4.4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet
from monitoring.codes import (
    DevMeasureState,
    EliminationMode,
    ExitedAttribute,
    HouseGrade,
    HouseholdType,
    MonitoringCategory,
)

MONITORED_STATES = ("monitored", "elimination_pending", "eliminated")


class HouseholdQuerySet(AreaScopedQuerySet):
    def current(self) -> HouseholdQuerySet:
        """Households that still exist as such (not merged into another)."""
        return self.filter(merged_into__isnull=True)

    def exited(self) -> HouseholdQuerySet:
        return self.filter(household_type=HouseholdType.EXITED)

    def monitored(self) -> HouseholdQuerySet:
        """Households on the monitoring list (risk eliminated or not), as the national list."""
        return self.filter(monitoring_status__in=MONITORED_STATES).exclude(monitoring_category="")

    def marginal(self) -> HouseholdQuerySet:
        return self.monitored().filter(monitoring_category=MonitoringCategory.MARGINAL)

    def in_visit_scope(self, policy) -> HouseholdQuerySet:
        """The households the grid must visit (MON-VISIT-1/2): by default 脱贫户, monitored
        households and those flagged for attention; every household if the year's policy says so."""
        if policy.visit_scope == policy.VisitScope.ALL:
            return self.all()
        return self.filter(
            Q(household_type=HouseholdType.EXITED)
            | Q(monitoring_status__in=MONITORED_STATES)
            | Q(flagged_for_attention=True)
        )


MONEY = {"max_digits": 12, "decimal_places": 2}
AREA_MU = {"max_digits": 10, "decimal_places": 2, "null": True, "blank": True}


class Household(models.Model):
    """A rural household (户) as the national system keeps it (DOMAIN.md §2.4.1).

    ``monitoring_status`` follows §2.6 (part 2 of the monitoring grid moves it through the
    identification and elimination cases); ``version`` guards against two clerks overwriting each
    other's edits.
    """

    class MonitoringStatus(models.TextChoices):
        NOT_MONITORED = "not_monitored", _("Not monitored")
        LEAD_RECEIVED = "lead_received", _("Risk lead received")
        VERIFYING = "verifying", _("Under verification")
        VILLAGE_APPRAISAL = "village_appraisal", _("Village appraisal")
        VILLAGE_PUBLICITY = "village_publicity", _("Village publicity")
        TOWNSHIP_REVIEW = "township_review", _("Township review")
        COUNTY_APPROVAL = "county_approval", _("County approval")
        MONITORED = "monitored", _("Monitored, risk not eliminated")
        ELIMINATION_PENDING = "elimination_pending", _("Risk elimination under way")
        ELIMINATED = "eliminated", _("Monitored, risk eliminated")

    household_number = models.CharField(_("household number"), max_length=32, unique=True)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("administrative village"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    group = models.ForeignKey(
        "areas.Area",
        verbose_name=_("villager group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_households",
    )
    natural_village = models.CharField(_("natural village"), max_length=64, blank=True)
    grid = models.ForeignKey(
        "areas.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
    )
    head_name = models.CharField(_("name of the head of household"), max_length=64)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("household phone"), max_length=20, blank=True)
    household_type = models.CharField(
        _("household type"), max_length=16, choices=HouseholdType.choices
    )
    exited_attribute = models.CharField(
        _("poverty-exited household attribute"),
        max_length=16,
        choices=ExitedAttribute.choices,
        blank=True,
    )
    household_size = models.PositiveSmallIntegerField(_("household size"), default=1)
    military_family = models.BooleanField(_("military or martyr family"), default=False)
    in_relocation_site = models.BooleanField(
        _("lives in a relocation resettlement site"), default=False
    )
    relocation_site_address = models.CharField(
        _("resettlement site address"), max_length=200, blank=True
    )
    whole_household_no_labour = models.BooleanField(
        _("whole household without labour under safety-net protection"), default=False
    )
    flagged_for_attention = models.BooleanField(
        _("flagged for attention"),
        default=False,
        help_text=_("Visited every month like poverty-exited and monitored households."),
    )
    # ---- monitoring ----------------------------------------------------------------------------
    monitoring_status = models.CharField(
        _("monitoring status"),
        max_length=32,
        choices=MonitoringStatus.choices,
        default=MonitoringStatus.NOT_MONITORED,
    )
    monitoring_category = models.CharField(
        _("monitoring category"), max_length=16, choices=MonitoringCategory.choices, blank=True
    )
    risk_1 = models.CharField(_("risk 1"), max_length=32, blank=True)
    risk_2 = models.CharField(_("risk 2"), max_length=32, blank=True)
    risk_3 = models.CharField(_("risk 3"), max_length=32, blank=True)
    risk_4 = models.CharField(_("risk 4"), max_length=32, blank=True)
    risk_5 = models.CharField(_("risk 5"), max_length=32, blank=True)
    disaster_subitem = models.CharField(_("natural disaster sub-item"), max_length=32, blank=True)
    disaster_note = models.CharField(_("natural disaster note"), max_length=200, blank=True)
    poverty_cause = models.CharField(_("main poverty cause"), max_length=32, blank=True)
    first_identified_on = models.DateField(_("first identified"), null=True, blank=True)
    risk_identified_on = models.DateField(_("risk identified"), null=True, blank=True)
    risk_eliminated_on = models.DateField(_("risk eliminated"), null=True, blank=True)
    elimination_mode = models.CharField(
        _("elimination mode"), max_length=8, choices=EliminationMode.choices, blank=True
    )
    development_measures = models.CharField(
        _("development-type measures"), max_length=8, choices=DevMeasureState.choices, blank=True
    )
    monitoring_contact = models.CharField(_("monitoring contact"), max_length=64, blank=True)
    monitoring_contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    helper_name = models.CharField(_("assigned helper"), max_length=64, blank=True)
    helper_unit = models.CharField(_("helper's unit"), max_length=100, blank=True)
    helper_phone = models.CharField(_("helper's phone"), max_length=20, blank=True)
    dangerous_house = models.BooleanField(_("dangerous house"), default=False)
    safe_drinking_water = models.BooleanField(_("safe drinking water"), default=True)
    # Latest assessed per-capita net income, kept by the income service for lists, exports and
    # the 8,500 / 10,000 yuan bands (each change comes from an IncomeRecord).
    per_capita_income = models.DecimalField(
        _("per-capita net income"), **MONEY, null=True, blank=True
    )
    income_year = models.PositiveSmallIntegerField(_("income year"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The visits counted for the current periods (MON-VISIT-1/2), kept so that a county's
    # coverage is one scan of this table instead of a look at every household's visits. Written
    # only by monitoring.rules.visits.refresh_visit_counts (each visit, the daily sweep); a
    # period other than the one stored is counted from the visits themselves.
    visits_counted_month = models.DateField(_("visits counted for the month"), null=True)
    village_visits = models.PositiveSmallIntegerField(_("village-level visits"), default=0)
    village_visits_before = models.PositiveSmallIntegerField(
        _("village-level visits of the previous month"), default=0
    )
    visits_counted_quarter = models.DateField(_("visits counted for the quarter"), null=True)
    township_visits = models.PositiveSmallIntegerField(_("township-level visits"), default=0)
    township_visits_before = models.PositiveSmallIntegerField(
        _("township-level visits of the previous quarter"), default=0
    )

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["household_number"]
        indexes = [
            models.Index(fields=["area", "household_type"], name="household_area_type"),
            models.Index(fields=["area", "monitoring_status"], name="household_area_status"),
            models.Index(fields=["grid"], name="household_grid"),
            models.Index(
                fields=["head_name"],
                name="household_head_name_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["household_number"],
                name="household_number_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            # The households the grid visits (the default visit scope) with their stored visit
            # counts: a county's coverage reads this index alone, not the wide table.
            models.Index(
                fields=["area"],
                name="household_visit_scope",
                include=[
                    "id",
                    "grid",
                    "created_at",
                    "visits_counted_month",
                    "village_visits",
                    "village_visits_before",
                    "visits_counted_quarter",
                    "township_visits",
                    "township_visits_before",
                ],
                condition=Q(merged_into__isnull=True)
                & (
                    Q(household_type=HouseholdType.EXITED)
                    | Q(monitoring_status__in=MONITORED_STATES)
                    | Q(flagged_for_attention=True)
                ),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(household_size__gte=1),
                name="household_size_positive",
                violation_error_message=_("A household has at least one member."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.head_name}户（{self.household_number}）"

    @staticmethod
    def sector_q(department: str) -> Q:
        """Department staff see the households their sector's warnings concern."""
        from monitoring.models.warnings import DeptWarning

        return Q(
            Exists(DeptWarning.objects.filter(household=OuterRef("pk"), department=department))
        )

    @property
    def risks(self) -> list[str]:
        return [r for r in (self.risk_1, self.risk_2, self.risk_3, self.risk_4, self.risk_5) if r]

    @property
    def is_exited(self) -> bool:
        return self.household_type == HouseholdType.EXITED

    @property
    def is_monitored(self) -> bool:
        return bool(self.monitoring_category) and self.monitoring_status in (
            self.MonitoringStatus.MONITORED,
            self.MonitoringStatus.ELIMINATION_PENDING,
            self.MonitoringStatus.ELIMINATED,
        )


class HouseholdChange(models.Model):
    """A typed change to a household's composition, with its date and reason (never a silent
    edit): members come and go, heads change, households split and merge."""

    class Kind(models.TextChoices):
        # A member entered with the household's own first registration: not a change of the
        # household's make-up, so never offered as one (births, marriages and moves are).
        FIRST_REGISTRATION = "first_registration", _("First registration")
        MEMBER_BORN = "member_born", _("Member added: birth")
        MEMBER_MARRIED_IN = "member_married_in", _("Member added: marriage")
        MEMBER_MOVED_IN = "member_moved_in", _("Member added: household registration moved in")
        MEMBER_DIED = "member_died", _("Member removed: death")
        MEMBER_MARRIED_OUT = "member_married_out", _("Member removed: marriage")
        MEMBER_MOVED_OUT = "member_moved_out", _("Member removed: household registration moved out")
        HEAD_CHANGED = "head_changed", _("Head of household changed")
        SPLIT = "split", _("Household split")
        MERGED = "merged", _("Household merged")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="changes"
    )
    kind = models.CharField(_("change"), max_length=32, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)
    member = models.ForeignKey(
        "monitoring.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    other_household = models.ForeignKey(
        Household,
        verbose_name=_("other household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("household change")
        verbose_name_plural = _("household changes")
        ordering = ["-happened_on", "-id"]

    area_lookup = "household__area"

    def __str__(self) -> str:
        return f"{self.household} {self.get_kind_display()}"


class LivingCondition(models.Model):
    """Production and living conditions (生产生活条件), one record per household and year."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="conditions"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    cultivated_land = models.DecimalField(_("cultivated land (mu)"), **AREA_MU)
    pasture = models.DecimalField(_("pasture (mu)"), **AREA_MU)
    water_surface = models.DecimalField(_("water surface (mu)"), **AREA_MU)
    forest_land = models.DecimalField(_("forest land (mu)"), **AREA_MU)
    returned_forest = models.DecimalField(_("land returned to forest (mu)"), **AREA_MU)
    orchard = models.DecimalField(_("orchards (mu)"), **AREA_MU)
    road_type = models.CharField(_("access road type"), max_length=32, blank=True)
    distance_to_road_km = models.DecimalField(
        _("distance to the main village road (km)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    cooperative_member = models.BooleanField(_("member of a farmers' cooperative"), default=False)
    house_grade = models.CharField(
        _("dangerous-house grade"), max_length=1, choices=HouseGrade.choices, blank=True
    )
    house_area = models.DecimalField(
        _("housing area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    main_fuel = models.CharField(_("main fuel"), max_length=32, blank=True)
    linked_leading_firm = models.BooleanField(_("linked to a leading enterprise"), default=False)
    linked_entrepreneur = models.BooleanField(_("linked to an entrepreneur"), default=False)
    has_electricity = models.BooleanField(_("household electricity"), default=True)
    has_broadcast_tv = models.BooleanField(_("radio and television"), default=True)
    industry_assistance_type = models.CharField(
        _("household industry assistance type"), max_length=64, blank=True
    )

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "household__area"

    class Meta:
        verbose_name = _("production and living conditions")
        verbose_name_plural = _("production and living conditions")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="condition_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}"


class GuaranteeAnswers(models.Model):
    """The four 三保障 and drinking-water questions (§2.4.4, §2.10); True means a problem."""

    child_out_of_school = models.BooleanField(
        _("a compulsory-school-age child is out of school"), null=True
    )
    housing_unsafe = models.BooleanField(_("housing is unsafe"), null=True)
    member_uninsured = models.BooleanField(_("a member has no basic medical insurance"), null=True)
    water_unsafe = models.BooleanField(_("drinking water is unsafe"), null=True)

    class Meta:
        abstract = True

    GUARANTEE_FIELDS = ("child_out_of_school", "housing_unsafe", "member_uninsured", "water_unsafe")

    @property
    def guarantee_problems(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.GUARANTEE_FIELDS
            if getattr(self, name)
        ]

    @property
    def guarantee_items(self) -> list[tuple[str, bool | None]]:
        """(question, answer) pairs in the national order, for display."""
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.GUARANTEE_FIELDS
        ]

    @property
    def guarantees_complete(self) -> bool:
        return all(getattr(self, name) is not None for name in self.GUARANTEE_FIELDS)


class GuaranteeCheck(GuaranteeAnswers):
    """The 三保障/water answers recorded at identification or after risk elimination."""

    class Kind(models.TextChoices):
        IDENTIFICATION = "identification", _("At identification")
        ELIMINATION = "elimination", _("After risk elimination")

    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="guarantee_checks",
    )
    kind = models.CharField(_("record type"), max_length=16, choices=Kind.choices)
    checked_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "household__area"

    class Meta:
        verbose_name = _("three guarantees and water check")
        verbose_name_plural = _("three guarantees and water checks")
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.household} {self.get_kind_display()} {self.checked_on}"
