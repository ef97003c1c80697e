"""The handover of an accepted project's assets to the ledger (AST-1), the value traced to the
project's payments by level (AST-VALUE), the owner a village's collective with its N2 code
(AST-3), and the registration still missing per township."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assets.codes import FundingSource, OwnerKind
from assets.exceptions import AssetsError
from assets.selectors import assets as selectors
from assets.services import assets as services
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.errors import DomainError
from kaiyuan.common.rules import RulesBroken
from projects.models import Project
from tests.assets.factories import (
    asset_values,
    collective,
    handed_over_asset,
    paid_project,
)

D = Decimal
pytestmark = pytest.mark.django_db


def test_the_first_asset_hands_the_project_over_and_later_ones_join_it(village_a, clerk_a):
    project = paid_project(village_a, clerk_a, total="1000000.00")
    collective(village_a)
    station = services.asset_hand_over(
        project=project,
        values=asset_values(village_a, original_value=D("600000.00")),
        funding={FundingSource.CENTRAL: D("600000.00")},
        expected_version=project.version,
        actor=clerk_a,
    )
    project.refresh_from_db()
    assert project.status == Project.Status.HANDED_OVER
    assert project.handover.asset_formed and project.handover.value == D("600000.00")
    assert station.code.startswith(f"ZC{station.formed_year}")
    assert station.collective.village == village_a

    services.asset_hand_over(
        project=project,
        values=asset_values(village_a, name="配套储能设施", original_value=D("400000.00")),
        funding={FundingSource.CENTRAL: D("400000.00")},
        expected_version=project.version,
        actor=clerk_a,
    )
    project.refresh_from_db()
    assert project.handover.value == D("1000000.00")
    assert "配套储能设施" in project.handover.assets
    assert AuditEvent.objects.filter(action="hand_over", object_id=str(project.pk)).count() == 1


def test_the_linkage_funds_in_a_projects_assets_stay_within_what_it_paid(village_a, clerk_a):
    project = paid_project(village_a, clerk_a, total="1000000.00")
    collective(village_a)
    with pytest.raises(RulesBroken) as refused:
        services.asset_hand_over(
            project=project,
            values=asset_values(village_a, original_value=D("1000000.01")),
            funding={FundingSource.CENTRAL: D("1000000.01")},
            expected_version=project.version,
            actor=clerk_a,
        )
    assert {v.rule for v in refused.value.violations} == {"AST-VALUE"}
    assert not project.assets.exists()
    # Exactly what was paid is accepted, and the rest of the value may come from elsewhere.
    asset = services.asset_hand_over(
        project=project,
        values=asset_values(village_a, original_value=D("1200000.00")),
        funding={FundingSource.CENTRAL: D("1000000.00"), FundingSource.SELF_RAISED: D("200000")},
        expected_version=project.version,
        actor=clerk_a,
    )
    assert selectors.funding_of(asset) == {
        FundingSource.CENTRAL: D("1000000.00"),
        FundingSource.SELF_RAISED: D("200000.00"),
    }


def test_the_sources_must_add_up_to_the_original_value(village_a, clerk_a):
    project = paid_project(village_a, clerk_a)
    collective(village_a)
    with pytest.raises(RulesBroken) as refused:
        services.asset_hand_over(
            project=project,
            values=asset_values(village_a, original_value=D("900000.00")),
            funding={FundingSource.CENTRAL: D("800000.00")},
            expected_version=project.version,
            actor=clerk_a,
        )
    assert refused.value.violations[0].field == "original_value"


def test_a_collectives_asset_needs_the_villages_registered_n2_organisation(village_a, clerk_a):
    project = paid_project(village_a, clerk_a)
    with pytest.raises(RulesBroken) as refused:
        services.asset_hand_over(
            project=project,
            values=asset_values(village_a),
            funding={FundingSource.CENTRAL: D("1000000.00")},
            expected_version=project.version,
            actor=clerk_a,
        )
    assert refused.value.violations[0].rule == "AST-3"
    with pytest.raises(RulesBroken):
        services.collective_register(
            village=village_a,
            name="某某农民专业合作社",
            uscc="93211282MA0QTGHB3L",
            registered_on=None,
            actor=clerk_a,
        )


def test_a_project_that_formed_no_asset_says_why(village_a, clerk_a):
    project = paid_project(village_a, clerk_a)
    with pytest.raises(RulesBroken):
        services.project_no_asset(
            project=project,
            handed_over_on=project.created_at.date(),
            reason="  ",
            expected_version=project.version,
            actor=clerk_a,
        )
    services.project_no_asset(
        project=project,
        handed_over_on=project.created_at.date(),
        reason="技能培训项目，未形成资产",
        expected_version=project.version,
        actor=clerk_a,
    )
    project.refresh_from_db()
    assert project.status == Project.Status.HANDED_OVER
    with pytest.raises(AssetsError):
        services.asset_hand_over(
            project=project,
            values=asset_values(village_a),
            funding={FundingSource.CENTRAL: D("1000000.00")},
            expected_version=project.version,
            actor=clerk_a,
        )


def test_accepted_projects_wait_for_their_handover_in_their_own_area_only(
    village_a, village_b, clerk_a, clerk_b
):
    project = paid_project(village_a, clerk_a)
    assert list(selectors.awaiting_handover(clerk_a)) == [project]
    assert list(selectors.awaiting_handover(clerk_b)) == []
    handed_over_asset(village_a, clerk_a, project=project)
    assert list(selectors.awaiting_handover(clerk_a)) == []


def test_missing_confirmation_and_sanzi_entry_are_listed_per_township(village_a, clerk_a):
    asset = handed_over_asset(village_a, clerk_a)
    [row] = selectors.missing_by_township(clerk_a)
    assert (row["assets"], row["unconfirmed"], row["not_entered"]) == (1, 1, 1)
    with pytest.raises(AssetsError):
        # A collective's asset is entered on the platform after its 确权.
        services.asset_enter_sanzi(
            asset=asset,
            entered_on=asset.handed_over_on,
            sanzi_id="SZ-001",
            expected_version=asset.version,
            actor=clerk_a,
        )
    asset = services.asset_confirm(
        asset=asset,
        confirmed_on=asset.handed_over_on,
        certificate_number="开确字〔2026〕17号",
        expected_version=asset.version,
        actor=clerk_a,
    )
    asset = services.asset_enter_sanzi(
        asset=asset,
        entered_on=asset.handed_over_on,
        sanzi_id="SZ-211282-0001",
        expected_version=asset.version,
        actor=clerk_a,
    )
    assert selectors.missing_by_township(clerk_a) == []
    assert AuditEvent.objects.filter(action="sanzi_entry", object_id=str(asset.pk)).exists()


def test_two_clerks_editing_one_asset_get_a_conflict(village_a, clerk_a, reviewer_a):
    asset = handed_over_asset(village_a, clerk_a)
    seen = asset.version
    services.asset_update(
        asset=asset,
        values={"custodian": "张三", "owner_kind": OwnerKind.COLLECTIVE},
        funding=None,
        expected_version=seen,
        actor=clerk_a,
    )
    with pytest.raises(DomainError) as refused:
        services.asset_update(
            asset=asset,
            values={"custodian": "李四", "owner_kind": OwnerKind.COLLECTIVE},
            funding=None,
            expected_version=seen,
            actor=reviewer_a,
        )
    assert refused.value.code == "concurrent_update"
    asset.refresh_from_db()
    assert asset.custodian == "张三"


def test_a_clerk_of_another_township_cannot_change_the_asset(village_a, clerk_a, clerk_b):
    asset = handed_over_asset(village_a, clerk_a)
    with pytest.raises(DomainError) as refused:
        services.asset_set_status(
            asset=asset,
            status="idle",
            on=asset.handed_over_on,
            note="停产",
            expected_version=asset.version,
            actor=clerk_b,
        )
    assert refused.value.code == "out_of_area"


def test_a_disposed_asset_owes_no_registration(village_a, clerk_a):
    """What the townships still owe is for assets on the ledger: once disposed, the page, the
    list, the API's flag and the API's filter all leave it out."""
    from assets.codes import AssetStatus
    from assets.models import Asset
    from assets.rules.assets import missing_registration, missing_registration_q

    asset = handed_over_asset(village_a, clerk_a)
    assert missing_registration(asset) and selectors.missing_by_township(clerk_a)
    Asset.objects.filter(pk=asset.pk).update(status=AssetStatus.DISPOSED)
    asset.refresh_from_db()
    assert missing_registration(asset) == []
    assert not Asset.objects.filter(missing_registration_q()).exists()
    assert selectors.missing_by_township(clerk_a) == []
