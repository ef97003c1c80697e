"""A household's receipts from asset income on its page (资产收益分配): paid distributions only,
from any township's assets (AST-7), with the link to the plan only for those who see it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets.codes import AssetType, LineUse
from assets.services import distributions as services
from kaiyuan.common.dates import today
from tests.assets.factories import distribution, exited, legacy_asset, monitored

pytestmark = pytest.mark.django_db
D = Decimal


def _paid(plan, clerk):
    plan.refresh_from_db()
    plan = services.distribution_publicise(
        distribution=plan,
        publicity_from=today() - datetime.timedelta(days=7),
        publicity_to=today(),
        place="村务公开栏",
        expected_version=plan.version,
        actor=clerk,
    )
    return services.distribution_pay(
        distribution=plan,
        paid_on=today(),
        payment_reference="开原农商银行代发 2026-118",
        expected_version=plan.version,
        actor=clerk,
    )


def _page(client, household):
    return client.get(reverse("monitoring:household_detail", args=[household.pk]))


def _farm_plan(village, clerk, *, name="食用菌种植基地", income="9000.00"):
    asset = legacy_asset(village, clerk, asset_type=AssetType.FARM_BASE, name=name)
    return distribution(asset, clerk, income=income)


def test_a_receipt_from_another_townships_asset_is_shown_without_its_plan(
    client, bureau, clerk_a, clerk_b, village_a, village_b
):
    plan = _farm_plan(village_a, clerk_a)
    here = monitored(village_a, head_name="刘桂兰")
    there = monitored(village_b, head_name="赵春生")
    services.line_add(
        distribution=plan, use=LineUse.SHARE, household=here, amount="5000", actor=clerk_a
    )
    services.line_add(
        distribution=plan, use=LineUse.SHARE, household=there, amount="4000", actor=bureau
    )
    client.force_login(clerk_b)
    assert 'data-testid="household-receipt"' not in _page(client, there).content.decode()

    _paid(plan, clerk_a)
    html = _page(client, there).content.decode()
    row = html.split('data-testid="household-receipt"')[1].split("</tr>")[0]
    assert str(plan.year) in row and "食用菌种植基地" in row
    assert "4,000.00" in row and today().isoformat() in row
    assert reverse("assets:distribution_detail", args=[plan.pk]) not in html
    assert client.get(reverse("assets:distribution_detail", args=[plan.pk])).status_code == 404

    client.force_login(clerk_a)
    html = _page(client, here).content.decode()
    assert html.count('data-testid="household-receipt"') == 1
    assert reverse("assets:distribution_detail", args=[plan.pk]) in html
    client.force_login(bureau)
    assert (
        reverse("assets:distribution_detail", args=[plan.pk])
        in _page(client, there).content.decode()
    )


def test_a_pv_post_holders_wage_is_a_receipt_too(client, clerk_a, village_a):
    station = legacy_asset(village_a, clerk_a)
    plan = distribution(station, clerk_a, income="1000.00")
    holder = exited(village_a, head_name="周玉梅")
    for use, item, amount, household in (
        (LineUse.PV_JOBS, "村保洁员", "600.00", holder),
        (LineUse.PV_WORKS, "村内路灯维修", "300.00", None),
        (LineUse.PV_REWARDS, "孝老爱亲奖励", "100.00", None),
    ):
        services.line_add(
            distribution=plan,
            use=use,
            item=item,
            amount=amount,
            household=household,
            actor=clerk_a,
        )
    _paid(plan, clerk_a)
    client.force_login(clerk_a)
    html = _page(client, holder).content.decode()
    assert html.count('data-testid="household-receipt"') == 1
    assert "村保洁员" in html and "600.00" in html


def test_the_section_costs_the_same_queries_for_one_or_three_receipts(
    client, clerk_a, village_a, django_assert_num_queries
):
    household = monitored(village_a)
    plan = _farm_plan(village_a, clerk_a, income="100.00")
    services.line_add(
        distribution=plan, use=LineUse.SHARE, household=household, amount="60", actor=clerk_a
    )
    services.line_add(
        distribution=plan,
        use=LineUse.SHARE,
        household=exited(village_a),
        amount="40",
        actor=clerk_a,
    )
    _paid(plan, clerk_a)
    client.force_login(clerk_a)
    _page(client, household)
    with CaptureQueriesContext(connection) as one:
        _page(client, household)
    for index in range(2):
        more = _farm_plan(village_a, clerk_a, name=f"基地{index}", income="100.00")
        services.line_add(
            distribution=more,
            use=LineUse.SHARE,
            household=household,
            amount="70",
            actor=clerk_a,
        )
        services.line_add(
            distribution=more,
            use=LineUse.SHARE,
            household=exited(village_a),
            amount="30",
            actor=clerk_a,
        )
        _paid(more, clerk_a)
    with django_assert_num_queries(len(one.captured_queries)):
        html = _page(client, household).content.decode()
    assert html.count('data-testid="household-receipt"') == 3


def test_roles_without_the_asset_ledger_do_not_see_the_section(client, grid_worker_a, village_a):
    household = monitored(village_a)
    client.force_login(grid_worker_a)
    assert 'data-testid="household-receipts"' not in _page(client, household).content.decode()


def test_a_household_with_no_receipt_says_so(client, leader, village_a):
    household = monitored(village_a)
    client.force_login(leader)
    html = _page(client, household).content.decode()
    assert 'data-testid="household-receipts"' in html
    assert 'data-testid="household-receipt"' not in html
