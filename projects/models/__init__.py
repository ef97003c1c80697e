from projects.models.beneficiaries import ProjectBeneficiary
from projects.models.checklists import ConstructionListItem, FourHavesItem
from projects.models.implementation import (
    Acceptance,
    Handover,
    MaintenanceArrangement,
    OperatingAgreement,
    ProgressReport,
)
from projects.models.projects import (
    PerformanceIndicator,
    Project,
    ProjectAdjustment,
    ProjectAttachment,
    ProjectVillage,
)
from projects.models.publicity import Announcement, PublicityObjection, PublicityRecord

# Reference lists the bureau keeps, not records: a demo reset leaves them.
REFERENCE_MODELS = (FourHavesItem, ConstructionListItem)

__all__ = [
    "Acceptance",
    "Announcement",
    "ConstructionListItem",
    "FourHavesItem",
    "Handover",
    "MaintenanceArrangement",
    "OperatingAgreement",
    "PerformanceIndicator",
    "ProgressReport",
    "Project",
    "ProjectAdjustment",
    "ProjectAttachment",
    "ProjectBeneficiary",
    "ProjectVillage",
    "PublicityObjection",
    "PublicityRecord",
]
