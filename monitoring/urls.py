from django.urls import path

from monitoring.views import (
    urls_cards,
    urls_cases,
    urls_lists,
    urls_quality,
    urls_registry,
    urls_transfer,
    urls_visits,
    urls_warnings,
)
from monitoring.views.registry import monitoring_home

app_name = "monitoring"
urlpatterns = [
    path("", monitoring_home, name="index"),
    *urls_registry.urlpatterns,
    *urls_quality.urlpatterns,
    *urls_visits.urlpatterns,
    *urls_transfer.urlpatterns,
    *urls_cases.urlpatterns,
    *urls_warnings.urlpatterns,
    *urls_cards.urlpatterns,
    *urls_lists.urlpatterns,
]
