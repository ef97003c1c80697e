"""Writes of the asset ledger: the handover of an accepted project's assets (AST-1), assets of
earlier years, their details, 确权 and 三资 entry (AST-3), their status, and the villages'
collective economic organisations."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from assets.codes import AssetStatus, FundingSource, OwnerKind
from assets.exceptions import AssetsError
from assets.models import Asset, AssetFunding, Collective
from assets.rules import assets as rules
from assets.selectors.assets import funding_in_assets, paid_by_level
from kaiyuan.accounts.capabilities import require
from kaiyuan.areas.models import Area
from kaiyuan.audit import changes, record, snapshot
from kaiyuan.common import inputs
from kaiyuan.common.dates import today
from kaiyuan.common.errors import ConcurrentUpdate
from kaiyuan.common.rules import refuse_errors
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.common.uscc import normalise as normalise_uscc
from kaiyuan.common.uscc import uscc_problems
from projects.models import Project
from projects.services import implementation as project_steps

# The fields a clerk edits on an asset's page (its value and owner go through their own checks).
DETAIL_FIELDS = (
    "name",
    "asset_type",
    "quantity",
    "unit",
    "location",
    "gps",
    "completed_on",
    "operator",
    "operator_uscc",
    "operating_mode",
    "contract_counterparty",
    "contract_start",
    "contract_end",
    "guaranteed_return_percent",
    "variable_return",
    "custodian",
    "maintenance_funding",
    "source_note",
)
HANDOVER_STATES = (Project.Status.ACCEPTED, Project.Status.HANDED_OVER, Project.Status.OPERATING)


def not_future(day, field):
    return inputs.not_future(day, field, error=AssetsError)


def _amounts(funding: dict) -> dict[str, Decimal]:
    amounts = {}
    for source, value in (funding or {}).items():
        if source not in FundingSource.values:
            raise AssetsError(_("Unknown fund source."), field="funding")
        amount = inputs.amount_or_zero(value, f"funding_{source}", error=AssetsError)
        if amount:
            amounts[source] = amount
    return amounts


def _owner(values: dict, village: Area) -> dict:
    """The owner's fields for ``values["owner_kind"]``, the others cleared, AST-3 checked."""
    kind = values.get("owner_kind")
    owner = {
        "owner_kind": kind,
        "collective": None,
        "owner_township": None,
        "owner_department": "",
        "owner_household": None,
    }
    if kind == OwnerKind.COLLECTIVE:
        owner["collective"] = (
            values.get("collective") or Collective.objects.filter(village=village).first()
        )
        refuse_errors(
            rules.owner_problems(owner_kind=kind, village=village, collective=owner["collective"])
        )
    elif kind == OwnerKind.TOWNSHIP:
        owner["owner_township"] = village.township()
    elif kind == OwnerKind.DEPARTMENT:
        owner["owner_department"] = (values.get("owner_department") or "").strip()
        if not owner["owner_department"]:
            raise AssetsError(_("Name the owning department."), field="owner_department")
    elif kind == OwnerKind.HOUSEHOLD:
        household = values.get("owner_household")
        if household is None:
            raise AssetsError(_("Choose the owning household."), field="owner_household")
        if household.area_id != village.pk:
            raise AssetsError(
                _("The household lives in another village than the asset."),
                field="owner_household",
            )
        owner["owner_household"] = household
    else:
        raise AssetsError(_("Choose the owner."), field="owner_kind")
    return owner


def _details(values: dict) -> dict:
    details = {name: values[name] for name in DETAIL_FIELDS if name in values}
    for name in ("name", "unit", "location", "custodian", "maintenance_funding"):
        if name in details:
            details[name] = (details[name] or "").strip()
            if not details[name]:
                raise AssetsError(_("This field is required."), field=name)
    if "operator_uscc" in details:
        details["operator_uscc"] = normalise_uscc(details["operator_uscc"])
        refuse_errors(uscc_problems(details["operator_uscc"], field="operator_uscc"))
    start, end = details.get("contract_start"), details.get("contract_end")
    if start and end and end <= start:
        raise AssetsError(_("The contract ends after it starts."), field="contract_end")
    if details.get("quantity") is not None and details["quantity"] <= 0:
        raise AssetsError(_("The quantity is more than zero."), field="quantity")
    # Only when given: a change that leaves the rate out keeps it.
    if "guaranteed_return_percent" in details:
        rate = details["guaranteed_return_percent"]
        details["guaranteed_return_percent"] = (
            None
            if rate in (None, "")
            else inputs.percent_value(
                rate,
                "guaranteed_return_percent",
                _("Enter the guaranteed return in percent."),
                error=AssetsError,
            )
        )
    return details


def _check_funding(*, asset: Asset | None, project, value: Decimal, funding: dict[str, Decimal]):
    refuse_errors(
        rules.funding_problems(
            original_value=value,
            funding=funding,
            paid_by_level=paid_by_level(project) if project is not None else None,
            in_other_assets=funding_in_assets(project, exclude=asset) if project else {},
        )
    )


def _write_funding(asset: Asset, funding: dict[str, Decimal]) -> None:
    asset.funding.all().delete()
    AssetFunding.objects.bulk_create(
        AssetFunding(asset=asset, source=source, amount=amount)
        for source, amount in funding.items()
    )


def _village_of(values: dict, project) -> Area:
    village = values.get("area")
    if village is None:
        raise AssetsError(_("Choose the village where the asset is."), field="area")
    if project is not None:
        project_villages = {project.area_id, *project.villages.values_list("village_id", flat=True)}
        if village.pk not in project_villages and village.parent_id != project.area_id:
            raise AssetsError(_("The asset stands in one of the project's villages."), field="area")
    return village


def asset_code(asset: Asset) -> str:
    """The ledger code of a saved asset: ZC, its year formed and its number."""
    return f"ZC{asset.formed_year}{asset.pk:06d}"


def _create(*, values: dict, funding: dict, project, actor, formed_year: int, handed_over_on):
    refuse_errors(rules.class_problems(values.get("asset_class", "")))
    village = _village_of(values, project)
    ensure_may_change(actor, village)
    value = inputs.amount_or_zero(values.get("original_value"), "original_value", error=AssetsError)
    amounts = _amounts(funding)
    _check_funding(asset=None, project=project, value=value, funding=amounts)
    asset = Asset.objects.create(
        code=f"new-{uuid.uuid4().hex[:20]}",
        asset_class=values["asset_class"],
        area=village,
        project=project,
        placement=values.get("placement"),
        formed_year=formed_year,
        handed_over_on=handed_over_on,
        original_value=value,
        created_by=actor,
        **_owner(values, village),
        **_details(values),
    )
    asset.code = asset_code(asset)
    asset.save(update_fields=["code"])
    _write_funding(asset, amounts)
    record(
        asset,
        action="create",
        actor=actor,
        data={"project": project.code if project else "", "value": str(value)},
    )
    return asset


@transaction.atomic
def asset_hand_over(
    *, project: Project, values: dict, funding: dict, expected_version: int, actor
) -> Asset:
    """An asset of an accepted project onto the ledger (AST-1). The first one hands the project
    over (the project's own step); later ones join the same handover."""
    require(actor, "assets.record")
    handed_over_on = not_future(values.get("handed_over_on"), "handed_over_on")
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in HANDOVER_STATES:
        raise AssetsError(_("Assets are handed over once the project has passed acceptance."))
    handover = getattr(project, "handover", None)
    if handover is not None and not handover.asset_formed:
        raise AssetsError(_("This project was handed over as having formed no asset."))
    if handover is None and project.version != expected_version:
        raise ConcurrentUpdate(
            _("The project has changed since you opened it. Reload the page and try again.")
        )
    placement = values.get("placement")
    if placement is not None and placement.project_id != project.pk:
        raise AssetsError(_("The placement belongs to another project."), field="placement")
    asset = _create(
        values=values,
        funding=funding,
        project=project,
        actor=actor,
        formed_year=handed_over_on.year,
        handed_over_on=handed_over_on,
    )
    # The owners are named in the summary: read with the assets, not one query each.
    in_ledger = list(
        project.assets.select_related("collective", "owner_township", "owner_household").order_by(
            "id"
        )
    )
    summary = {
        "assets": "、".join(a.name for a in in_ledger),
        "value": sum((a.original_value for a in in_ledger), Decimal("0.00")),
        "recipient": "、".join(dict.fromkeys(a.owner_name for a in in_ledger)),
    }
    if handover is None:
        project_steps.project_hand_over(
            project=project,
            handed_over_on=handed_over_on,
            asset_formed=True,
            expected_version=expected_version,
            actor=actor,
            **summary,
        )
    else:
        project_steps.handover_summarise(project=project, actor=actor, **summary)
    return asset


@transaction.atomic
def project_no_asset(
    *,
    project: Project,
    handed_over_on: datetime.date,
    reason: str,
    expected_version: int,
    actor,
):
    """AST-1's other answer: the accepted project formed no asset, and why."""
    require(actor, "assets.record")
    refuse_errors(rules.handover_problems(asset_formed=False, assets=[], no_asset_reason=reason))
    return project_steps.project_hand_over(
        project=project,
        handed_over_on=not_future(handed_over_on, "handed_over_on"),
        asset_formed=False,
        no_asset_reason=reason,
        expected_version=expected_version,
        actor=actor,
    )


@transaction.atomic
def asset_create(*, values: dict, funding: dict, actor) -> Asset:
    """An asset formed before the project library (from the poverty funds of 2013–2020, a
    donation, designated assistance), entered with its source."""
    require(actor, "assets.record")
    if not (values.get("source_note") or "").strip():
        raise AssetsError(_("Say which funds and year formed the asset."), field="source_note")
    formed_year = values.get("formed_year")
    if not formed_year or not 2012 <= int(formed_year) <= today().year:
        raise AssetsError(_("Enter the year the asset was formed."), field="formed_year")
    return _create(
        values=values,
        funding=funding,
        project=None,
        actor=actor,
        formed_year=int(formed_year),
        handed_over_on=values.get("handed_over_on"),
    )


def lock_asset(asset: Asset, expected_version: int | None) -> Asset:
    locked = (
        Asset.objects.select_for_update(of=("self",)).select_related("project").get(pk=asset.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentUpdate(
            _(
                "Someone else changed this asset since you opened it. Reload the page to see "
                "their change, then make yours."
            )
        )
    return locked


def _save(asset: Asset, fields, *, actor, before: dict, action: str = "change") -> Asset:
    asset.version += 1
    asset.save(update_fields=[*fields, "version", "updated_at"])
    record(asset, action=action, actor=actor, data=changes(before, asset))
    return asset


@transaction.atomic
def asset_update(
    *, asset: Asset, values: dict, funding: dict | None, expected_version: int, actor
) -> Asset:
    require(actor, "assets.record")
    ensure_may_change(actor, asset)
    locked = lock_asset(asset, expected_version)
    if locked.status == AssetStatus.DISPOSED:
        raise AssetsError(_("A disposed asset is kept as it was."))
    details = _details(values)
    owner = _owner(
        {**values, "owner_kind": values.get("owner_kind", locked.owner_kind)}, locked.area
    )
    fields = [*details, *owner]
    before = snapshot(locked, [*fields, "original_value"])
    for name, value in {**details, **owner}.items():
        setattr(locked, name, value)
    if funding is not None:
        value = inputs.amount_or_zero(
            values.get("original_value", locked.original_value), "original_value", error=AssetsError
        )
        amounts = _amounts(funding)
        _check_funding(asset=locked, project=locked.project, value=value, funding=amounts)
        locked.original_value = value
        fields.append("original_value")
        _write_funding(locked, amounts)
    return _save(locked, fields, actor=actor, before=before)


@transaction.atomic
def asset_confirm(
    *,
    asset: Asset,
    confirmed_on: datetime.date,
    certificate_number: str,
    expected_version: int,
    actor,
) -> Asset:
    """确权登记: the ownership confirmed, with its certificate."""
    require(actor, "assets.record")
    ensure_may_change(actor, asset)
    locked = lock_asset(asset, expected_version)
    certificate_number = (certificate_number or "").strip()
    if not certificate_number:
        raise AssetsError(
            _("Enter the confirmation certificate's number."), field="certificate_number"
        )
    before = snapshot(locked, ["confirmed_on", "certificate_number"])
    locked.confirmed_on = not_future(confirmed_on, "confirmed_on")
    locked.certificate_number = certificate_number
    return _save(
        locked, ["confirmed_on", "certificate_number"], actor=actor, before=before, action="confirm"
    )


@transaction.atomic
def asset_enter_sanzi(
    *, asset: Asset, entered_on: datetime.date, sanzi_id: str, expected_version: int, actor
) -> Asset:
    """The asset's entry on the "三资" platform (AST-3), with the platform's id."""
    require(actor, "assets.record")
    ensure_may_change(actor, asset)
    locked = lock_asset(asset, expected_version)
    sanzi_id = (sanzi_id or "").strip()
    if not sanzi_id:
        raise AssetsError(_("Enter the asset's id on the 三资 platform."), field="sanzi_id")
    if locked.owner_kind == OwnerKind.COLLECTIVE and locked.confirmed_on is None:
        raise AssetsError(
            _("A collective's asset is entered on the 三资 platform after its 确权."),
            field="sanzi_id",
        )
    before = snapshot(locked, ["sanzi_entered_on", "sanzi_id"])
    locked.sanzi_entered_on = not_future(entered_on, "sanzi_entered_on")
    locked.sanzi_id = sanzi_id
    return _save(
        locked, ["sanzi_entered_on", "sanzi_id"], actor=actor, before=before, action="sanzi_entry"
    )


@transaction.atomic
def asset_set_status(
    *, asset: Asset, status: str, on: datetime.date, note: str, expected_version: int, actor
) -> Asset:
    """In use, idle or damaged; disposal has its own procedure."""
    require(actor, "assets.record")
    ensure_may_change(actor, asset)
    if status not in (AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.DAMAGED):
        raise AssetsError(
            _("An asset is disposed of through the disposal procedure."), field="status"
        )
    locked = lock_asset(asset, expected_version)
    if locked.status == AssetStatus.DISPOSED:
        raise AssetsError(_("A disposed asset is kept as it was."))
    if status != AssetStatus.IN_USE and not (note or "").strip():
        raise AssetsError(_("Say why the asset is idle or damaged."), field="status_note")
    before = snapshot(locked, ["status", "status_on", "status_note"])
    locked.status = status
    locked.status_on = not_future(on, "status_on")
    locked.status_note = (note or "").strip()
    return _save(
        locked, ["status", "status_on", "status_note"], actor=actor, before=before, action="status"
    )


@transaction.atomic
def collective_register(
    *, village: Area, name: str, uscc: str, registered_on: datetime.date | None, actor
) -> Collective:
    require(actor, "assets.record")
    ensure_may_change(actor, village)
    if village.level != Area.Level.VILLAGE:
        raise AssetsError(
            _("A collective economic organisation belongs to a village."), field="village"
        )
    if Collective.objects.filter(village=village).exists():
        raise AssetsError(_("This village's organisation is already registered."), field="village")
    code = normalise_uscc(uscc)
    if not code:
        raise AssetsError(_("Enter the unified social credit code."), field="uscc")
    refuse_errors(uscc_problems(code, field="uscc"))
    refuse_errors(rules.collective_code_problems(code))
    if Collective.objects.filter(uscc=code).exists():
        raise AssetsError(
            _("Another organisation is registered with this credit code."), field="uscc"
        )
    if not (name or "").strip():
        raise AssetsError(_("Enter the organisation's name."), field="name")
    collective = Collective.objects.create(
        village=village, name=name.strip(), uscc=code, registered_on=registered_on
    )
    record(collective, action="create", actor=actor, data={"uscc": code})
    return collective
