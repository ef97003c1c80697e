"""The demo logins (all with one password, DEMO_PASSWORD): see README.md."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from kaiyuan.accounts.models import User
from kaiyuan.accounts.roles import Department, Role
from kaiyuan.areas.models import Area, Grid
from kaiyuan.demo.villages import SURNAMES, given_name

# People's names (family name, given name), never role words: a grid worker's name is printed
# on the 明白卡 of every household of their grid, a clerk's in every case step they took.
COUNTY_USERS = (
    ("admin", Role.ADMIN, "志远", "孟"),
    ("bureau", Role.BUREAU, "振华", "刘"),
    ("finance", Role.FINANCE, "淑琴", "陈"),
    ("leader", Role.LEADER, "立新", "王"),
    ("auditor", Role.AUDITOR, "明哲", "赵"),
)


def _person_name(context) -> tuple[str, str]:
    """(family name, given name) of a demo person, from the seed's random generator."""
    family = context.random.choice(SURNAMES)
    return family, given_name(context.random, female=context.random.random() < 0.5)


# Villages whose grid workers get demo logins: two in 中固镇, one in four other townships.
GRID_WORKER_VILLAGES = 6


def seed(context) -> None:
    password = make_password(context.password)
    county = Area.objects.home_county()
    users: list[User] = []
    for username, role, first, last in COUNTY_USERS:
        admin = role == Role.ADMIN
        users.append(
            User(
                username=username,
                password=password,
                role=role,
                area=county,
                first_name=first,
                last_name=last,
                is_staff=admin,
                is_superuser=admin,
            )
        )
    for department in Department:
        users.append(
            User(
                username=f"dept_{department.value}",
                password=password,
                role=Role.DEPARTMENT,
                area=county,
                department=department.value,
                first_name=str(department.label)[:30],
            )
        )
    for township in Area.objects.townships().filter(parent=county).order_by("code"):
        # Two clerks per township: who enters a case's village steps for the village committee
        # may not also pass its township review (separation of duties), so the demo's cases are
        # entered by the second (clerk2_…) and reviewed by the first.
        for prefix in ("clerk", "clerk2"):
            family, given = _person_name(context)
            users.append(
                User(
                    username=f"{prefix}_{township.code}",
                    password=password,
                    role=Role.TOWNSHIP_CLERK,
                    area=township,
                    first_name=given,
                    last_name=family,
                )
            )
    villages = context.made["villages"]
    zhonggu = [v for v in villages if v.code.startswith("211282104")][:2]
    others = []
    for prefix in ("211282102", "211282109", "211282113", "211282217"):
        others += [v for v in villages if v.code.startswith(prefix)][:1]
    worker_villages = (zhonggu + others)[:GRID_WORKER_VILLAGES]
    for village in worker_villages:
        family, given = _person_name(context)
        users.append(
            User(
                username=f"grid_{village.code}",
                password=password,
                role=Role.GRID_WORKER,
                area=village,
                first_name=given,
                last_name=family,
                phone=f"139{context.random.randint(10000000, 99999999)}",
            )
        )
    User.objects.bulk_create(users)
    by_name = {user.username: user for user in User.objects.all()}
    for village in worker_villages:
        Grid.objects.filter(area=village).update(worker=by_name[f"grid_{village.code}"])
    context.made["users"] = by_name
    context.log(f"users: {len(users)}")
