"""URL patterns of the household registry pages (included by monitoring/urls.py)."""

from django.urls import path

from monitoring.views import registry

urlpatterns = [
    path("households/search/", registry.household_search, name="household_search"),
    path("households/", registry.household_list, name="household_list"),
    path("households/new/", registry.household_create, name="household_create"),
    path("check-id/", registry.id_number_check, name="id_number_check"),
    path("households/<int:pk>/", registry.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", registry.household_edit, name="household_edit"),
    path("households/<int:pk>/members/add/", registry.member_add, name="member_add"),
    path("households/<int:pk>/head/", registry.head_change, name="head_change"),
    path("households/<int:pk>/split/", registry.household_split, name="household_split"),
    path("households/<int:pk>/merge/", registry.household_merge, name="household_merge"),
    path("households/<int:pk>/income/", registry.income_edit, name="income_edit"),
    path("households/<int:pk>/conditions/", registry.conditions_edit, name="conditions_edit"),
    path("members/<int:pk>/edit/", registry.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", registry.member_remove, name="member_remove"),
    path("members/<int:pk>/reveal-id/", registry.member_reveal_id, name="member_reveal_id"),
]
