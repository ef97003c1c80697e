"""The project library's endpoints under /api/v1/ (kaiyuan/api.py registers every app's ROUTES)."""

from projects.api.beneficiaries import ProjectBeneficiaryViewSet
from projects.api.implementation import AcceptanceViewSet, ProgressReportViewSet
from projects.api.projects import ProjectViewSet
from projects.api.publicity import AnnouncementViewSet, PublicityRecordViewSet

# (prefix, viewset, basename)
ROUTES = [
    ("projects", ProjectViewSet, "project"),
    ("project-beneficiaries", ProjectBeneficiaryViewSet, "projectbeneficiary"),
    ("publicity-records", PublicityRecordViewSet, "publicityrecord"),
    ("announcements", AnnouncementViewSet, "announcement"),
    ("progress-reports", ProgressReportViewSet, "progressreport"),
    ("acceptances", AcceptanceViewSet, "acceptance"),
]
