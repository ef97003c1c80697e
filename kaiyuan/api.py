"""The API root at /api/v1/. Each app adds its viewsets to ``router`` in its own api module."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from kaiyuan.areas.api import AreaViewSet, GridViewSet
from kaiyuan.audit.api import AuditEventViewSet

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("grids", GridViewSet, basename="grid")
router.register("audit-events", AuditEventViewSet, basename="auditevent")

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", obtain_auth_token, name="api_token"),
]
