"""Disposal of an asset: proposed, decided by its owner (or kept), approved or refused by the
bureau, then carried out with its proceeds. Each step is a transition of DISPOSAL_WORKFLOW, so
who did what and when is in the audit trail."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assets.codes import AssetStatus, DisposalMethod
from assets.exceptions import AssetsError
from assets.models import Asset, Disposal
from assets.models.disposals import DISPOSAL_WORKFLOW
from kaiyuan.audit import record
from kaiyuan.common import inputs
from kaiyuan.common.dates import today
from kaiyuan.common.scoping import ensure_may_change

S = Disposal.Status
ROWS = Disposal.objects.select_related("asset")


def _text(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise AssetsError(message, field=field)
    return value


@transaction.atomic
def disposal_propose(*, asset: Asset, method: str, reason: str, actor) -> Disposal:
    ensure_may_change(actor, asset)
    DISPOSAL_WORKFLOW.ensure_may_take(Disposal(asset=asset), "propose_disposal", actor)
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.status == AssetStatus.DISPOSED:
        raise AssetsError(_("The asset is already disposed of."))
    if method not in DisposalMethod.values:
        raise AssetsError(_("Choose how the asset is disposed of."), field="method")
    reason = _text(reason, "reason", _("Say why the asset is to be disposed of."))
    try:
        with transaction.atomic():
            disposal = Disposal.objects.create(
                asset=asset, method=method, reason=reason, proposed_by=actor
            )
    except IntegrityError:
        raise AssetsError(_("This asset already has a disposal under way.")) from None
    record(
        disposal,
        action="propose_disposal",
        actor=actor,
        to_state=S.PROPOSED,
        note=reason,
        data={"step_level": DISPOSAL_WORKFLOW.step("propose_disposal").level, "method": method},
    )
    return disposal


def _lock(actor, disposal, action, state, expected_version):
    ensure_may_change(actor, disposal)
    return DISPOSAL_WORKFLOW.lock_for(
        actor, disposal, action, ROWS, expected_state=state, expected_version=expected_version
    )


@transaction.atomic
def disposal_decide(
    *,
    disposal: Disposal,
    dispose: bool,
    decided_on: datetime.date,
    decision: str,
    expected_version: int,
    actor,
) -> Disposal:
    """The owner's decision (the villagers' representatives for a collective's asset)."""
    action = "owner_decide" if dispose else "owner_keep"
    locked = _lock(actor, disposal, action, S.PROPOSED, expected_version)
    locked.decided_on = inputs.not_future(decided_on, "decided_on", error=AssetsError)
    locked.decision = _text(decision, "decision", _("Record the owner's decision."))
    return DISPOSAL_WORKFLOW.transition(
        locked,
        action=action,
        actor=actor,
        to=S.DECIDED if dispose else S.REFUSED,
        reason=locked.decision,
        fields=["decided_on", "decision"],
    )


@transaction.atomic
def disposal_approve(
    *, disposal: Disposal, approve: bool, reason: str, expected_version: int, actor
) -> Disposal:
    action = "approve_disposal" if approve else "refuse_disposal"
    locked = _lock(actor, disposal, action, S.DECIDED, expected_version)
    if not approve:
        reason = _text(reason, "reason", _("Say why the disposal is not approved."))
    locked.approved_on = today() if approve else None
    return DISPOSAL_WORKFLOW.transition(
        locked,
        action=action,
        actor=actor,
        to=S.APPROVED if approve else S.REFUSED,
        reason=(reason or "").strip(),
        fields=["approved_on"],
    )


@transaction.atomic
def disposal_complete(
    *,
    disposal: Disposal,
    completed_on: datetime.date,
    proceeds,
    proceeds_use: str,
    expected_version: int,
    actor,
) -> Disposal:
    """Carried out: the proceeds (0 for a write-off) and where they go; the asset is disposed."""
    locked = _lock(actor, disposal, "dispose", S.APPROVED, expected_version)
    locked.completed_on = inputs.not_future(completed_on, "completed_on", error=AssetsError)
    if locked.approved_on and locked.completed_on < locked.approved_on:
        raise AssetsError(_("The asset is disposed of after the approval."), field="completed_on")
    locked.proceeds = inputs.amount_or_zero(proceeds, "proceeds", error=AssetsError)
    locked.proceeds_use = (proceeds_use or "").strip()
    if locked.proceeds > 0 and not locked.proceeds_use:
        raise AssetsError(
            _("Say where the proceeds go (for a collective's asset: back to the collective)."),
            field="proceeds_use",
        )
    asset = Asset.objects.select_for_update().get(pk=locked.asset_id)
    asset.status = AssetStatus.DISPOSED
    asset.status_on = locked.completed_on
    asset.status_note = f"{locked.get_method_display()}：{locked.reason}"
    asset.version += 1
    asset.save(update_fields=["status", "status_on", "status_note", "version", "updated_at"])
    return DISPOSAL_WORKFLOW.transition(
        locked,
        action="dispose",
        actor=actor,
        to=S.COMPLETED,
        fields=["completed_on", "proceeds", "proceeds_use"],
        data={"proceeds": str(locked.proceeds)},
    )
