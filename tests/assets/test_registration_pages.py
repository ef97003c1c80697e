"""What the townships still owe of 确权 and 三资 entry (AST-3): counted per township, then the
assets themselves, a page at a time, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets.codes import AssetClass, AssetType, OwnerKind
from assets.services import assets as services
from kaiyuan.common.dates import today
from tests.assets.factories import legacy_asset

pytestmark = pytest.mark.django_db
URL = reverse("assets:registration")


def _rows(html: str) -> int:
    return html.count('data-testid="missing-row"')


def _township_row(html: str, township) -> str:
    return html.split(f'data-township="{township.code}"')[1].split("</tr>")[0]


def _confirm(asset, clerk):
    return services.asset_confirm(
        asset=asset,
        confirmed_on=today(),
        certificate_number="开确字〔2026〕3号",
        expected_version=asset.version,
        actor=clerk,
    )


def test_the_township_row_counts_what_is_missing(client, clerk_a, village_a, township_a):
    first = legacy_asset(village_a, clerk_a)
    legacy_asset(village_a, clerk_a)
    _confirm(first, clerk_a)
    legacy_asset(
        village_a,
        clerk_a,
        asset_class=AssetClass.PUBLIC,
        asset_type=AssetType.ROAD,
        owner_kind=OwnerKind.TOWNSHIP,
    )
    client.force_login(clerk_a)
    html = client.get(URL).content.decode()
    row = _township_row(html, township_a)
    assert "data-assets>2<" in row
    assert "data-unconfirmed>1<" in row
    assert "data-not-entered>2<" in row
    assert _rows(html) == 2  # the township's own road needs no collective's registration
    assert reverse("assets:asset_confirm", args=[first.pk]) not in html
    assert reverse("assets:asset_sanzi", args=[first.pk]) in html


def test_an_asset_confirmed_and_entered_leaves_the_list(client, clerk_a, village_a):
    asset = _confirm(legacy_asset(village_a, clerk_a), clerk_a)
    services.asset_enter_sanzi(
        asset=asset,
        entered_on=today(),
        sanzi_id="SZ-211282-0042",
        expected_version=asset.version,
        actor=clerk_a,
    )
    client.force_login(clerk_a)
    html = client.get(URL).content.decode()
    assert _rows(html) == 0 and 'data-testid="township-row"' not in html


def test_the_county_sees_every_township_and_a_township_only_its_own(
    client, bureau, clerk_a, clerk_b, village_a, village_b, township_a, township_b
):
    legacy_asset(village_a, clerk_a)
    legacy_asset(village_b, clerk_b)
    client.force_login(bureau)
    html = client.get(URL).content.decode()
    assert html.count('data-testid="township-row"') == 2 and _rows(html) == 2
    client.force_login(clerk_b)
    html = client.get(URL).content.decode()
    assert f'data-township="{township_a.code}"' not in html
    assert f'data-township="{township_b.code}"' in html and _rows(html) == 1


def test_read_only_roles_read_it_without_the_buttons(client, leader, clerk_a, village_a):
    asset = legacy_asset(village_a, clerk_a)
    client.force_login(leader)
    html = client.get(URL).content.decode()
    assert _rows(html) == 1
    assert reverse("assets:asset_confirm", args=[asset.pk]) not in html


def test_a_grid_worker_does_not_open_it(client, grid_worker_a):
    client.force_login(grid_worker_a)
    assert client.get(URL).status_code == 403


def test_its_query_count_does_not_grow_with_the_rows(
    client, clerk_a, village_a, django_assert_num_queries
):
    legacy_asset(village_a, clerk_a)
    client.force_login(clerk_a)
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _index in range(19):
        legacy_asset(village_a, clerk_a)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(URL).content.decode()
    assert _rows(html) == 20


@pytest.mark.sqlite
def test_the_registration_and_handover_pages_answer_on_any_database(client, clerk_a, village_a):
    from tests.assets.factories import paid_project

    legacy_asset(village_a, clerk_a)
    project = paid_project(village_a, clerk_a)
    client.force_login(clerk_a)
    for url in (
        URL,
        reverse("assets:handover_list"),
        reverse("assets:handover", args=[project.pk]),
    ):
        assert client.get(url).status_code == 200, url
