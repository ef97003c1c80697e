"""The disposal procedure: proposal, the owner's decision, the bureau's approval, the proceeds;
each step audited, only the roles that may take it, and the asset disposed at the end."""

from __future__ import annotations

import pytest

from assets.codes import AssetStatus, DisposalMethod
from assets.models import Disposal
from assets.services import disposals as services
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from tests.assets.factories import legacy_asset
from tests.funds.factories import bureau_user

pytestmark = pytest.mark.django_db
S = Disposal.Status


def test_an_asset_is_disposed_of_through_each_step_in_turn(village_a, clerk_a):
    bureau = bureau_user()
    asset = legacy_asset(village_a, clerk_a)
    disposal = services.disposal_propose(
        asset=asset, method=DisposalMethod.AUCTION, reason="设备老化，停产三年", actor=clerk_a
    )
    with pytest.raises(DomainError):
        # The bureau approves only what the owner has decided.
        services.disposal_approve(
            disposal=disposal, approve=True, reason="", expected_version=1, actor=bureau
        )
    disposal = services.disposal_decide(
        disposal=disposal,
        dispose=True,
        decided_on=today(),
        decision="村民代表大会2026年第3次会议决议",
        expected_version=disposal.version,
        actor=clerk_a,
    )
    with pytest.raises(DomainError):
        # A township clerk does not approve.
        services.disposal_approve(
            disposal=disposal,
            approve=True,
            reason="",
            expected_version=disposal.version,
            actor=clerk_a,
        )
    disposal = services.disposal_approve(
        disposal=disposal,
        approve=True,
        reason="同意",
        expected_version=disposal.version,
        actor=bureau,
    )
    with pytest.raises(DomainError):
        services.disposal_complete(
            disposal=disposal,
            completed_on=today(),
            proceeds="35000.00",
            proceeds_use="",
            expected_version=disposal.version,
            actor=clerk_a,
        )
    disposal = services.disposal_complete(
        disposal=disposal,
        completed_on=today(),
        proceeds="35000.00",
        proceeds_use="归村集体，用于巩固衔接项目",
        expected_version=disposal.version,
        actor=clerk_a,
    )
    asset.refresh_from_db()
    assert disposal.status == S.COMPLETED and asset.status == AssetStatus.DISPOSED
    steps = list(
        AuditEvent.objects.filter(object_id=str(disposal.pk), content_type__model="disposal")
        .order_by("at", "id")
        .values_list("action", "actor__username")
    )
    assert [action for action, _who in steps] == [
        "propose_disposal",
        "owner_decide",
        "approve_disposal",
        "dispose",
    ]
    assert steps[2][1] == bureau.username


def test_the_owner_may_keep_the_asset_and_a_second_disposal_cannot_run_beside_one(
    village_a, clerk_a
):
    asset = legacy_asset(village_a, clerk_a)
    first = services.disposal_propose(
        asset=asset, method=DisposalMethod.SCRAP, reason="损毁", actor=clerk_a
    )
    with pytest.raises(DomainError):
        services.disposal_propose(
            asset=asset, method=DisposalMethod.SCRAP, reason="损毁", actor=clerk_a
        )
    services.disposal_decide(
        disposal=first,
        dispose=False,
        decided_on=today(),
        decision="村民代表大会决定修缮后继续使用",
        expected_version=first.version,
        actor=clerk_a,
    )
    first.refresh_from_db()
    asset.refresh_from_db()
    assert first.status == S.REFUSED and asset.status == AssetStatus.IN_USE
    services.disposal_propose(
        asset=asset, method=DisposalMethod.SCRAP, reason="再次损毁", actor=clerk_a
    )


def test_a_clerk_of_another_township_cannot_propose(village_a, clerk_a, clerk_b):
    asset = legacy_asset(village_a, clerk_a)
    with pytest.raises(DomainError) as refused:
        services.disposal_propose(
            asset=asset, method=DisposalMethod.SCRAP, reason="损毁", actor=clerk_b
        )
    assert refused.value.code == "out_of_area"
    assert not Disposal.objects.exists()
