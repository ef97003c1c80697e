"""The one township → village picker: it starts at the user's area, its htmx endpoint lists the
villages of a township the user may see, and every page that filters by area uses it."""

from __future__ import annotations

import pytest

from kaiyuan.areas.models import Area
from kaiyuan.areas.picker import UnknownArea, area_pick

pytestmark = pytest.mark.django_db


def test_the_villages_of_a_visible_township(client, bureau, township_a, village_a, village_b):
    client.force_login(bureau)
    html = client.get("/areas/villages/", {"township": township_a.pk}).content.decode()
    assert village_a.name in html and village_b.name not in html


def test_a_hidden_township_lists_no_village_like_a_missing_one(
    client, clerk_a, township_b, village_b
):
    client.force_login(clerk_a)
    hidden = client.get("/areas/villages/", {"township": township_b.pk}).content.decode()
    missing = client.get("/areas/villages/", {"township": 2**62}).content.decode()
    assert hidden == missing and village_b.name not in hidden


def test_the_picker_starts_at_the_users_area(bureau, clerk_a, grid_worker_a, township_a, village_a):
    county = area_pick(bureau)
    assert county.scope == bureau.area and not county.township_fixed
    assert township_a in county.townships and county.villages == []
    clerk = area_pick(clerk_a, village_id=village_a.pk)
    assert clerk.township_fixed and clerk.scope == village_a
    worker = area_pick(grid_worker_a)
    assert worker.village_fixed and worker.scope == village_a


def test_a_second_county_is_not_a_problem(bureau, township_a):
    """A province deployment has many counties: nothing may assume there is only one."""
    other = Area.objects.create(
        code="211281", name="调兵山市", level=Area.Level.COUNTY, path="211281/"
    )
    Area.objects.create(
        code="211281100",
        name="别的镇",
        level=Area.Level.TOWNSHIP,
        parent=other,
        path="211281/211281100/",
    )
    assert area_pick(bureau).scope == bureau.area
    assert all(t.path.startswith(bureau.area.path) for t in area_pick(bureau).townships)


def test_strict_picks_refuse_what_the_user_may_not_see(clerk_a, township_b, village_b):
    with pytest.raises(UnknownArea):
        area_pick(clerk_a, village_id=village_b.pk, strict=True)


@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("bureau", "/monitoring/households/"),
        ("bureau", "/monitoring/lists/monitored/"),
        ("clerk_a", "/monitoring/lists/cases/"),
        ("bureau", "/monitoring/visits/coverage/"),
    ],
)
def test_pages_that_filter_by_area_use_the_picker(client, request, user, url):
    client.force_login(request.getfixturevalue(user))
    html = client.get(url).content.decode()
    assert 'data-testid="area-picker"' in html
    assert "<script>" not in html  # the site's CSP: behaviour through data attributes only
