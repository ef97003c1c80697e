"""The demo county is deterministic for a seed, and has every demo login of the README."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import CommandError, call_command

from kaiyuan.accounts.models import User
from kaiyuan.areas.models import Area, Grid
from monitoring.demo.households import delete_all

pytestmark = pytest.mark.django_db


def _fingerprint() -> str:
    rows = [
        *Area.objects.order_by("code").values_list("code", "name", "kind", "path"),
        *Grid.objects.order_by("area__code", "name").values_list(
            "area__code", "name", "worker__username"
        ),
        *User.objects.order_by("username").values_list(
            "username", "role", "area__code", "department", "phone"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _wipe() -> None:
    delete_all()  # the monitoring demo rows point at the grids, users and villages
    Grid.objects.all().delete()
    User.objects.all().delete()
    Area.objects.filter(level__in=["group"]).delete()
    Area.objects.filter(level__in=["village"]).delete()


def test_the_same_seed_gives_the_same_county_and_another_seed_another():
    call_command("seed_demo", households=50, seed=7)
    first = _fingerprint()
    _wipe()
    call_command("seed_demo", households=50, seed=7)
    assert _fingerprint() == first
    _wipe()
    call_command("seed_demo", households=50, seed=8)
    assert _fingerprint() != first


def test_the_demo_logins_exist_with_their_roles_and_areas():
    call_command("seed_demo", households=50, seed=1)
    users = {user.username: user for user in User.objects.select_related("area")}
    for name in ("admin", "bureau", "finance", "leader", "auditor"):
        assert users[name].area.code == "211282"
    for dept in (
        "medical",
        "civil",
        "education",
        "housing",
        "water",
        "hr",
        "disability",
        "emergency",
    ):
        assert users[f"dept_{dept}"].department == dept
    assert users["clerk_211282104"].area.name == "中固镇"
    assert len([u for u in users if u.startswith("clerk_")]) == 20
    grid_workers = [u for u in users.values() if u.role == "grid_worker"]
    assert len(grid_workers) >= 3
    for worker in grid_workers:
        assert worker.username == f"grid_{worker.area.code}"
        assert Grid.objects.filter(worker=worker).exists()
    assert users["clerk_211282104"].check_password("kaiyuan2024")
    assert Area.objects.get(code="211282104201").name == "烟厂村"


def test_it_refuses_a_database_that_has_data_unless_asked_to_skip(capsys):
    call_command("seed_demo", households=10, seed=1)
    with pytest.raises(CommandError):
        call_command("seed_demo", households=10, seed=1)
    call_command("seed_demo", households=10, seed=1, if_empty=True)
    assert "skipped" in capsys.readouterr().out


def test_it_refuses_a_production_database_without_the_explicit_flag(settings):
    """The demo county has an ``admin`` with a published password: never by accident."""
    settings.KAIYUAN_ENV = "production"
    for options in ({}, {"if_empty": True}):
        with pytest.raises(CommandError, match="--i-know-this-is-production"):
            call_command("seed_demo", households=5, seed=1, **options)
    assert not User.objects.filter(username="admin").exists()
    assert not Area.objects.villages().exists()
    call_command("seed_demo", households=5, seed=1, i_know_this_is_production=True)
    assert User.objects.filter(username="admin").exists()


def test_the_demo_seeds_kaiyuan_beside_another_county_of_the_province():
    """The area table follows the national codes, so 调兵山市 may stand beside 开原市: the demo
    puts its county logins, clerks and villages in Kaiyuan only."""
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
    assert Area.objects.home_county().name == "开原市"
    call_command("seed_demo", households=50, seed=1)
    assert User.objects.get(username="bureau").area.code == "211282"
    assert not User.objects.filter(username="clerk_211281100").exists()
    assert not Area.objects.filter(level="village", path__startswith="211281/").exists()


def test_every_login_of_the_readmes_table_is_made_with_the_role_and_area_it_gives():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    call_command("seed_demo", households=50, seed=1)
    users = {user.username: user for user in User.objects.select_related("area")}
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert rows
    for row in rows:
        names = re.findall(r"`([a-z][a-z0-9_]*)`", row.split("|")[1])
        assert names, row
        for name in names:
            assert name in users, name
            user = users[name]
            if name.startswith("grid_"):
                assert user.role == "grid_worker" and user.area.code == name[5:]
            elif name.startswith(("clerk_", "clerk2_")):
                assert user.role == "township_clerk" and user.area.code == name.split("_")[1]
            else:
                assert user.area.code == "211282", name
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert "中固镇烟厂村" in table and users["grid_211282104201"].area.name == "烟厂村"
