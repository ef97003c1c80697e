"""The API root at /api/v1/. Each app lists its endpoints as ``ROUTES`` in its ``api/urls.py``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from kaiyuan.accounts.api import TokenObtainView, TokenRevokeView
from kaiyuan.areas.api import AreaViewSet, GridViewSet
from kaiyuan.audit.api import AuditEventViewSet
from kaiyuan.jobs.api import JobViewSet
from monitoring.api.urls import ROUTES as MONITORING_ROUTES

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("grids", GridViewSet, basename="grid")
router.register("audit-events", AuditEventViewSet, basename="auditevent")
router.register("jobs", JobViewSet, basename="job")
for prefix, viewset, basename in MONITORING_ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", TokenObtainView.as_view(), name="api_token"),
    path("auth/token/revoke/", TokenRevokeView.as_view(), name="api_token_revoke"),
]
