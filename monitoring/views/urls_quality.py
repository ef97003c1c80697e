"""URL patterns of the data-quality pages (included by monitoring/urls.py)."""

from django.urls import path

from monitoring.views import quality

urlpatterns = [
    path("quality/", quality.quality_overview, name="quality"),
    path("quality/<str:rule_id>/", quality.quality_rule, name="quality_rule"),
]
