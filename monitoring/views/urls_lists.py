"""URL patterns of the assistance-measure pages and the bureau's lists (included by
monitoring/urls.py)."""

from django.urls import path

from monitoring.views import lists, measures

urlpatterns: list = [
    path("households/<int:pk>/measures/", measures.household_measures, name="household_measures"),
    path("households/<int:pk>/measures/add/", measures.measure_add, name="measure_add"),
    path("measures/<int:pk>/status/", measures.measure_status, name="measure_status"),
    path("lists/", lists.lists_index, name="lists"),
    path("lists/monitored/", lists.list_monitored, name="list_monitored"),
    path("lists/cases/", lists.list_cases, name="list_cases"),
    path("lists/overdue/", lists.list_overdue, name="list_overdue"),
    path("lists/focus/", lists.list_focus, name="list_focus"),
    path("lists/measures/", lists.list_measures, name="list_measures"),
    path("lists/<slug:key>/export/", lists.list_export, name="list_export"),
]
