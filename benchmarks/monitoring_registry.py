"""The household registry at county scale: search and the household page, each against Django
admin's change list of the same model and rows (same run)."""

from __future__ import annotations

from django.test import Client

from benchmarks.harness import Result, median_time
from kaiyuan.accounts.models import User
from monitoring.models import Household
from tests.monitoring.factories import make_household


def _ensure_households() -> None:
    if Household.objects.exists():
        return
    from kaiyuan.areas.models import Area

    for village in Area.objects.villages()[:5]:
        for _ in range(4):
            make_household(village, head_name="王建国")


def run(households: int) -> list[Result]:
    _ensure_households()
    bureau = Client()
    bureau.force_login(User.objects.get(username="bureau"))
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    sample = Household.objects.order_by("-id").first()
    surname = sample.head_name[:1]
    number_prefix = sample.household_number[:12]

    def search_name():
        assert bureau.get("/monitoring/households/search/", {"q": surname}).status_code == 200

    def admin_search_name():
        response = admin.get("/admin/monitoring/household/", {"q": surname})
        assert response.status_code == 200

    def search_number():
        response = bureau.get("/monitoring/households/search/", {"q": number_prefix})
        assert response.status_code == 200

    def admin_search_number():
        response = admin.get("/admin/monitoring/household/", {"q": number_prefix})
        assert response.status_code == 200

    def detail():
        assert bureau.get(f"/monitoring/households/{sample.pk}/").status_code == 200

    def admin_detail():
        assert admin.get(f"/admin/monitoring/household/{sample.pk}/change/").status_code == 200

    count = Household.objects.count()
    return [
        Result(
            f"household search by name ({count} households)",
            median_time(search_name),
            "admin change list search",
            median_time(admin_search_name),
        ),
        Result(
            "household search by number prefix",
            median_time(search_number),
            "admin change list search",
            median_time(admin_search_number),
        ),
        Result(
            "household page", median_time(detail), "admin change form", median_time(admin_detail)
        ),
    ]
