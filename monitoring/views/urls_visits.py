"""URL patterns of the visits pages (included by monitoring/urls.py)."""

from django.urls import path

from monitoring.views import visits

urlpatterns: list = [
    path("visits/my-month/", visits.visit_my_month, name="visit_my_month"),
    path("visits/record/<int:household_pk>/", visits.visit_record_page, name="visit_record"),
    path("visits/coverage/", visits.visit_coverage_page, name="visit_coverage"),
    path("visits/<int:pk>/photo/", visits.visit_photo, name="visit_photo"),
    path("households/<int:pk>/visits/", visits.household_visits, name="household_visits"),
]
