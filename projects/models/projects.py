"""Projects of the library (DOMAIN.md §3.2–§3.4): the proposal with its villages, funding,
performance targets, 联农带农 mechanisms and checklists, and the workflow that takes it from an
idea through 两公示一公告 into the library and on to operation.

The state table (``PROJECT_TRANSITIONS`` below is the map; it depends on who proposed):

village proposal:  idea → proposed → village_publicity → township_review → township_publicity
                   → sector_review → county_review → county_decided → county_announced
                   → in_library → planned → implementing → completed → accepted
                   → handed_over → operating
township proposal: idea → proposed → township_publicity → sector_review → …
county department: idea → proposed → county_publicity → county_review → … (the proposing
                   department does not review its own proposal)
A project without a sector department goes from its township publicity to county_review. Each
publicity step is the act of the level that posts it (a township posts its own proposal on the
village and township boards); the record says on which board.
side exits:        rejected (at any review or an upheld objection), withdrawn (退库),
                   adjusted (back to county_review, the change kept), rolled_over (into the next
                   year's library, as a new project at county_decided awaiting that year's
                   announcement); a failed acceptance returns to implementing (整改).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.roles import Department
from kaiyuan.common.scoping import AreaScopedQuerySet
from kaiyuan.common.workflow import COUNTY, TOWNSHIP, VILLAGE, Step, Workflow
from projects.codes import (
    INDUSTRY_CATEGORIES,
    Category,
    Direction,
    EntityType,
    FinanceMode,
    FourBatches,
    IndicatorGroup,
    IndicatorKind,
    OperatingMode,
    PreworkStatus,
    ProposerLevel,
    Subcategory,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
FUNDING_FIELDS = (
    "central_funds",
    "provincial_funds",
    "city_funds",
    "county_funds",
    "other_funds",
    "self_raised",
)
LINKAGE_FUNDING_FIELDS = FUNDING_FIELDS[:4]


def project_sector_q(path: str = "project"):
    """The ``sector_q`` of a project's records (its publicity, progress, acceptances): department
    staff see the records of the projects they see (``Project.sector_q``)."""

    def sector_q(department: str) -> Q:
        return Q(**{f"{path}__sector": department}) | Q(
            **{f"{path}__proposer_department": department}
        )

    return staticmethod(sector_q)


# A project's records are seen by the users of each of its villages, as the project is.
PROJECT_MEMBER_LOOKUP = "project__villages__village"


class ProjectQuerySet(AreaScopedQuerySet):
    def industry(self):
        return self.filter(category__in=INDUSTRY_CATEGORIES)

    def admitted(self):
        """Projects the county has taken into its library and not withdrawn (the library and
        everything after it)."""
        return self.filter(status__in=Project.ADMITTED_STATES)


class Project(models.Model):
    class Status(models.TextChoices):
        IDEA = "idea", _("Being drafted")
        PROPOSED = "proposed", _("Proposed")
        VILLAGE_PUBLICITY = "village_publicity", _("Village publicity")
        TOWNSHIP_REVIEW = "township_review", _("Township review")
        TOWNSHIP_PUBLICITY = "township_publicity", _("Township publicity")
        COUNTY_PUBLICITY = "county_publicity", _("County publicity")
        SECTOR_REVIEW = "sector_review", _("Sector department review")
        COUNTY_REVIEW = "county_review", _("County joint review")
        COUNTY_DECIDED = "county_decided", _("Decided by the county")
        COUNTY_ANNOUNCED = "county_announced", _("Announced by the county")
        IN_LIBRARY = "in_library", _("In the library")
        PLANNED = "planned", _("In the year's funded plan")
        IMPLEMENTING = "implementing", _("Being implemented")
        COMPLETED = "completed", _("Completed")
        ACCEPTED = "accepted", _("Accepted")
        HANDED_OVER = "handed_over", _("Assets handed over")
        OPERATING = "operating", _("Operating")
        REJECTED = "rejected", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn from the library")
        ROLLED_OVER = "rolled_over", _("Rolled over to the next year")

    REVIEW_STATES = (
        Status.IDEA,
        Status.PROPOSED,
        Status.VILLAGE_PUBLICITY,
        Status.TOWNSHIP_REVIEW,
        Status.TOWNSHIP_PUBLICITY,
        Status.COUNTY_PUBLICITY,
        Status.SECTOR_REVIEW,
        Status.COUNTY_REVIEW,
        Status.COUNTY_DECIDED,
        Status.COUNTY_ANNOUNCED,
    )
    ADMITTED_STATES = (
        Status.IN_LIBRARY,
        Status.PLANNED,
        Status.IMPLEMENTING,
        Status.COMPLETED,
        Status.ACCEPTED,
        Status.HANDED_OVER,
        Status.OPERATING,
    )
    # While these, the proposal itself may still be edited by its proposer.
    EDITABLE_STATES = (Status.IDEA,)

    code = models.CharField(_("project code"), max_length=24, unique=True)
    name = models.CharField(_("project name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("library year"))
    plan_year = models.PositiveSmallIntegerField(_("funded in year"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    subcategory = models.CharField(_("sub-category"), max_length=16, choices=Subcategory.choices)
    finance_mode = models.CharField(_("finance mode"), max_length=8, choices=FinanceMode.choices)
    four_batches = models.CharField(
        _("四个一批 class"), max_length=8, choices=FourBatches.choices, blank=True
    )
    four_batches_on = models.DateField(_("四个一批 classified on"), null=True, blank=True)
    four_batches_reason = models.CharField(_("四个一批 reason"), max_length=300, blank=True)

    # Where: the smallest area holding all its villages (a village, a township, the county).
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    proposer_level = models.CharField(_("proposed by"), max_length=8, choices=ProposerLevel.choices)
    proposer_department = models.CharField(
        _("proposing department"), max_length=32, choices=Department.choices, blank=True
    )
    sector = models.CharField(
        _("sector department"),
        max_length=32,
        choices=Department.choices,
        blank=True,
        help_text=_("The department that reviews the project for its sector."),
    )

    entity_name = models.CharField(_("implementing entity"), max_length=120)
    entity_type = models.CharField(_("type of entity"), max_length=16, choices=EntityType.choices)
    entity_uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=32)
    responsible_phone = models.CharField(_("responsible person's phone"), max_length=20, blank=True)
    beneficiary_entity = models.CharField(
        _("beneficiary entity"),
        max_length=120,
        blank=True,
        help_text=_("Who benefits from a project spanning several villages."),
    )

    content = models.TextField(_("construction content"))
    scale = models.CharField(_("construction scale"), max_length=200)
    location = models.CharField(_("location"), max_length=200)
    start_date = models.DateField(_("planned start"))
    end_date = models.DateField(_("planned completion"))
    subsidy_standard = models.CharField(_("subsidy standard"), max_length=200, blank=True)

    total_investment = models.DecimalField(_("total investment (yuan)"), **MONEY)
    central_funds = models.DecimalField(_("central linkage funds"), default=0, **MONEY)
    provincial_funds = models.DecimalField(_("provincial linkage funds"), default=0, **MONEY)
    city_funds = models.DecimalField(_("city linkage funds"), default=0, **MONEY)
    county_funds = models.DecimalField(_("county linkage funds"), default=0, **MONEY)
    other_funds = models.DecimalField(_("other funds"), default=0, **MONEY)
    self_raised = models.DecimalField(_("self-raised"), default=0, **MONEY)

    land_status = models.CharField(
        _("land use"), max_length=8, choices=PreworkStatus.choices, default=PreworkStatus.NOT_NEEDED
    )
    environment_status = models.CharField(
        _("environmental assessment"),
        max_length=8,
        choices=PreworkStatus.choices,
        default=PreworkStatus.NOT_NEEDED,
    )
    mechanisms = models.JSONField(_("联农带农 mechanisms"), default=list, blank=True)
    mechanism_note = models.CharField(_("how farmers are linked"), max_length=500, blank=True)
    four_haves = models.JSONField(
        _("四有 checklist"),
        default=dict,
        blank=True,
        help_text=_("Item code → whether the project meets it."),
    )
    construction_items = models.ManyToManyField(
        "projects.ConstructionListItem",
        verbose_name=_("rural-construction list items"),
        blank=True,
        related_name="projects",
    )
    operating_mode = models.CharField(
        _("operating mode"), max_length=8, choices=OperatingMode.choices, blank=True
    )
    asset_owner = models.CharField(_("asset owner after completion"), max_length=120, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDEA
    )
    rolled_from = models.OneToOneField(
        "self",
        verbose_name=_("rolled over from"),
        null=True,
        blank=True,
        # Projects are never deleted (only a demo reset does); the link then simply goes.
        on_delete=models.SET_NULL,
        related_name="rolled_into",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ProjectQuerySet.as_manager()
    # A village user sees a cross-village project that includes their village.
    member_area_lookup = "villages__village"

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-year", "code"]
        indexes = [
            models.Index(fields=["year", "status"], name="project_year_status"),
            models.Index(fields=["area", "year"], name="project_area_year"),
            models.Index(fields=["sector", "status"], name="project_sector_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gte=0)
                & Q(central_funds__gte=0)
                & Q(provincial_funds__gte=0)
                & Q(city_funds__gte=0)
                & Q(county_funds__gte=0)
                & Q(other_funds__gte=0)
                & Q(self_raised__gte=0),
                name="project_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(
                    total_investment=F("central_funds")
                    + F("provincial_funds")
                    + F("city_funds")
                    + F("county_funds")
                    + F("other_funds")
                    + F("self_raised")
                ),
                name="project_funding_sums_to_total",
                violation_error_message=_(
                    "The funding by level must add up to the total investment."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="project_dates_in_order",
                violation_error_message=_("The completion date cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])

    @staticmethod
    def sector_q(department: str) -> Q:
        """Department staff see the projects of their sector and those they proposed."""
        return Q(sector=department) | Q(proposer_department=department)

    @property
    def is_industry(self) -> bool:
        return self.category in INDUSTRY_CATEGORIES

    @property
    def is_model_village(self) -> bool:
        return self.subcategory == Subcategory.MODEL_VILLAGE

    @property
    def linkage_funds(self):
        return sum((getattr(self, name) for name in LINKAGE_FUNDING_FIELDS), 0)

    @property
    def is_cross_village(self) -> bool:
        return len(self.villages.all()) > 1


class ProjectVillage(models.Model):
    """A village of a project, with its share of the project, of the assets it forms, and its
    duties (PRJ-5). The shares of a project add up to 100 % (a database trigger on
    PostgreSQL, the service everywhere)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="villages"
    )
    village = models.ForeignKey(
        "areas.Area",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "village"},
    )
    share_percent = models.DecimalField(
        _("share of the project (%)"), max_digits=5, decimal_places=2
    )
    asset_share_percent = models.DecimalField(
        _("share of the assets (%)"), max_digits=5, decimal_places=2
    )
    duties = models.CharField(_("the village's duties"), max_length=300, blank=True)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"

    class Meta:
        verbose_name = _("project village")
        verbose_name_plural = _("project villages")
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "village"], name="project_village_once"),
            models.CheckConstraint(
                condition=Q(share_percent__gt=0, share_percent__lte=100)
                & Q(asset_share_percent__gte=0, asset_share_percent__lte=100),
                name="project_village_share_range",
                violation_error_message=_("A share is between 0 and 100%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.village}"


class PerformanceIndicator(models.Model):
    """One performance target (绩效目标, DOMAIN.md §4.3a)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators"
    )
    group = models.CharField(_("indicator group"), max_length=8, choices=IndicatorGroup.choices)
    kind = models.CharField(_("indicator kind"), max_length=8, choices=IndicatorKind.choices)
    name = models.CharField(_("indicator"), max_length=100)
    unit = models.CharField(_("unit"), max_length=16)
    direction = models.CharField(
        _("direction"), max_length=1, choices=Direction.choices, default=Direction.AT_LEAST
    )
    target = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    actual = models.DecimalField(
        _("actual value"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"

    class Meta:
        verbose_name = _("performance target")
        verbose_name_plural = _("performance targets")
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.direction}{self.target}{self.unit}"


class ProjectAttachment(models.Model):
    """A document of a project: minutes, publicity photos, review opinions, the contract, the
    acceptance report, progress photos."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Meeting minutes")
        PUBLICITY_PHOTO = "publicity_photo", _("Publicity photo")
        REVIEW_OPINION = "review_opinion", _("Review opinion")
        APPROVAL = "approval", _("Approval document")
        CONTRACT = "contract", _("Contract or agreement")
        ACCEPTANCE = "acceptance", _("Acceptance report")
        PROGRESS_PHOTO = "progress_photo", _("Progress photo")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("document"), max_length=16, choices=Kind.choices)
    publicity = models.ForeignKey(
        "projects.PublicityRecord",
        verbose_name=_("publicity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    progress_report = models.ForeignKey(
        "projects.ProgressReport",
        verbose_name=_("progress report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    acceptance = models.ForeignKey(
        "projects.Acceptance",
        verbose_name=_("acceptance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="projects/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"
    # A document goes to whoever sees its project: the users of each of its villages, and the
    # departments of its sector or that proposed it (the project page links every document).
    member_area_lookup = "project__villages__village"

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def sector_q(department: str) -> Q:
        return Q(project__sector=department) | Q(project__proposer_department=department)


class ProjectAdjustment(models.Model):
    """A change to an admitted project (项目调整): what changed, from what to what, and why. The
    project goes back to the county's review."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="adjustments"
    )
    from_state = models.CharField(_("from state"), max_length=20, choices=Project.Status.choices)
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"

    class Meta:
        verbose_name = _("project adjustment")
        verbose_name_plural = _("project adjustments")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.at:%Y-%m-%d}"


# =============================================================================================
# The workflow
# =============================================================================================

Status = Project.Status
_REVIEW_EXITS = {Status.REJECTED}
_AFTER_DECISION = {
    Status.COUNTY_DECIDED: {Status.COUNTY_ANNOUNCED, Status.WITHDRAWN},
    Status.COUNTY_ANNOUNCED: {Status.IN_LIBRARY, Status.WITHDRAWN},
    Status.IN_LIBRARY: {
        Status.PLANNED,
        Status.WITHDRAWN,
        Status.COUNTY_REVIEW,
        Status.ROLLED_OVER,
    },
    Status.PLANNED: {Status.IMPLEMENTING, Status.WITHDRAWN, Status.COUNTY_REVIEW},
    Status.IMPLEMENTING: {Status.COMPLETED, Status.COUNTY_REVIEW},
    Status.COMPLETED: {Status.ACCEPTED, Status.IMPLEMENTING},
    Status.ACCEPTED: {Status.HANDED_OVER},
    Status.HANDED_OVER: {Status.OPERATING},
}
PROJECT_TRANSITIONS: dict[str, dict[str, set[str]]] = {
    ProposerLevel.VILLAGE: {
        Status.IDEA: {Status.PROPOSED},
        Status.PROPOSED: {Status.VILLAGE_PUBLICITY, Status.IDEA},
        Status.VILLAGE_PUBLICITY: {Status.TOWNSHIP_REVIEW, *_REVIEW_EXITS},
        Status.TOWNSHIP_REVIEW: {Status.TOWNSHIP_PUBLICITY, Status.IDEA, *_REVIEW_EXITS},
        Status.TOWNSHIP_PUBLICITY: {Status.SECTOR_REVIEW, Status.COUNTY_REVIEW, *_REVIEW_EXITS},
        Status.SECTOR_REVIEW: {Status.COUNTY_REVIEW, *_REVIEW_EXITS},
        Status.COUNTY_REVIEW: {Status.COUNTY_DECIDED, *_REVIEW_EXITS},
        **_AFTER_DECISION,
    },
    ProposerLevel.TOWNSHIP: {
        Status.IDEA: {Status.PROPOSED},
        Status.PROPOSED: {Status.TOWNSHIP_PUBLICITY, Status.IDEA},
        Status.TOWNSHIP_PUBLICITY: {Status.SECTOR_REVIEW, Status.COUNTY_REVIEW, *_REVIEW_EXITS},
        Status.SECTOR_REVIEW: {Status.COUNTY_REVIEW, *_REVIEW_EXITS},
        Status.COUNTY_REVIEW: {Status.COUNTY_DECIDED, *_REVIEW_EXITS},
        **_AFTER_DECISION,
    },
    ProposerLevel.COUNTY: {
        Status.IDEA: {Status.PROPOSED},
        Status.PROPOSED: {Status.COUNTY_PUBLICITY, Status.IDEA},
        Status.COUNTY_PUBLICITY: {Status.COUNTY_REVIEW, *_REVIEW_EXITS},
        Status.COUNTY_REVIEW: {Status.COUNTY_DECIDED, *_REVIEW_EXITS},
        **_AFTER_DECISION,
    },
}


def proposal_level(project: Project) -> str:
    """The level whose proposal it is. A county department's proposal is the department's, not
    the bureau's: the bureau decides it, and the department does not review it."""
    return {
        ProposerLevel.VILLAGE: VILLAGE,
        ProposerLevel.TOWNSHIP: TOWNSHIP,
        ProposerLevel.COUNTY: "department",
    }[project.proposer_level]


# A village's steps are entered by its grid worker or, for the village, by the township clerk;
# whoever entered them leaves the township's review to someone else (one person, one level).
_VILLAGE = {"capability": "projects.propose", "level": VILLAGE, "by": (VILLAGE, TOWNSHIP)}
# A township's own acts: its proposals, and the publicity of its own and of the village
# proposals it has passed.
_TOWNSHIP_PROPOSAL = {"capability": "projects.propose", "level": TOWNSHIP}
_DEPARTMENT_PROPOSAL = {"capability": "projects.propose", "level": COUNTY}
_TOWNSHIP = {"capability": "projects.township_review", "level": TOWNSHIP}

_COUNTY = {"capability": "projects.county_review", "level": COUNTY}
_IMPLEMENT = {"capability": "projects.implement", "by": (VILLAGE, TOWNSHIP, COUNTY)}

PROJECT_WORKFLOW = Workflow(
    name=_("project"),
    transitions=lambda project: PROJECT_TRANSITIONS[project.proposer_level],
    steps=(
        # proposal
        Step("submit_village", _("Proposed by the village"), **_VILLAGE),
        Step("submit_township", _("Proposed by the township"), **_TOWNSHIP_PROPOSAL),
        Step("submit_county", _("Proposed by the department"), **_DEPARTMENT_PROPOSAL),
        Step("recall_village", _("Recalled for changes"), **_VILLAGE),
        Step("recall_township", _("Recalled for changes"), **_TOWNSHIP_PROPOSAL),
        Step("recall_county", _("Recalled for changes"), **_DEPARTMENT_PROPOSAL),
        # 两公示: each publicity is recorded, its objections handled, and closed
        Step("village_publicity", _("Village publicity started"), **_VILLAGE),
        Step("township_publicity", _("Township publicity recorded"), **_TOWNSHIP_PROPOSAL),
        Step("county_publicity", _("County publicity recorded"), **_DEPARTMENT_PROPOSAL),
        Step("publicity_objection", _("Objection to a publicity recorded"), "projects.publicity"),
        Step("objection_handled", _("Objection handled, not upheld"), "projects.publicity"),
        Step(
            "objection_upheld", _("Objection upheld"), "projects.publicity", notifies_proposer=True
        ),
        Step("village_publicity_close", _("Village publicity ended"), **_VILLAGE),
        Step("township_publicity_close", _("Township publicity ended"), **_TOWNSHIP_PROPOSAL),
        Step("county_publicity_close", _("County publicity ended"), **_DEPARTMENT_PROPOSAL),
        # reviews
        Step("township_pass", _("Township review passed"), **_TOWNSHIP, approves=True),
        Step("township_return", _("Returned by the township"), **_TOWNSHIP, notifies_proposer=True),
        Step(
            "township_reject",
            _("Not approved by the township"),
            **_TOWNSHIP,
            notifies_proposer=True,
        ),
        Step(
            "department_pass",
            _("Sector department review passed"),
            "projects.department_review",
            COUNTY,
            approves=True,
        ),
        Step(
            "department_reject",
            _("Not approved by the sector department"),
            "projects.department_review",
            COUNTY,
            notifies_proposer=True,
        ),
        Step("joint_review", _("County joint review recorded"), **_COUNTY),
        Step(
            "county_decide",
            _("Decided by the county"),
            **_COUNTY,
            approves=True,
            notifies_proposer=True,
        ),
        Step("county_reject", _("Not approved by the county"), **_COUNTY, notifies_proposer=True),
        Step("county_announce", _("Announced by the county"), **_COUNTY),
        Step("admit", _("Taken into the library"), **_COUNTY, notifies_proposer=True),
        Step("plan", _("Put in the year's funded plan"), **_COUNTY),
        Step("withdraw", _("Withdrawn from the library"), **_COUNTY, notifies_proposer=True),
        Step("adjust", _("Adjusted, back to county review"), **_COUNTY),
        Step("roll_over", _("Rolled over to the next year's library"), **_COUNTY),
        # implementation
        Step("start", _("Implementation started"), **_IMPLEMENT),
        Step("progress_report", _("Progress reported"), **_IMPLEMENT),
        Step("complete", _("Completed"), **_IMPLEMENT),
        Step("accept", _("Accepted"), "projects.accept", COUNTY),
        Step(
            "accept_failed",
            _("Acceptance failed: back to rectification"),
            "projects.accept",
            COUNTY,
        ),
        Step("hand_over", _("Assets handed over"), **_IMPLEMENT),
        Step("operate", _("Operation started"), **_IMPLEMENT),
    ),
    proposal_level=proposal_level,
    describe=lambda project: (str(project), project.get_absolute_url()),
    proposer=lambda project: project.created_by_id,
)


def with_member_villages(queryset, village_ids):
    """Projects of ``queryset`` that include one of ``village_ids``."""
    return queryset.filter(
        Exists(ProjectVillage.objects.filter(project=OuterRef("pk"), village_id__in=village_ids))
    )
