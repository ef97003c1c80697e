"""Forms of the asset ledger: an asset handed over by its project, an asset of earlier years, an
asset's details, its 确权, its 三资 entry, its status and its 四个一批 review, the project that
formed no asset, and a village's collective economic organisation. They parse; the services
(``assets.services``) check and write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from assets.codes import (
    LINKAGE_SOURCES,
    AssetClass,
    AssetStatus,
    AssetType,
    FundingSource,
    OwnerKind,
)
from assets.models import Asset
from assets.selectors.assets import funding_in_assets, funding_of, paid_by_level
from assets.services.assets import DETAIL_FIELDS
from kaiyuan.areas.models import Area
from kaiyuan.areas.picker import village_field
from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput, VersionedForm
from monitoring.models import Household
from projects.codes import FinanceMode, FourBatches, OperatingMode
from projects.models import OperatingAgreement, Project

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")
# What an asset's owner is asked, in this order.
OWNER_FIELDS = ("owner_kind", "owner_department", "owner_household_number")


def _text(label, *, max_length: int, required: bool = True, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label, *, required: bool = True, initial=None) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), initial=initial)


def _blank_choice(choices) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


def funding_field(source: str) -> str:
    """The form field (and the service's error field) of a fund source's amount."""
    return f"funding_{source}"


class AssetDetailsForm(forms.Form):
    """What a clerk records of any asset: what and where it is, who owns, runs and keeps it, and
    its contract (``services.assets.DETAIL_FIELDS`` and the owner); the forms below add its
    class, place, value and fund sources where they may be set."""

    name = forms.CharField(label=_("asset name"), max_length=120)
    asset_type = forms.ChoiceField(label=_("type"), choices=_blank_choice(AssetType.choices))
    quantity = forms.DecimalField(label=_("quantity"), max_digits=12, decimal_places=2)
    unit = forms.CharField(label=_("unit"), max_length=12)
    location = forms.CharField(label=_("location"), max_length=200)
    gps = forms.CharField(
        label=_("coordinates"),
        max_length=40,
        required=False,
        help_text=_("Longitude and latitude, for example 124.0381, 42.5466."),
    )
    completed_on = _date(_("completed on"), required=False)
    owner_kind = forms.ChoiceField(
        label=_("owner"), choices=OwnerKind.choices, widget=forms.RadioSelect
    )
    owner_department = forms.CharField(
        label=_("owning department"),
        max_length=60,
        required=False,
        help_text=_("For an asset owned by a county department."),
    )
    owner_household_number = forms.CharField(
        label=_("owning household's number"),
        max_length=32,
        required=False,
        help_text=_("For a household asset: the household number of a household of the village."),
    )
    operator = forms.CharField(label=_("operator (经营权人)"), max_length=120, required=False)
    operator_uscc = forms.CharField(
        label=_("operator's credit code"), max_length=18, required=False
    )
    operating_mode = forms.ChoiceField(
        label=_("operating mode"), choices=_blank_choice(OperatingMode.choices), required=False
    )
    contract_counterparty = forms.CharField(
        label=_("contract counterparty"), max_length=120, required=False
    )
    contract_start = _date(_("contract starts"), required=False)
    contract_end = _date(_("contract ends"), required=False)
    guaranteed_return_percent = forms.DecimalField(
        label=_("guaranteed return (% a year)"), max_digits=5, decimal_places=2, required=False
    )
    variable_return = forms.CharField(label=_("variable return"), max_length=300, required=False)
    custodian = forms.CharField(label=_("custodian (管护责任人)"), max_length=60)
    maintenance_funding = forms.CharField(label=_("maintenance funding"), max_length=120)
    source_note = forms.CharField(
        label=_("source (earlier years)"),
        max_length=200,
        required=False,
        help_text=_("For an asset formed before the project library: the funds and year."),
    )

    def __init__(self, *args, user, village: Area | None = None, **kwargs) -> None:
        self.user = user
        self.village = village
        self.owner_household = None
        super().__init__(*args, **kwargs)

    def add_funding_fields(self) -> None:
        """One amount per fund source; the linkage funds' are traced to the project's payments."""
        for source, label in FundingSource.choices:
            self.fields[funding_field(source)] = forms.DecimalField(
                label=_t("%(source)s (yuan)") % {"source": label},
                required=False,
                min_value=0,
                **MONEY,
            )

    def clean_owner_household_number(self):
        number = (self.cleaned_data.get("owner_household_number") or "").strip()
        self.owner_household = None
        if not number:
            return ""
        household = Household.objects.visible_to(self.user).filter(household_number=number).first()
        if household is None:
            raise forms.ValidationError(_("No household of your area has this number."))
        self.owner_household = household
        return number

    def values(self) -> dict:
        """The cleaned fields as the services take them (``values`` of asset_create …)."""
        data = self.cleaned_data
        values = {name: data[name] for name in DETAIL_FIELDS if name in data}
        values["owner_kind"] = data.get("owner_kind")
        values["owner_department"] = data.get("owner_department", "")
        values["owner_household"] = getattr(self, "owner_household", None)
        for name in ("asset_class", "area", "original_value", "formed_year", "handed_over_on"):
            if name in data:
                values[name] = data[name]
        if data.get("placement") is not None:
            values["placement"] = data["placement"]
        return values

    def funding(self) -> dict[str, Decimal]:
        data = self.cleaned_data
        return {
            source: data[funding_field(source)]
            for source in FundingSource.values
            if data.get(funding_field(source))
        }

    def funding_rows(self):
        """The fund-source fields, for the template that lays them out as one group."""
        return [self[funding_field(source)] for source in FundingSource.values]


# The order the forms ask in: what and where, when and its source, its value, then its owner,
# operation, contract and custody (fields a form lacks are skipped).
FIELD_ORDER = (
    "name",
    "asset_class",
    "asset_type",
    "quantity",
    "unit",
    "area",
    "location",
    "gps",
    "placement",
    "formed_year",
    "source_note",
    "handed_over_on",
    "completed_on",
    "original_value",
    *(funding_field(source) for source in FundingSource.values),
)


def _order(form: forms.Form) -> None:
    form.order_fields([name for name in FIELD_ORDER if name in form.fields])


def _initial_owner(asset: Asset) -> dict:
    return {
        "owner_kind": asset.owner_kind,
        "owner_department": asset.owner_department,
        "owner_household_number": (
            asset.owner_household.household_number if asset.owner_household_id else ""
        ),
    }


class AssetCreateForm(AssetDetailsForm):
    """An asset formed before the project library (the poverty funds of 2013–2020, a donation,
    designated assistance): its year and source instead of a project."""

    asset_class = forms.ChoiceField(
        label=_("class"), choices=AssetClass.choices, widget=forms.RadioSelect
    )
    area = forms.ModelChoiceField(label=_("village"), queryset=Area.objects.none())
    formed_year = forms.IntegerField(label=_("year formed"), min_value=2012)
    handed_over_on = _date(_("handed over on"), required=False)
    original_value = forms.DecimalField(label=_("original value (yuan)"), min_value=0, **MONEY)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        village_field(self.fields["area"], self.user)
        self.fields["formed_year"].max_value = today().year
        self.fields["source_note"].required = True
        self.add_funding_fields()
        _order(self)


class AssetHandoverForm(VersionedForm, AssetDetailsForm):
    """An asset of an accepted project onto the ledger (AST-1), carrying the project's version:
    the first asset hands the project over."""

    asset_class = forms.ChoiceField(
        label=_("class"), choices=AssetClass.choices, widget=forms.RadioSelect
    )
    area = forms.ModelChoiceField(label=_("village"), queryset=Area.objects.none())
    handed_over_on = _date(_("handed over on"), initial=today)
    original_value = forms.DecimalField(label=_("original value (yuan)"), min_value=0, **MONEY)

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        villages = {project.area_id, *project.villages.values_list("village_id", flat=True)}
        self.fields["area"].queryset = (
            Area.objects.filter(pk__in=villages, level=Area.Level.VILLAGE)
            .select_related("parent")
            .order_by("code")
        )
        self.fields["area"].label_from_instance = lambda area: f"{area.parent.name}{area.name}"
        if _is_debt(project):
            self.fields["placement"] = forms.ModelChoiceField(
                label=_("debt placement"),
                queryset=project.placements.order_by("id"),
                required=False,
                help_text=_(
                    "For a debt-type project's claim: the placement whose returns it earns."
                ),
            )
        self.add_funding_fields()
        # A project's asset has its project for a source.
        del self.fields["source_note"]
        _order(self)


class AssetEditForm(VersionedForm, AssetDetailsForm):
    """An asset's details, owner, value and fund sources (its class and village stay)."""

    original_value = forms.DecimalField(label=_("original value (yuan)"), min_value=0, **MONEY)

    def __init__(self, *args, asset: Asset, **kwargs) -> None:
        self.asset = asset
        initial = kwargs.pop("initial", None) or {}
        initial = {
            **{name: getattr(asset, name) for name in DETAIL_FIELDS},
            **_initial_owner(asset),
            "original_value": asset.original_value,
            **{funding_field(source): amount for source, amount in funding_of(asset).items()},
            "version": asset.version,
            **initial,
        }
        super().__init__(*args, initial=initial, village=asset.area, **kwargs)
        self.add_funding_fields()
        if asset.project_id:
            del self.fields["source_note"]
        _order(self)

    def changed_funding(self) -> dict[str, Decimal] | None:
        """The fund sources when the value or a source changed, else None (left as they are)."""
        funding = self.funding()
        same = funding == funding_of(self.asset) and (
            self.cleaned_data["original_value"] == self.asset.original_value
        )
        return None if same else funding


def _is_debt(project: Project) -> bool:
    return project.finance_mode == FinanceMode.DEBT


def handover_initial(project: Project) -> dict:
    """The handover form as the project fills it: its name, village and place, its class, the
    fund sources from what it paid by level (less what its assets already hold), its 管护
    arrangement, and the operating agreement's operator, mode, term and return if it has one."""
    paid = paid_by_level(project)
    held = funding_in_assets(project)
    funding = {source: paid.get(source, ZERO) for source in LINKAGE_SOURCES}
    funding[FundingSource.OTHER] = project.other_funds or ZERO
    funding[FundingSource.SELF_RAISED] = project.self_raised or ZERO
    funding = {
        source: max(amount - held.get(source, ZERO), ZERO) for source, amount in funding.items()
    }
    if project.finance_mode == FinanceMode.HOUSEHOLD:
        asset_class, owner = AssetClass.HOUSEHOLD, OwnerKind.HOUSEHOLD
    elif project.is_industry or _is_debt(project):
        asset_class, owner = AssetClass.OPERATING, OwnerKind.COLLECTIVE
    else:
        asset_class, owner = AssetClass.PUBLIC, OwnerKind.COLLECTIVE
    village = project.area if project.area.level == Area.Level.VILLAGE else None
    if village is None:
        first = project.villages.select_related("village").order_by("id").first()
        village = first.village if first else None
    initial = {
        "name": project.name,
        "asset_class": asset_class,
        "asset_type": AssetType.EQUITY if _is_debt(project) else "",
        "area": village.pk if village else None,
        "location": project.location,
        "owner_kind": owner,
        "original_value": sum(funding.values(), ZERO),
        "version": project.version,
        **{funding_field(source): amount for source, amount in funding.items() if amount},
    }
    placement = project.placements.order_by("id").first() if _is_debt(project) else None
    if placement is not None:
        initial["placement"] = placement.pk
    maintenance = project.maintenance.order_by("id").first()
    if maintenance is not None:
        initial["custodian"] = maintenance.maintainer[:60]
        initial["maintenance_funding"] = maintenance.funding_source
    agreement = OperatingAgreement.objects.filter(project=project).first()
    if agreement is not None:
        initial.update(
            operator=agreement.operator,
            operator_uscc=agreement.operator_uscc,
            operating_mode=agreement.mode,
            contract_counterparty=agreement.operator,
            contract_start=agreement.term_start,
            contract_end=agreement.term_end,
            guaranteed_return_percent=agreement.guaranteed_return_percent,
            variable_return=agreement.variable_return,
        )
    return initial


class NoAssetForm(VersionedForm):
    """AST-1's other answer: the accepted project formed no asset, and why."""

    handed_over_on = _date(_("handed over on"), initial=today)
    reason = _text(_("why no asset was formed"), max_length=300)


class ConfirmForm(VersionedForm):
    confirmed_on = _date(_("ownership confirmed on"), initial=today)
    certificate_number = forms.CharField(label=_("confirmation certificate"), max_length=60)


class SanziForm(VersionedForm):
    entered_on = _date(_("entered on the 三资 platform on"), initial=today)
    sanzi_id = forms.CharField(label=_("三资 platform id"), max_length=40)


class StatusForm(VersionedForm):
    """In use, idle or damaged; disposal has its own procedure."""

    status = forms.ChoiceField(
        label=_("status"),
        choices=[
            (value, label) for value, label in AssetStatus.choices if value != AssetStatus.DISPOSED
        ],
        widget=forms.RadioSelect,
    )
    on = _date(_("status since"), initial=today)
    note = forms.CharField(
        label=_("status note"),
        max_length=300,
        required=False,
        help_text=_("Why the asset is idle or damaged."),
    )


class ReviewForm(forms.Form):
    """The 四个一批 review of an operating asset."""

    batch = forms.ChoiceField(
        label=_("四个一批 class"), choices=FourBatches.choices, widget=forms.RadioSelect
    )
    reviewed_on = _date(_("reviewed on"), initial=today)
    reason = _text(_("reason"), max_length=300)


class CollectiveForm(forms.Form):
    """A village's collective economic organisation, with its credit code (N2…)."""

    village = forms.ModelChoiceField(label=_("village"), queryset=Area.objects.none())
    name = forms.CharField(label=_("name"), max_length=120)
    uscc = forms.CharField(
        label=_("unified social credit code"),
        max_length=18,
        help_text=_("The code the agriculture department registered, starting with N2."),
    )
    registered_on = _date(_("registered on"), required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        village_field(self.fields["village"], user)
