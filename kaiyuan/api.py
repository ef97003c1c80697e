"""The API root at /api/v1/. Each app lists its endpoints as ``ROUTES`` in its ``api/urls.py``."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

from assets.api.urls import ROUTES as ASSETS_ROUTES
from employment.api.urls import PATHS as EMPLOYMENT_PATHS
from employment.api.urls import ROUTES as EMPLOYMENT_ROUTES
from funds.api.urls import ROUTES as FUNDS_ROUTES
from kaiyuan.accounts.api import TokenObtainView, TokenRevokeView
from kaiyuan.areas.api import AreaViewSet, GridViewSet
from kaiyuan.audit.api import AuditEventViewSet
from kaiyuan.inbox.api import InboxItemsView, InboxView
from kaiyuan.jobs.api import JobViewSet
from monitoring.api.urls import PATHS as MONITORING_PATHS
from monitoring.api.urls import ROUTES as MONITORING_ROUTES
from projects.api.urls import ROUTES as PROJECTS_ROUTES


@csrf_exempt  # it changes nothing; a POST to a wrong address must get the same JSON 404
def api_not_found(request, *args, **kwargs):
    return JsonResponse({"code": "not_found", "detail": _("Not found.")}, status=404)


router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("grids", GridViewSet, basename="grid")
router.register("audit-events", AuditEventViewSet, basename="auditevent")
router.register("jobs", JobViewSet, basename="job")
for prefix, viewset, basename in [
    *MONITORING_ROUTES,
    *PROJECTS_ROUTES,
    *FUNDS_ROUTES,
    *ASSETS_ROUTES,
    *EMPLOYMENT_ROUTES,
]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *MONITORING_PATHS,
    *EMPLOYMENT_PATHS,
    path("inbox/", InboxView.as_view(), name="inbox"),
    path("inbox/items/", InboxItemsView.as_view(), name="inbox-items"),
    path("", include(router.urls)),
    path("auth/token/", TokenObtainView.as_view(), name="api_token"),
    path("auth/token/revoke/", TokenRevokeView.as_view(), name="api_token_revoke"),
    # Anything else under /api/v1/ (an id that is no id, a typo) is the API's JSON 404, not the
    # site's HTML page.
    re_path(r"^", api_not_found),
]
