"""The disposal procedure on the pages: the township's clerk proposes, enters the owner's
decision and the disposal with its proceeds, the bureau approves or refuses; each page offers a
step only to whoever may take it, and the steps taken are listed from the audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from assets.codes import AssetStatus, DisposalMethod
from assets.models import Disposal
from assets.services import disposals as services
from kaiyuan.common.dates import today
from tests.assets.factories import legacy_asset

pytestmark = pytest.mark.django_db
S = Disposal.Status
LIST = reverse("assets:disposal_list")


@pytest.fixture
def asset(village_a, clerk_a):
    return legacy_asset(village_a, clerk_a)


@pytest.fixture
def proposed(asset, clerk_a):
    return services.disposal_propose(
        asset=asset, method=DisposalMethod.SCRAP, reason="设备损毁无法修复", actor=clerk_a
    )


def new_url(asset) -> str:
    return reverse("assets:disposal_new", args=[asset.pk])


def step_url(disposal, step) -> str:
    return reverse("assets:disposal_step", args=[disposal.pk, step])


def _step(client, disposal, step, **fields):
    disposal.refresh_from_db()
    data = {f"{step}-version": disposal.version}
    data.update({f"{step}-{name}": value for name, value in fields.items()})
    return client.post(step_url(disposal, step), data)


def _page(client, disposal) -> str:
    return client.get(disposal.get_absolute_url()).content.decode()


def decision(text="村民代表大会2026年第3次会议决议") -> dict:
    return {"decided_on": today().isoformat(), "decision": text}


def test_the_whole_procedure_with_the_right_roles(client, clerk_a, bureau, asset):
    client.force_login(clerk_a)
    assert client.get(new_url(asset)).status_code == 200
    response = client.post(new_url(asset), {"method": DisposalMethod.AUCTION, "reason": "停产三年"})
    disposal = Disposal.objects.get()
    assert response.status_code == 302 and response["Location"] == disposal.get_absolute_url()

    html = _page(client, disposal)
    assert 'data-testid="step-owner_decide"' in html and 'data-testid="step-owner_keep"' in html
    client.force_login(bureau)
    html = _page(client, disposal)
    assert (
        'data-testid="step-owner_decide"' not in html and 'data-testid="disposal-waiting"' in html
    )

    client.force_login(clerk_a)
    assert _step(client, disposal, "owner_decide", **decision()).status_code == 302
    disposal.refresh_from_db()
    assert disposal.status == S.DECIDED
    assert 'data-testid="step-approve_disposal"' not in _page(client, disposal)

    client.force_login(bureau)
    html = _page(client, disposal)
    assert 'data-testid="step-approve_disposal"' in html
    assert 'data-testid="step-refuse_disposal"' in html
    assert _step(client, disposal, "approve_disposal", reason="同意拍卖").status_code == 302
    disposal.refresh_from_db()
    assert disposal.status == S.APPROVED

    client.force_login(clerk_a)
    assert 'data-testid="step-dispose"' in _page(client, disposal)
    response = _step(
        client,
        disposal,
        "dispose",
        completed_on=today().isoformat(),
        proceeds="35000.00",
        proceeds_use="归村集体，用于巩固衔接项目",
    )
    assert response.status_code == 302
    disposal.refresh_from_db()
    asset.refresh_from_db()
    assert disposal.status == S.COMPLETED and disposal.proceeds == Decimal("35000.00")
    assert asset.status == AssetStatus.DISPOSED
    html = _page(client, disposal)
    history = html.split('data-testid="disposal-history"')[1].split("</ol>")[0]
    actions = [part.split('"')[0] for part in history.split('data-action="')[1:]]
    assert actions == ["propose_disposal", "owner_decide", "approve_disposal", "dispose"]
    assert 'data-testid="step-' not in html
    # A disposed asset offers no further steps of the ledger.
    asset_page = client.get(asset.get_absolute_url()).content.decode()
    assert reverse("assets:asset_edit", args=[asset.pk]) not in asset_page
    assert new_url(asset) not in asset_page


def test_the_owner_keeps_the_asset(client, clerk_a, proposed, asset):
    client.force_login(clerk_a)
    kept = decision("村民代表大会决定修缮后继续使用")
    assert _step(client, proposed, "owner_keep", **kept).status_code == 302
    proposed.refresh_from_db()
    asset.refresh_from_db()
    assert proposed.status == S.REFUSED and asset.status == AssetStatus.IN_USE


def test_the_bureau_refuses_with_a_reason(client, clerk_a, bureau, proposed):
    client.force_login(clerk_a)
    _step(client, proposed, "owner_decide", **decision())
    client.force_login(bureau)
    response = _step(client, proposed, "refuse_disposal")
    assert response.status_code == 400
    assert response.context["steps"][1]["form"].errors["reason"]
    assert _step(client, proposed, "refuse_disposal", reason="资产仍可使用").status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == S.REFUSED


def test_a_stale_step_is_refused_and_nothing_changes(client, clerk_a, proposed):
    client.force_login(clerk_a)
    data = {
        "owner_decide-version": proposed.version,
        **{f"owner_decide-{k}": v for k, v in decision().items()},
    }
    services.disposal_decide(
        disposal=proposed,
        dispose=False,
        decided_on=today(),
        decision="另一位同事已录入",
        expected_version=proposed.version,
        actor=clerk_a,
    )
    response = client.post(step_url(proposed, "owner_decide"), data)
    assert response.status_code == 400
    proposed.refresh_from_db()
    assert proposed.status == S.REFUSED and proposed.decision == "另一位同事已录入"


class TestAccess:
    def test_read_only_roles_and_the_bureau_do_not_propose(
        self, client, leader, auditor, bureau, asset
    ):
        data = {"method": DisposalMethod.SCRAP, "reason": "损毁"}
        for user in (leader, auditor, bureau):
            client.force_login(user)
            assert client.get(new_url(asset)).status_code == 403
            assert client.post(new_url(asset), data).status_code == 403
        assert not Disposal.objects.exists()

    def test_another_townships_clerk_gets_404(self, client, clerk_b, asset, proposed):
        client.force_login(clerk_b)
        assert client.get(new_url(asset)).status_code == 404
        assert client.get(proposed.get_absolute_url()).status_code == 404
        assert _step(client, proposed, "owner_decide", **decision()).status_code == 404

    def test_a_leader_reads_the_disposal_but_takes_no_step(self, client, leader, proposed):
        client.force_login(leader)
        html = _page(client, proposed)
        assert 'data-testid="disposal-status"' in html and 'data-testid="step-' not in html
        assert _step(client, proposed, "owner_decide", **decision()).status_code == 403

    def test_each_step_is_taken_only_by_its_role(self, client, clerk_a, bureau, proposed):
        client.force_login(bureau)
        assert _step(client, proposed, "owner_decide", **decision()).status_code == 403
        client.force_login(clerk_a)
        _step(client, proposed, "owner_decide", **decision())
        assert _step(client, proposed, "approve_disposal", reason="").status_code == 403
        proposed.refresh_from_db()
        assert proposed.status == S.DECIDED

    def test_an_unknown_step_is_404_and_a_get_405(self, client, clerk_a, proposed):
        client.force_login(clerk_a)
        assert client.post(step_url(proposed, "propose_disposal"), {}).status_code == 404
        assert client.get(step_url(proposed, "owner_decide")).status_code == 405


class TestList:
    def test_the_list_is_scoped_and_filtered_by_status(self, client, clerk_a, clerk_b, proposed):
        client.force_login(clerk_a)
        assert client.get(LIST).content.decode().count('data-testid="disposal-row"') == 1
        assert (
            'data-testid="disposal-row"'
            in client.get(LIST, {"status": S.PROPOSED}).content.decode()
        )
        assert (
            'data-testid="disposal-row"'
            not in client.get(LIST, {"status": S.APPROVED}).content.decode()
        )
        client.force_login(clerk_b)
        assert 'data-testid="disposal-row"' not in client.get(LIST).content.decode()

    def test_read_only_roles_read_it(self, client, leader, proposed):
        client.force_login(leader)
        assert 'data-testid="disposal-row"' in client.get(LIST).content.decode()


@pytest.mark.sqlite
def test_the_disposal_pages_answer_on_any_database(client, clerk_a, asset, proposed):
    client.force_login(clerk_a)
    for url in (LIST, proposed.get_absolute_url()):
        assert client.get(url).status_code == 200, url
    assert _step(client, proposed, "owner_decide", **decision()).status_code == 302
