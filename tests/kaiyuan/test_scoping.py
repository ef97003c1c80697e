"""Scoping with the named cast: each user sees exactly their area, and nothing else exists for
them (404, never 403, for another township's record)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kaiyuan.areas.models import Area, Grid
from kaiyuan.common.scoping import AreaScopedQuerySet, get_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def grids(grid_a, grid_b, village_a2):
    return {"a": grid_a, "a2": Grid.objects.create(area=village_a2, name="第二网格"), "b": grid_b}


def _names(queryset):
    return sorted(str(grid) for grid in queryset)


def test_township_clerks_see_only_their_township(grids, clerk_a, clerk_b):
    assert _names(Grid.objects.visible_to(clerk_a)) == sorted([str(grids["a"]), str(grids["a2"])])
    assert _names(Grid.objects.visible_to(clerk_b)) == [str(grids["b"])]


def test_a_grid_worker_sees_only_their_village(grids, grid_worker_a):
    assert _names(Grid.objects.visible_to(grid_worker_a)) == [str(grids["a"])]


@pytest.mark.parametrize("role", ["bureau", "leader", "auditor"])
def test_county_roles_see_every_township(request, grids, role):
    user = request.getfixturevalue(role)
    assert Grid.objects.visible_to(user).count() == 3


def test_department_staff_see_only_their_sectors_objects(grids, dept_medical):
    # County-wide, but only for the models that say what their sector's rows are (sector_q).
    assert Grid.objects.visible_to(dept_medical).count() == 0


def test_read_only_roles_may_not_write(grids, leader, auditor, bureau):
    assert Grid.objects.visible_to(leader, action="change").count() == 0
    assert Grid.objects.visible_to(auditor, action="change").count() == 0
    assert Grid.objects.visible_to(bureau, action="change").count() == 3


def test_the_access_helper_answers_404_for_other_townships_and_missing_rows(
    grids, clerk_a, clerk_b
):
    assert get_for_user(Grid.objects.all(), clerk_a, pk=grids["a"].pk) == grids["a"]
    with pytest.raises(Http404):
        get_for_user(Grid.objects.all(), clerk_b, pk=grids["a"].pk)
    with pytest.raises(Http404):
        get_for_user(Grid.objects.all(), clerk_a, pk=999_999)


def test_the_access_helper_answers_403_when_a_reader_wants_to_write(grids, leader):
    assert get_for_user(Grid.objects.all(), leader, pk=grids["b"].pk) == grids["b"]
    with pytest.raises(PermissionDenied):
        get_for_user(Grid.objects.all(), leader, pk=grids["b"].pk, write=True)


def test_areas_are_scoped_to_the_subtree(village_a, village_b, clerk_a, grid_worker_a):
    codes = set(Area.objects.visible_to(clerk_a).values_list("code", flat=True))
    assert "211282104" in codes
    assert village_a.code in codes
    assert village_b.code not in codes
    assert "211282" not in codes
    assert list(Area.objects.visible_to(grid_worker_a)) == [village_a]


def test_users_without_an_area_or_inactive_see_nothing(grids, clerk_a):
    clerk_a.is_active = False
    assert Grid.objects.visible_to(clerk_a).count() == 0
    clerk_a.is_active = True
    clerk_a.area = None
    assert Grid.objects.visible_to(clerk_a).count() == 0


def test_every_model_with_an_area_is_scoped():
    """The meta-test: a model that has an area (directly or through ``area_lookup``) must use
    AreaScopedQuerySet, or nothing stops a view from listing every township's rows."""
    unscoped = []
    for model in apps.get_models():
        field_names = {field.name for field in model._meta.get_fields()}
        has_area = "area" in field_names or hasattr(model, "area_lookup")
        if model is Area or not has_area:
            continue
        if model._meta.app_label == "accounts":
            continue  # users are managed by the administrator, not listed by area
        for manager in model._meta.managers:
            if not isinstance(manager.get_queryset(), AreaScopedQuerySet):
                unscoped.append(f"{model._meta.label}.{manager.name}")
    assert unscoped == []


class TestApiScoping:
    def test_the_grid_list_is_scoped(self, client, grids, clerk_b):
        client.force_login(clerk_b)
        data = client.get("/api/v1/grids/").json()
        assert [row["id"] for row in data["results"]] == [grids["b"].pk]

    def test_another_townships_grid_is_not_found(self, client, grids, clerk_b):
        client.force_login(clerk_b)
        assert client.get(f"/api/v1/grids/{grids['a'].pk}/").status_code == 404
        assert client.get(f"/api/v1/grids/{grids['b'].pk}/").status_code == 200

    def test_token_authentication_works(self, client, grids, clerk_a):
        from kaiyuan.accounts.services import api_token_issue

        _token, secret = api_token_issue(user=clerk_a)
        response = client.get("/api/v1/grids/", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200
        assert len(response.json()["results"]) == 2

    def test_the_schema_and_docs_are_served_without_any_cdn(self, client, clerk_a):
        client.force_login(clerk_a)
        schema = client.get("/api/schema/")
        assert schema.status_code == 200
        assert b"/api/v1/grids/" in schema.content
        docs = client.get("/api/docs/").content.decode()
        assert "swagger-ui" in docs
        assert "cdn" not in docs.lower()
        assert "https://" not in docs
