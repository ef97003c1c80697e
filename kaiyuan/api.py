"""The API root at /api/v1/. Each app adds its viewsets to ``router`` in its own api module."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from kaiyuan.accounts.api import TokenObtainView, TokenRevokeView
from kaiyuan.areas.api import AreaViewSet, GridViewSet
from kaiyuan.audit.api import AuditEventViewSet
from monitoring.api.cases import CaseViewSet, LeadViewSet, MeasureViewSet, WarningViewSet
from monitoring.api.views import HouseholdViewSet, IncomeRecordViewSet, MemberViewSet, VisitViewSet

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("grids", GridViewSet, basename="grid")
router.register("audit-events", AuditEventViewSet, basename="auditevent")
router.register("households", HouseholdViewSet, basename="household")
router.register("members", MemberViewSet, basename="member")
router.register("incomes", IncomeRecordViewSet, basename="incomerecord")
router.register("visits", VisitViewSet, basename="visit")
router.register("leads", LeadViewSet, basename="lead")
router.register("warnings", WarningViewSet, basename="deptwarning")
router.register("cases", CaseViewSet, basename="case")
router.register("measures", MeasureViewSet, basename="measure")

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", TokenObtainView.as_view(), name="api_token"),
    path("auth/token/revoke/", TokenRevokeView.as_view(), name="api_token_revoke"),
]
