"""URL patterns of the warnings pages (included by monitoring/urls.py)."""

from django.urls import path

from monitoring.views import warnings

urlpatterns: list = [
    path("warnings/", warnings.warning_list, name="warning_list"),
    path("warnings/upload/", warnings.warning_upload, name="warning_upload"),
    path(
        "warnings/template/<str:department>.xlsx",
        warnings.warning_template,
        name="warning_template",
    ),
    path(
        "warnings/uploads/<int:pk>/", warnings.warning_upload_detail, name="warning_upload_detail"
    ),
    path(
        "warnings/uploads/<int:pk>/feedback.xlsx",
        warnings.warning_upload_feedback,
        name="warning_upload_feedback",
    ),
    path("warnings/<int:pk>/verify/", warnings.warning_verify_page, name="warning_verify"),
]
