"""The handover on the pages (AST-1): the accepted projects waiting, the handover form filled
from the project, the asset it creates and the project moved to 资产移交, the project that formed
no asset, and the project's own page linking to the ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from assets.codes import AssetClass, AssetType, FundingSource, OwnerKind
from assets.models import Asset
from kaiyuan.common.dates import today
from projects.models import Project
from tests.assets.factories import collective, handed_over_asset, paid_project

pytestmark = pytest.mark.django_db
D = Decimal
LIST = reverse("assets:handover_list")


@pytest.fixture
def project(village_a, clerk_a):
    collective(village_a)
    return paid_project(village_a, clerk_a, total="600000.00")


def url(project) -> str:
    return reverse("assets:handover", args=[project.pk])


def none_url(project) -> str:
    return reverse("assets:handover_none", args=[project.pk])


def _form(project, village, **changes):
    data = {
        "version": project.version,
        "name": "村级光伏帮扶电站",
        "asset_class": AssetClass.OPERATING,
        "asset_type": AssetType.PV_STATION,
        "area": village.pk,
        "handed_over_on": today().isoformat(),
        "quantity": "200",
        "unit": "千瓦",
        "location": "村部南侧",
        "original_value": "600000.00",
        "funding_central": "600000.00",
        "owner_kind": OwnerKind.COLLECTIVE,
        "custodian": "李德福",
        "maintenance_funding": "电站收益",
    }
    data.update(changes)
    return data


class TestList:
    def test_the_accepted_project_waits_in_its_township_only(
        self, client, clerk_a, clerk_b, project
    ):
        client.force_login(clerk_a)
        html = client.get(LIST).content.decode()
        assert f'data-code="{project.code}"' in html
        assert url(project) in html
        client.force_login(clerk_b)
        assert 'data-testid="handover-row"' not in client.get(LIST).content.decode()

    def test_a_leader_reads_it_without_the_handover_link(self, client, leader, project):
        client.force_login(leader)
        html = client.get(LIST).content.decode()
        assert f'data-code="{project.code}"' in html
        assert url(project) not in html

    def test_a_handed_over_project_leaves_the_list(self, client, clerk_a, project, village_a):
        handed_over_asset(village_a, clerk_a, project=project, value="600000.00")
        client.force_login(clerk_a)
        assert 'data-testid="handover-row"' not in client.get(LIST).content.decode()


class TestHandover:
    def test_the_form_is_filled_from_the_project(self, client, clerk_a, project, village_a):
        client.force_login(clerk_a)
        response = client.get(url(project))
        assert response.status_code == 200
        form = response.context["form"]
        assert form.initial["name"] == project.name
        assert form.initial["area"] == village_a.pk
        assert form.initial["funding_central"] == D("600000.00")
        assert form.initial["original_value"] == D("600000.00")
        assert form.initial["version"] == project.version

    def test_the_handover_creates_the_asset_and_hands_the_project_over(
        self, client, clerk_a, project, village_a
    ):
        client.force_login(clerk_a)
        response = client.post(url(project), _form(project, village_a))
        asset = Asset.objects.get()
        assert response.status_code == 302 and response["Location"] == asset.get_absolute_url()
        project.refresh_from_db()
        assert project.status == Project.Status.HANDED_OVER
        assert asset.project == project and asset.collective.village == village_a
        assert {row.source: row.amount for row in asset.funding.all()} == {
            FundingSource.CENTRAL: D("600000.00")
        }
        # The project's page now lists it on the ledger.
        html = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
        assert 'data-testid="ledger-asset"' in html and asset.code in html

    def test_more_linkage_funds_than_the_project_paid_are_refused(
        self, client, clerk_a, project, village_a
    ):
        client.force_login(clerk_a)
        data = _form(project, village_a, original_value="600000.01", funding_central="600000.01")
        response = client.post(url(project), data)
        assert response.status_code == 400
        assert response.context["form"].errors["funding_central"]
        assert not Asset.objects.exists()
        project.refresh_from_db()
        assert project.status == Project.Status.ACCEPTED

    def test_a_stale_page_is_refused(self, client, clerk_a, project, village_a):
        client.force_login(clerk_a)
        Project.objects.filter(pk=project.pk).update(version=project.version + 1)
        response = client.post(url(project), _form(project, village_a))
        assert response.status_code == 400 and response.context["form"].non_field_errors()
        assert not Asset.objects.exists()

    def test_read_only_roles_get_403(self, client, leader, auditor, project, village_a):
        for user in (leader, auditor):
            client.force_login(user)
            assert client.get(url(project)).status_code == 403
            assert client.post(url(project), _form(project, village_a)).status_code == 403
        assert not Asset.objects.exists()

    def test_another_townships_clerk_gets_404(self, client, clerk_b, project, village_a):
        client.force_login(clerk_b)
        assert client.get(url(project)).status_code == 404
        assert client.post(url(project), _form(project, village_a)).status_code == 404

    def test_a_project_not_yet_accepted_offers_no_form(self, client, clerk_a, project):
        Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)
        client.force_login(clerk_a)
        response = client.get(url(project))
        assert response.status_code == 200
        assert response.context["form"] is None
        assert 'data-testid="handover-closed"' in response.content.decode()


class TestNoAsset:
    def test_the_project_is_handed_over_with_the_reason(self, client, clerk_a, project):
        client.force_login(clerk_a)
        data = {
            "none-version": project.version,
            "none-handed_over_on": today().isoformat(),
            "none-reason": "技能培训项目，未形成资产",
        }
        response = client.post(none_url(project), data)
        assert response.status_code == 302
        project.refresh_from_db()
        assert project.status == Project.Status.HANDED_OVER
        assert not project.handover.asset_formed
        # The handover page no longer offers an asset.
        assert client.get(url(project)).context["form"] is None

    def test_without_a_reason_it_is_refused(self, client, clerk_a, project):
        client.force_login(clerk_a)
        data = {"none-version": project.version, "none-handed_over_on": today().isoformat()}
        response = client.post(none_url(project), data)
        assert response.status_code == 400 and response.context["none_form"].errors["reason"]
        project.refresh_from_db()
        assert project.status == Project.Status.ACCEPTED

    def test_the_three_access_answers(self, client, leader, clerk_b, project):
        data = {
            "none-version": project.version,
            "none-handed_over_on": today().isoformat(),
            "none-reason": "未形成资产",
        }
        client.force_login(leader)
        assert client.post(none_url(project), data).status_code == 403
        client.force_login(clerk_b)
        assert client.post(none_url(project), data).status_code == 404
        assert client.get(none_url(project)).status_code == 405
        project.refresh_from_db()
        assert project.status == Project.Status.ACCEPTED


class TestProjectPage:
    def test_an_accepted_project_links_to_the_ledgers_handover(self, client, clerk_a, project):
        client.force_login(clerk_a)
        html = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
        assert 'data-testid="ledger-handover-link"' in html and url(project) in html

    def test_a_leader_sees_no_handover_link(self, client, leader, project):
        client.force_login(leader)
        html = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
        assert 'data-testid="ledger-handover"' in html
        assert url(project) not in html
