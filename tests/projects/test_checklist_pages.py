"""The bureau's lists: everyone in the project library reads the 四有 checklist and the
rural-construction lists; the bureau edits them, and what it retires is no longer offered to
proposals."""

from __future__ import annotations

import pytest

from kaiyuan.audit.models import AuditEvent
from projects.models import ConstructionListItem, FourHavesItem

pytestmark = pytest.mark.django_db
LISTS = "/projects/lists/"


@pytest.fixture
def negative():
    return ConstructionListItem.objects.filter(kind="negative").order_by("order").first()


def _four_haves_url(item) -> str:
    return f"/projects/lists/four-haves/{item.pk}/"


class TestReading:
    @pytest.mark.parametrize("who", ["clerk_a", "grid_worker_a", "leader", "auditor", "bureau"])
    def test_everyone_in_the_library_reads_the_lists(self, client, request, who):
        client.force_login(request.getfixturevalue(who))
        response = client.get(LISTS)
        assert response.status_code == 200
        html = response.content.decode()
        assert "有联农带农机制" in html
        assert "新建楼堂馆所" in html
        # The plan's 四有 are the recommended default: each marked to confirm.
        assert html.count('data-testid="to-confirm"') == FourHavesItem.objects.count()

    def test_only_the_bureau_is_offered_to_edit(self, client, clerk_a, bureau):
        client.force_login(clerk_a)
        assert "/projects/lists/four-haves/" not in client.get(LISTS).content.decode()
        client.force_login(bureau)
        assert "/projects/lists/four-haves/" in client.get(LISTS).content.decode()


class TestFourHaves:
    def test_the_bureau_rewords_an_item_and_it_is_no_longer_to_confirm(self, client, bureau):
        item = FourHavesItem.objects.get(code="stable_return")
        client.force_login(bureau)
        assert client.get(_four_haves_url(item)).status_code == 200
        response = client.post(
            _four_haves_url(item), {"label": "有稳定收益来源", "order": "3", "active": "on"}
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.label, item.active, item.to_confirm) == ("有稳定收益来源", True, False)
        assert AuditEvent.objects.filter(action="change", object_id=str(item.pk)).exists()
        html = client.get(LISTS).content.decode()
        assert html.count('data-testid="to-confirm"') == FourHavesItem.objects.count() - 1

    def test_an_item_taken_out_of_use_is_no_longer_asked(self, client, bureau, clerk_a):
        item = FourHavesItem.objects.get(code="risk_control")
        client.force_login(bureau)
        client.post(_four_haves_url(item), {"label": item.label, "order": "4"})
        item.refresh_from_db()
        assert item.active is False
        client.force_login(clerk_a)
        codes = [
            code
            for code, _label in client.get("/projects/new/")
            .context["form"]
            .fields["four_haves"]
            .choices
        ]
        assert "risk_control" not in codes
        assert "operating_entity" in codes

    def test_an_empty_label_is_refused(self, client, bureau):
        item = FourHavesItem.objects.get(code="stable_return")
        client.force_login(bureau)
        response = client.post(_four_haves_url(item), {"label": " ", "order": "3"})
        assert response.status_code == 200
        item.refresh_from_db()
        assert item.label == "有稳定收益"

    @pytest.mark.parametrize("who", ["clerk_a", "leader", "auditor"])
    def test_others_may_not_edit(self, client, request, who):
        item = FourHavesItem.objects.get(code="stable_return")
        client.force_login(request.getfixturevalue(who))
        assert client.get(_four_haves_url(item)).status_code == 403
        response = client.post(_four_haves_url(item), {"label": "改", "order": "1"})
        assert response.status_code == 403
        item.refresh_from_db()
        assert item.label == "有稳定收益"

    def test_a_missing_item_is_not_found(self, client, bureau):
        client.force_login(bureau)
        assert client.get("/projects/lists/four-haves/999999/").status_code == 404


class TestConstructionLists:
    def test_the_bureau_adds_an_item_to_the_positive_list(self, client, bureau):
        client.force_login(bureau)
        page = client.get("/projects/lists/construction/new/?kind=negative")
        assert page.context["form"]["kind"].value() == "negative"
        response = client.post(
            "/projects/lists/construction/new/",
            {"kind": "positive", "text": "农村电网改造", "order": "10", "active": "on"},
        )
        assert response.status_code == 302
        item = ConstructionListItem.objects.get(text="农村电网改造")
        assert (item.kind, item.active, item.order) == ("positive", True, 10)

    def test_an_item_already_on_the_list_is_refused(self, client, bureau, negative):
        client.force_login(bureau)
        response = client.post(
            "/projects/lists/construction/new/",
            {"kind": "negative", "text": negative.text, "order": "1", "active": "on"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["text"]
        assert ConstructionListItem.objects.filter(text=negative.text).count() == 1

    def test_the_bureau_edits_an_item(self, client, bureau, negative):
        client.force_login(bureau)
        response = client.post(
            f"/projects/lists/construction/{negative.pk}/",
            {"text": "新建楼堂馆所及办公用房", "order": "1", "active": "on"},
        )
        assert response.status_code == 302
        negative.refresh_from_db()
        assert (negative.text, negative.kind) == ("新建楼堂馆所及办公用房", "negative")

    def test_a_retired_item_is_no_longer_offered_to_proposals(
        self, client, bureau, clerk_a, negative
    ):
        client.force_login(bureau)
        response = client.post(f"/projects/lists/construction/{negative.pk}/retire/")
        assert response.status_code == 302
        negative.refresh_from_db()
        assert negative.active is False
        client.force_login(clerk_a)
        offered = client.get("/projects/new/").context["form"].fields["construction_items"]
        assert negative not in offered.queryset
        # And back in use.
        client.force_login(bureau)
        client.post(f"/projects/lists/construction/{negative.pk}/retire/")
        negative.refresh_from_db()
        assert negative.active is True

    def test_retiring_is_a_post(self, client, bureau, negative):
        client.force_login(bureau)
        assert client.get(f"/projects/lists/construction/{negative.pk}/retire/").status_code == 405

    @pytest.mark.parametrize("who", ["clerk_a", "grid_worker_a", "leader", "auditor"])
    def test_others_may_not_change_the_lists(self, client, request, who, negative):
        client.force_login(request.getfixturevalue(who))
        assert client.get("/projects/lists/construction/new/").status_code == 403
        assert client.post(f"/projects/lists/construction/{negative.pk}/retire/").status_code == 403
        response = client.post(
            f"/projects/lists/construction/{negative.pk}/", {"text": "改", "order": "1"}
        )
        assert response.status_code == 403
        negative.refresh_from_db()
        assert negative.active is True
        assert negative.text != "改"

    def test_a_missing_item_is_not_found(self, client, bureau):
        client.force_login(bureau)
        assert client.get("/projects/lists/construction/999999/").status_code == 404
