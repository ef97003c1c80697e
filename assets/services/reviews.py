"""The 四个一批 review of an operating asset: a dated class with its reason; the asset shows the
latest review."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from assets.codes import AssetClass, AssetStatus
from assets.exceptions import AssetsError
from assets.models import Asset, AssetReview
from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import record
from kaiyuan.common import inputs
from kaiyuan.common.scoping import ensure_may_change
from projects.codes import FourBatches


@transaction.atomic
def asset_review(
    *, asset: Asset, batch: str, reviewed_on: datetime.date, reason: str, actor
) -> AssetReview:
    require(actor, "assets.record")
    ensure_may_change(actor, asset)
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.asset_class != AssetClass.OPERATING:
        raise AssetsError(_("The 四个一批 review is for operating assets."), field="batch")
    if asset.status == AssetStatus.DISPOSED:
        raise AssetsError(_("A disposed asset is kept as it was."))
    if batch not in FourBatches.values:
        raise AssetsError(_("Choose the 四个一批 class."), field="batch")
    reviewed_on = inputs.not_future(reviewed_on, "reviewed_on", error=AssetsError)
    reason = (reason or "").strip()
    if not reason:
        raise AssetsError(_("Give the reason for the class."), field="reason")
    review = AssetReview.objects.create(
        asset=asset, batch=batch, reviewed_on=reviewed_on, reason=reason, reviewed_by=actor
    )
    if asset.four_batches_on is None or reviewed_on >= asset.four_batches_on:
        asset.four_batches, asset.four_batches_on = batch, reviewed_on
        asset.version += 1
        asset.save(update_fields=["four_batches", "four_batches_on", "version", "updated_at"])
    record(asset, action="review", actor=actor, note=reason, data={"batch": batch})
    return review
