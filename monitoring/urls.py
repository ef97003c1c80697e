"""URLs of the monitoring grid (/monitoring/), one block per sub-domain."""

from django.urls import path

from monitoring.views import (
    cards,
    cases,
    households,
    incomes,
    lists,
    measures,
    members,
    quality,
    visits,
    warnings,
)

app_name = "monitoring"
urlpatterns = [
    path("", households.monitoring_home, name="index"),
    # cards
    path("households/<int:pk>/card/", cards.household_card, name="household_card"),
    path("households/<int:pk>/card.pdf", cards.household_card_pdf, name="household_card_pdf"),
    path("cards/", cards.card_village_list, name="card_villages"),
    path("cards/village/<int:village_pk>/", cards.village_cards, name="village_cards"),
    path("cards/village/<int:village_pk>/pdf/", cards.village_cards_pdf, name="village_cards_pdf"),
    path("cards/policy-sheet.pdf", cards.policy_sheet, name="policy_sheet"),
    # cases
    path("leads/", cases.lead_list, name="lead_list"),
    path("leads/<int:pk>/open-case/", cases.lead_open_case, name="lead_open_case"),
    path("leads/<int:pk>/close/", cases.lead_close, name="lead_close"),
    path("households/<int:pk>/leads/new/", cases.lead_create, name="lead_create"),
    path("households/<int:pk>/cases/new/", cases.case_open, name="case_open"),
    path("households/<int:pk>/elimination/new/", cases.elimination_open, name="elimination_open"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/attachments/<int:pk>/", cases.attachment_download, name="case_attachment"),
    # lists
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
    # quality
    path("quality/", quality.quality_overview, name="quality"),
    path("quality/<str:rule_id>/", quality.quality_rule, name="quality_rule"),
    # households and members
    path("households/search/", households.household_search, name="household_search"),
    path("households/", households.household_list, name="household_list"),
    path("households/new/", households.household_create, name="household_create"),
    path("check-id/", members.id_number_check, name="id_number_check"),
    path("households/<int:pk>/", households.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", households.household_edit, name="household_edit"),
    path("households/<int:pk>/members/add/", members.member_add, name="member_add"),
    path("households/<int:pk>/head/", households.head_change, name="head_change"),
    path("households/<int:pk>/split/", households.household_split, name="household_split"),
    path("households/<int:pk>/merge/", households.household_merge, name="household_merge"),
    path("households/<int:pk>/income/", incomes.income_edit, name="income_edit"),
    path("households/<int:pk>/conditions/", households.conditions_edit, name="conditions_edit"),
    path("members/<int:pk>/edit/", members.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", members.member_remove, name="member_remove"),
    path("members/<int:pk>/reveal-id/", members.member_reveal_id, name="member_reveal_id"),
    # the national system's Excel
    path("transfer/import/", households.import_upload, name="import_upload"),
    path("transfer/import/template.xlsx", households.import_template, name="import_template"),
    path("transfer/import/<int:pk>/", households.import_result, name="import_result"),
    path(
        "transfer/import/<int:pk>/valid-rows/",
        households.import_valid_rows,
        name="import_valid_rows",
    ),
    path("transfer/export/", households.export_lists, name="export_lists"),
    # visits
    path("visits/my-month/", visits.visit_my_month, name="visit_my_month"),
    path("visits/record/<int:household_pk>/", visits.visit_record_page, name="visit_record"),
    path("visits/coverage/", visits.visit_coverage_page, name="visit_coverage"),
    path("visits/<int:pk>/photo/", visits.visit_photo, name="visit_photo"),
    path("households/<int:pk>/visits/", visits.household_visits, name="household_visits"),
    # warnings
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
