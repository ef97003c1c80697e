"""The roles of DESIGN.md §5 and the level of area each works at. What each role may do is the
capability matrix (kaiyuan.accounts.capabilities)."""

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
    AGRICULTURE = "agriculture", _("Agriculture and rural affairs bureau")
    TRANSPORT = "transport", _("Transport bureau")


# How each sector's name is written on measures, minutes and lists (the first is the usual one).
DEPARTMENT_NAMES = {
    Department.MEDICAL: ("医保局", "医疗保障局"),
    Department.CIVIL: ("民政局",),
    Department.EDUCATION: ("教育局",),
    Department.HOUSING: ("住建局", "住房和城乡建设局"),
    Department.WATER: ("水利局", "水务局"),
    Department.HR: ("人社局", "人力资源和社会保障局"),
    Department.DISABILITY: ("残联", "残疾人联合会"),
    Department.EMERGENCY: ("应急管理局", "应急局"),
    Department.AGRICULTURE: ("农业农村局", "农业局"),
    Department.TRANSPORT: ("交通运输局", "交通局"),
}


def department_of(name: str) -> str:
    """The sector a department's written name belongs to, or "" for another body (a township
    government, a bank, a company)."""
    text = (name or "").strip()
    for department, names in DEPARTMENT_NAMES.items():
        if any(text.startswith(known) or known in text for known in names):
            return department
    return ""


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

LEVEL_LABELS = {
    "village": _("village"),
    "township": _("township"),
    "county": _("county"),
}
