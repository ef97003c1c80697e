"""The roles of DESIGN.md §5 and what follows from each: the level of area it works at, and
whether it may change data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GRID_WORKER = "grid_worker", _("Grid worker")
    TOWNSHIP_CLERK = "township_clerk", _("Township clerk")
    BUREAU = "bureau", _("Rural revitalisation bureau")
    FINANCE = "finance", _("Finance bureau")
    DEPARTMENT = "department", _("Sector department")
    LEADER = "leader", _("Leader")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


class Department(models.TextChoices):
    MEDICAL = "medical", _("Medical insurance bureau")
    CIVIL = "civil", _("Civil affairs bureau")
    EDUCATION = "education", _("Education bureau")
    HOUSING = "housing", _("Housing and construction bureau")
    WATER = "water", _("Water resources bureau")
    HR = "hr", _("Human resources and social security bureau")
    DISABILITY = "disability", _("Disabled persons' federation")
    EMERGENCY = "emergency", _("Emergency management bureau")


# The area level each role is bound to (DOMAIN.md §7: village users see their village, township
# users their township, county users everything).
ROLE_LEVEL = {
    Role.GRID_WORKER: "village",
    Role.TOWNSHIP_CLERK: "township",
    Role.BUREAU: "county",
    Role.FINANCE: "county",
    Role.DEPARTMENT: "county",
    Role.LEADER: "county",
    Role.AUDITOR: "county",
    Role.ADMIN: "county",
}

READ_ONLY_ROLES = frozenset({Role.LEADER, Role.AUDITOR})
COUNTY_ROLES = frozenset(role for role, level in ROLE_LEVEL.items() if level == "county")
# Who may read the audit log: the auditors' own page, and the administrator who answers for users.
AUDIT_LOG_ROLES = frozenset({Role.AUDITOR, Role.ADMIN, Role.BUREAU})

LEVEL_LABELS = {
    "village": _("village"),
    "township": _("township"),
    "county": _("county"),
}
