"""/api/v1/projects/: the project library (项目库).

A proposal is created whole (``POST``, with its villages and performance targets) and changed
whole or in part while it is being drafted (``PUT``/``PATCH`` with the ``version`` loaded). From
then on it moves only by its steps, each a POST sub-resource of the project
(``/projects/{id}/township-review/``) that is one call of the service the pages use, with the
``version`` the user loaded. Every step answers the project as it now stands (its new
``version`` included), ``roll-over/`` the new project of the next year's library (201).

Refusals: a broken rule or a refused step is 400 with ``code``, ``detail``, ``field`` and, for
rules, ``violations``; one person taking two levels' steps is 400 ``separation_of_duties``; a
project that has moved on or was changed since it was loaded (a stale ``version``, or a step
taken at the wrong stage) is 409 ``concurrent_update``, with a message saying where it stands.

Steps without a version (``progress/``, ``maintenance/``, ``agreement/``) add a record and do
not move the project; the publicity's objections are sub-resources of the publicity record
(``projects.api.publicity``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kaiyuan.accounts.capabilities import require
from kaiyuan.areas.models import Area
from kaiyuan.common.api import MAX_ID, ModuleViewSet, ScopedPrimaryKeyField, require_version
from projects.api.implementation import (
    AcceptanceInputSerializer,
    AgreementSerializer,
    HandOverSerializer,
    MaintenanceInputSerializer,
    MaintenanceSerializer,
    OperateSerializer,
    ProgressInputSerializer,
    StartSerializer,
    amount,
)
from projects.api.publicity import PublicityBriefSerializer, PublicityInputSerializer
from projects.codes import (
    Direction,
    IndicatorGroup,
    IndicatorKind,
    Mechanism,
    ProposerLevel,
)
from projects.filters import FIRST_YEAR, LAST_YEAR, ProjectFilter
from projects.models import (
    ConstructionListItem,
    PerformanceIndicator,
    Project,
    ProjectVillage,
    PublicityObjection,
    PublicityRecord,
)
from projects.models.projects import FUNDING_FIELDS
from projects.selectors.projects import project_rows, township_of
from projects.services import implementation as implementation_services
from projects.services import projects as project_services
from projects.services import publicity as publicity_services
from projects.services import reviews as review_services
from projects.services.projects import PROPOSAL_FIELDS, Indicator, Proposal, VillageShare
from projects.services.reviews import ADJUSTABLE_FIELDS

REASON = 1000
PERCENT = {"max_digits": 5, "decimal_places": 2}

# =============================================================================================
# Read
# =============================================================================================


class ProjectSerializer(serializers.ModelSerializer):
    """A project in lists: what, where, how much, and where it stands."""

    area_code = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    township_name = serializers.SerializerMethodField()
    total_investment = amount(read_only=True)
    linkage_funds = amount(
        read_only=True, help_text=_("Central, provincial, city and county linkage funds.")
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "year",
            "plan_year",
            "status",
            "category",
            "subcategory",
            "finance_mode",
            "proposer_level",
            "proposer_department",
            "sector",
            "area",
            "area_code",
            "area_name",
            "township_name",
            "entity_name",
            "start_date",
            "end_date",
            "total_investment",
            "linkage_funds",
            "rolled_from",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    def get_township_name(self, project) -> str | None:
        township = township_of(project)
        return township.name if township is not None else None


class ProjectVillageSerializer(serializers.ModelSerializer):
    village_code = serializers.CharField(source="village.code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    share_percent = serializers.DecimalField(read_only=True, coerce_to_string=True, **PERCENT)
    asset_share_percent = serializers.DecimalField(read_only=True, coerce_to_string=True, **PERCENT)

    class Meta:
        model = ProjectVillage
        fields = [
            "village",
            "village_code",
            "village_name",
            "share_percent",
            "asset_share_percent",
            "duties",
        ]
        read_only_fields = fields


class PerformanceIndicatorSerializer(serializers.ModelSerializer):
    target = amount(read_only=True)
    actual = amount(read_only=True, allow_null=True)

    class Meta:
        model = PerformanceIndicator
        fields = ["id", "group", "kind", "name", "unit", "direction", "target", "actual"]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    """One project whole: the proposal with its villages, funding by level, performance targets,
    farmer-linking mechanisms, 四有 checklist and construction-list items; its publicity and
    maintenance arrangements."""

    villages = ProjectVillageSerializer(many=True, read_only=True)
    indicators = PerformanceIndicatorSerializer(many=True, read_only=True)
    mechanisms = serializers.ListField(child=serializers.CharField(), read_only=True)
    four_haves = serializers.DictField(
        child=serializers.BooleanField(),
        read_only=True,
        help_text=_("四有 checklist: item code → whether the project meets it."),
    )
    construction_items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    publicity_records = PublicityBriefSerializer(many=True, read_only=True)
    maintenance = MaintenanceSerializer(many=True, read_only=True)
    central_funds = amount(read_only=True)
    provincial_funds = amount(read_only=True)
    city_funds = amount(read_only=True)
    county_funds = amount(read_only=True)
    other_funds = amount(read_only=True)
    self_raised = amount(read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "four_batches",
            "four_batches_on",
            "four_batches_reason",
            "entity_type",
            "entity_uscc",
            "responsible_person",
            "responsible_phone",
            "beneficiary_entity",
            "content",
            "scale",
            "location",
            "subsidy_standard",
            *FUNDING_FIELDS,
            "land_status",
            "environment_status",
            "mechanisms",
            "mechanism_note",
            "four_haves",
            "construction_items",
            "operating_mode",
            "asset_owner",
            "villages",
            "indicators",
            "publicity_records",
            "maintenance",
            "created_at",
        ]
        read_only_fields = fields


def with_detail(projects):
    """What the detail shows, in a fixed number of queries."""
    return projects.prefetch_related(
        Prefetch(
            "villages", queryset=ProjectVillage.objects.select_related("village").order_by("id")
        ),
        Prefetch("indicators", queryset=PerformanceIndicator.objects.order_by("id")),
        "construction_items",
        Prefetch(
            "publicity_records",
            queryset=PublicityRecord.objects.order_by("start_date", "id").prefetch_related(
                Prefetch("objections", queryset=PublicityObjection.objects.only("id", "record"))
            ),
        ),
        "maintenance",
    )


# =============================================================================================
# A proposal, as it is written
# =============================================================================================


class VillageShareSerializer(serializers.Serializer):
    village = ScopedPrimaryKeyField(queryset=Area.objects.filter(level=Area.Level.VILLAGE))
    share_percent = serializers.DecimalField(
        min_value=Decimal("0.01"), max_value=Decimal("100"), **PERCENT
    )
    asset_share_percent = serializers.DecimalField(
        min_value=Decimal("0"), max_value=Decimal("100"), **PERCENT
    )
    duties = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class IndicatorSerializer(serializers.Serializer):
    group = serializers.ChoiceField(choices=IndicatorGroup.choices)
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)
    name = serializers.CharField(max_length=100)
    unit = serializers.CharField(max_length=16)
    direction = serializers.ChoiceField(
        choices=Direction.choices, required=False, default=Direction.AT_LEAST
    )
    target = serializers.DecimalField(max_digits=14, decimal_places=2)


class ProposalSerializer(serializers.ModelSerializer):
    """A whole proposal. Its content rules (funding adding up, the villages' shares, the credit
    code, the sub-category, the indicators' groups) are the service's, all answered in one 400
    with ``violations``."""

    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    total_investment = amount(min_value=Decimal("0"))
    central_funds = amount(min_value=Decimal("0"), default=Decimal("0"))
    provincial_funds = amount(min_value=Decimal("0"), default=Decimal("0"))
    city_funds = amount(min_value=Decimal("0"), default=Decimal("0"))
    county_funds = amount(min_value=Decimal("0"), default=Decimal("0"))
    other_funds = amount(min_value=Decimal("0"), default=Decimal("0"))
    self_raised = amount(min_value=Decimal("0"), default=Decimal("0"))
    mechanisms = serializers.ListField(
        child=serializers.ChoiceField(choices=Mechanism.choices),
        max_length=len(Mechanism.choices),
        required=False,
        default=list,
    )
    four_haves = serializers.DictField(
        child=serializers.BooleanField(),
        required=False,
        default=dict,
        help_text=_("四有 checklist: item code → whether the project meets it."),
    )
    villages = VillageShareSerializer(many=True, max_length=300)
    indicators = IndicatorSerializer(many=True, max_length=50, required=False, default=list)
    construction_items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=100,
        required=False,
        default=list,
        help_text=_("Ids of the rural-construction list items (model-village projects)."),
    )

    class Meta:
        model = Project
        fields = [*PROPOSAL_FIELDS, "villages", "indicators", "construction_items"]

    def validate_construction_items(self, ids):
        ids = list(dict.fromkeys(ids))
        items = list(ConstructionListItem.objects.filter(pk__in=ids, active=True))
        if len(items) != len(ids):
            raise serializers.ValidationError(_("No such record."))
        return items

    def validate(self, attrs):
        project = self.instance

        def value(name):
            return attrs.get(name, getattr(project, name) if project is not None else None)

        start, end = value("start_date"), value("end_date")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": _("The completion date cannot be before the start.")}
            )
        if "mechanisms" in attrs:
            attrs["mechanisms"] = list(dict.fromkeys(attrs["mechanisms"]))
        return attrs


class ProposalCreateSerializer(ProposalSerializer):
    proposer_level = serializers.ChoiceField(
        choices=ProposerLevel.choices,
        required=False,
        help_text=_(
            "Whose proposal it is; by default the user's own level (a village's grid worker: "
            "village, a township clerk: township, a county department: county)."
        ),
    )

    class Meta(ProposalSerializer.Meta):
        fields = ["proposer_level", *ProposalSerializer.Meta.fields]


class ProposalUpdateSerializer(ProposalSerializer):
    version = serializers.IntegerField(
        help_text=_("The version you loaded; a newer saved version answers 409.")
    )

    class Meta(ProposalSerializer.Meta):
        fields = ["version", *ProposalSerializer.Meta.fields]

    def validate(self, attrs):
        require_version(attrs)
        return super().validate(attrs)


def proposal_of(values: dict, project: Project | None = None) -> Proposal:
    """The service's ``Proposal`` from validated input; on a partial change, what was not sent
    is the project's as it stands."""
    fields = {name: getattr(project, name) for name in PROPOSAL_FIELDS} if project else {}
    fields.update({name: values[name] for name in PROPOSAL_FIELDS if name in values})
    if "villages" in values:
        villages = [VillageShare(**row) for row in values["villages"]]
    else:
        villages = [
            VillageShare(row.village, row.share_percent, row.asset_share_percent, row.duties)
            for row in project.villages.all()
        ]
    if "indicators" in values:
        indicators = [Indicator(**row) for row in values["indicators"]]
    else:
        indicators = [
            Indicator(row.group, row.kind, row.name, row.unit, row.target, row.direction)
            for row in project.indicators.all()
        ]
    if "construction_items" in values:
        items = values["construction_items"]
    else:
        items = list(project.construction_items.all())
    return Proposal(
        fields=fields, villages=villages, indicators=indicators, construction_items=items
    )


def default_level(user) -> str:
    return {"village": ProposerLevel.VILLAGE, "township": ProposerLevel.TOWNSHIP}.get(
        getattr(user, "level", ""), ProposerLevel.COUNTY
    )


# =============================================================================================
# Steps
# =============================================================================================


class ProjectVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("The version of the project you loaded."))


class ProjectReasonSerializer(ProjectVersionSerializer):
    reason = serializers.CharField(max_length=REASON, required=False, allow_blank=True, default="")


class ProjectTownshipReviewSerializer(ProjectReasonSerializer):
    decision = serializers.ChoiceField(
        choices=[("pass", _("Pass")), ("return", _("Return to change")), ("reject", _("Reject"))],
        help_text=_(
            "pass, return (to the village, to change) or reject; the last two need a reason."
        ),
    )


class ProjectOpinionSerializer(ProjectVersionSerializer):
    opinion = serializers.CharField(max_length=REASON, allow_blank=True, default="")


class ProjectDepartmentReviewSerializer(ProjectOpinionSerializer):
    passed = serializers.BooleanField()


class ProjectDecisionSerializer(ProjectReasonSerializer):
    approved = serializers.BooleanField()


class ProjectPlanSerializer(ProjectVersionSerializer):
    plan_year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)


class ProjectAdjustSerializer(serializers.ModelSerializer):
    """What an admitted project's adjustment changes (any of these fields), with the reason."""

    version = serializers.IntegerField(help_text=_("The version of the project you loaded."))
    reason = serializers.CharField(max_length=REASON, allow_blank=True, default="")
    total_investment = amount(min_value=Decimal("0"), required=False)
    central_funds = amount(min_value=Decimal("0"), required=False)
    provincial_funds = amount(min_value=Decimal("0"), required=False)
    city_funds = amount(min_value=Decimal("0"), required=False)
    county_funds = amount(min_value=Decimal("0"), required=False)
    other_funds = amount(min_value=Decimal("0"), required=False)
    self_raised = amount(min_value=Decimal("0"), required=False)

    class Meta:
        model = Project
        fields = ["version", "reason", *ADJUSTABLE_FIELDS]
        extra_kwargs = {name: {"required": False} for name in ADJUSTABLE_FIELDS}

    def validate(self, attrs):
        project = self.context["project"]
        start = attrs.get("start_date", project.start_date)
        end = attrs.get("end_date", project.end_date)
        if end < start:
            raise serializers.ValidationError(
                {"end_date": _("The completion date cannot be before the start.")}
            )
        return attrs


@extend_schema(tags=["projects"])
class ProjectViewSet(ModuleViewSet):
    """Projects of the library the user sees: list with filters, the whole proposal, the draft's
    creation and changes, and each step as a POST sub-resource."""

    module = "projects"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = Project.objects.all()
    filterset_class = ProjectFilter

    def get_queryset(self):
        rows = project_rows(self.request.user)
        return rows if self.action == "list" else with_detail(rows)

    def get_serializer_class(self):
        return {
            "list": ProjectSerializer,
            "create": ProposalCreateSerializer,
            "update": ProposalUpdateSerializer,
            "partial_update": ProposalUpdateSerializer,
        }.get(self.action, ProjectDetailSerializer)

    # ---- helpers ------------------------------------------------------------------------------

    def _valid(self, serializer_class, **context) -> dict:
        data = serializer_class(
            data=self.request.data, context={**self.get_serializer_context(), **context}
        )
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def _detail(self, project: Project, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=project.pk)
        return Response(
            ProjectDetailSerializer(fresh, context=self.get_serializer_context()).data,
            status=status_code,
        )

    # ---- the draft ----------------------------------------------------------------------------

    @extend_schema(request=ProposalCreateSerializer, responses={201: ProjectDetailSerializer})
    def create(self, request, *args, **kwargs):
        """A new proposal, being drafted (谋划)."""
        values = self._valid(ProposalCreateSerializer)
        project = project_services.project_create(
            proposal=proposal_of(values),
            proposer_level=values.get("proposer_level") or default_level(request.user),
            actor=request.user,
        )
        return self._detail(project, status.HTTP_201_CREATED)

    def _change(self, request, *, partial: bool) -> Response:
        project = self.get_object()
        data = ProposalUpdateSerializer(
            project, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        project = project_services.project_update(
            project=project,
            proposal=proposal_of(values, project),
            expected_version=values["version"],
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(request=ProposalUpdateSerializer, responses={200: ProjectDetailSerializer})
    def update(self, request, *args, **kwargs):
        """The draft replaced whole (villages and targets too)."""
        return self._change(request, partial=False)

    @extend_schema(request=ProposalUpdateSerializer, responses={200: ProjectDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        """The draft changed in part: what is not sent stays (villages and targets are replaced
        only when sent)."""
        return self._change(request, partial=True)

    # ---- proposal and review ------------------------------------------------------------------

    @extend_schema(request=ProjectVersionSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The proposer submits the draft (申报)."""
        project = self.get_object()
        values = self._valid(ProjectVersionSerializer)
        project = project_services.project_submit(
            project=project, expected_version=values["version"], actor=request.user
        )
        return self._detail(project)

    @extend_schema(request=ProjectReasonSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def recall(self, request, pk=None):
        """The proposer takes a submitted proposal back to change it, before any publicity."""
        project = self.get_object()
        values = self._valid(ProjectReasonSerializer)
        project = project_services.project_recall(
            project=project,
            expected_version=values["version"],
            reason=values["reason"],
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(
        request=ProjectTownshipReviewSerializer, responses={200: ProjectDetailSerializer}
    )
    @action(detail=True, methods=["post"], url_path="township-review")
    def township_review(self, request, pk=None):
        """The township's review of a village proposal (乡审核)."""
        project = self.get_object()
        values = self._valid(ProjectTownshipReviewSerializer)
        project = review_services.township_review(
            project=project,
            decision=values["decision"],
            reason=values["reason"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(
        request=ProjectDepartmentReviewSerializer, responses={200: ProjectDetailSerializer}
    )
    @action(detail=True, methods=["post"], url_path="department-review")
    def department_review(self, request, pk=None):
        """The sector department's review (行业部门把关)."""
        project = self.get_object()
        values = self._valid(ProjectDepartmentReviewSerializer)
        project = review_services.department_review(
            project=project,
            passed=values["passed"],
            opinion=values["opinion"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(request=ProjectOpinionSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"], url_path="joint-review")
    def joint_review(self, request, pk=None):
        """The county's joint review (县论证) recorded."""
        project = self.get_object()
        values = self._valid(ProjectOpinionSerializer)
        project = review_services.joint_review(
            project=project,
            opinion=values["opinion"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(request=ProjectDecisionSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The county's decision (县审定)."""
        project = self.get_object()
        values = self._valid(ProjectDecisionSerializer)
        project = review_services.county_decide(
            project=project,
            approved=values["approved"],
            reason=values["reason"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(request=ProjectVersionSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def admit(self, request, pk=None):
        """Into the library (入库), once the county's announcement is over."""
        project = self.get_object()
        values = self._valid(ProjectVersionSerializer)
        project = review_services.project_admit(
            project=project, expected_version=values["version"], actor=request.user
        )
        return self._detail(project)

    @extend_schema(request=ProjectPlanSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        """Into the year's funded plan (纳入年度资金计划)."""
        project = self.get_object()
        values = self._valid(ProjectPlanSerializer)
        project = review_services.project_plan(
            project=project,
            plan_year=values["plan_year"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(request=ProjectReasonSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """退库: out of the library, with the reason."""
        project = self.get_object()
        values = self._valid(ProjectReasonSerializer)
        project = review_services.project_withdraw(
            project=project,
            reason=values["reason"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(request=ProjectAdjustSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        """项目调整: the changes and their reason kept, the project back at the county's review."""
        project = self.get_object()
        values = self._valid(ProjectAdjustSerializer, project=project)
        version, reason = values.pop("version"), values.pop("reason")
        project = review_services.project_adjust(
            project=project,
            values=values,
            reason=reason,
            expected_version=version,
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(request=ProjectVersionSerializer, responses={201: ProjectDetailSerializer})
    @action(detail=True, methods=["post"], url_path="roll-over")
    def roll_over(self, request, pk=None):
        """滚动: into the next year's library. Answers the new project."""
        project = self.get_object()
        values = self._valid(ProjectVersionSerializer)
        successor = review_services.project_roll_over(
            project=project, expected_version=values["version"], actor=request.user
        )
        return self._detail(successor, status.HTTP_201_CREATED)

    # ---- publicity ----------------------------------------------------------------------------

    @extend_schema(request=PublicityInputSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def publicity(self, request, pk=None):
        """A publicity posted on a board (the proposer's, or the township's after its review)."""
        project = self.get_object()
        values = self._valid(PublicityInputSerializer)
        publicity_services.publicity_record(
            project=project,
            level=values["level"],
            medium=values["medium"],
            place=values["place"],
            start_date=values["start_date"],
            end_date=values["end_date"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(request=ProjectVersionSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"], url_path="publicity-close")
    def publicity_close(self, request, pk=None):
        """The publicity at the project's current stage ended without an upheld objection."""
        project = self.get_object()
        values = self._valid(ProjectVersionSerializer)
        project = publicity_services.publicity_close(
            project=project, expected_version=values["version"], actor=request.user
        )
        return self._detail(project)

    # ---- implementation -----------------------------------------------------------------------

    @extend_schema(request=StartSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        project = self.get_object()
        values = self._valid(StartSerializer)
        project = implementation_services.project_start(
            project=project,
            started_on=values["started_on"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(request=ProgressInputSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """A dated progress report (listed at /api/v1/progress-reports/)."""
        project = self.get_object()
        values = self._valid(ProgressInputSerializer)
        implementation_services.progress_report(project=project, actor=request.user, **values)
        return self._detail(project)

    @extend_schema(request=ProjectVersionSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        project = self.get_object()
        values = self._valid(ProjectVersionSerializer)
        project = implementation_services.project_complete(
            project=project, expected_version=values["version"], actor=request.user
        )
        return self._detail(project)

    @extend_schema(request=MaintenanceInputSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def maintenance(self, request, pk=None):
        """Who maintains the project (管护), replaced whole until it is accepted."""
        project = self.get_object()
        require(request.user, "projects.implement")
        values = self._valid(MaintenanceInputSerializer)
        implementation_services.maintenance_set(
            project=project,
            arrangements=[dict(row) for row in values["arrangements"]],
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(request=AcceptanceInputSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def acceptance(self, request, pk=None):
        """The bureau's acceptance (验收): 合格 to accepted, 不合格 back to rectification."""
        project = self.get_object()
        values = self._valid(AcceptanceInputSerializer)
        implementation_services.acceptance_record(
            project=project,
            accepted_on=values["accepted_on"],
            result=values["result"],
            findings=values["findings"],
            inspectors=values["inspectors"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._detail(project)

    @extend_schema(request=HandOverSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        """The assets handed over to the asset ledger, or why none was formed."""
        project = self.get_object()
        values = self._valid(HandOverSerializer)
        version = values.pop("version")
        implementation_services.project_hand_over(
            project=project, expected_version=version, actor=request.user, **values
        )
        return self._detail(project)

    @extend_schema(request=AgreementSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def agreement(self, request, pk=None):
        """The signed operating agreement, before operation starts."""
        project = self.get_object()
        require(request.user, "projects.implement")
        values = self._valid(AgreementSerializer)
        implementation_services.agreement_record(project=project, values=values, actor=request.user)
        return self._detail(project)

    @extend_schema(request=OperateSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def operate(self, request, pk=None):
        """Operation starts, in one of the allowed modes."""
        project = self.get_object()
        values = self._valid(OperateSerializer)
        project = implementation_services.project_operate(
            project=project,
            mode=values["mode"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._detail(project)
