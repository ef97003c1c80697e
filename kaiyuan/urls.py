from csp.constants import NONCE, SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from kaiyuan.accounts.views import admin_login

admin.site.site_header = settings.SITE_TITLE
admin.site.site_title = settings.SITE_TITLE
# One login page for the whole site, so the lock-out and its audit apply to the admin too.
admin.site.login = admin_login

# The API documentation pages run third-party bundles (Swagger UI, ReDoc, from the sidecar
# package) whose components insert <style> elements at run time, and ReDoc searches in a worker
# it starts from a blob: URL. Their scripts still come only from this site: Swagger UI's start-up
# script is a separate request (the split view), ReDoc's carries the request's nonce.
API_DOCS_POLICY = {
    "script-src": [SELF, NONCE],
    "style-src": [SELF, UNSAFE_INLINE],
    "worker-src": [SELF, "blob:"],
}
# Replaced, not extended: with a nonce in style-src a browser would ignore 'unsafe-inline' there.
api_docs_policy = csp_replace(API_DOCS_POLICY)

urlpatterns = [
    path("", include("kaiyuan.web.urls")),
    path("accounts/", include("kaiyuan.accounts.urls")),
    path("areas/", include("kaiyuan.areas.urls")),
    path("audit/", include("kaiyuan.audit.urls")),
    path("jobs/", include("kaiyuan.jobs.urls")),
    path("inbox/", include("kaiyuan.inbox.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("projects/", include("projects.urls")),
    path("funds/", include("funds.urls")),
    path("assets/", include("assets.urls")),
    path("employment/", include("employment.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("kaiyuan.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        api_docs_policy(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api_docs",
    ),
    path(
        "api/redoc/",
        api_docs_policy(
            SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html")
        ),
        name="api_redoc",
    ),
]

handler403 = "kaiyuan.web.errors.permission_denied"
handler404 = "kaiyuan.web.errors.page_not_found"
handler500 = "kaiyuan.web.errors.server_error"
