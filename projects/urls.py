from django.urls import path

from projects.views import beneficiaries, checklists, library, projects, publicity, steps

app_name = "projects"
urlpatterns = [
    # ---- proposals, the list, the bureau's lists (views/projects.py, views/checklists.py) ----
    path("", projects.project_list, name="index"),
    path("list/", projects.project_list, name="project_list"),
    path("new/", projects.project_create, name="project_create"),
    path("<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("lists/", checklists.checklists, name="checklists"),
    path("lists/four-haves/<int:pk>/", checklists.four_haves_edit, name="four_haves_edit"),
    path(
        "lists/construction/new/",
        checklists.construction_item_create,
        name="construction_item_create",
    ),
    path(
        "lists/construction/<int:pk>/",
        checklists.construction_item_edit,
        name="construction_item_edit",
    ),
    path(
        "lists/construction/<int:pk>/retire/",
        checklists.construction_item_retire,
        name="construction_item_retire",
    ),
    # ---- a project's page and its steps (views/projects.py detail, views/publicity.py,
    #      views/reviews.py, views/implementation.py, views/beneficiaries.py) -------------------
    path("<int:pk>/", projects.project_detail, name="project_detail"),
    path("<int:pk>/beneficiaries/add/", beneficiaries.beneficiary_add, name="beneficiary_add"),
    path(
        "beneficiaries/<int:pk>/remove/",
        beneficiaries.beneficiary_remove,
        name="beneficiary_remove",
    ),
    path("documents/<int:pk>/", steps.attachment_download, name="attachment_download"),
    path("announcements/", publicity.announcement_list, name="announcement_list"),
    path("announcements/new/", publicity.announcement_new, name="announcement_new"),
    path("announcements/<int:pk>/", publicity.announcement_detail, name="announcement_detail"),
    # ---- the library of a year, its exports and the import (views/library.py) ---------------
    path("library/", library.library_page, name="library"),
    path("library/export/", library.library_export, name="library_export"),
    path("library/import/", library.import_upload, name="library_import"),
    path("library/import/template.xlsx", library.import_template, name="library_import_template"),
    path("library/import/<int:pk>/", library.import_result, name="library_import_result"),
    path(
        "library/import/<int:pk>/valid-rows/",
        library.import_valid_rows,
        name="library_import_valid_rows",
    ),
    path(
        "announcements/<int:pk>/projects.xlsx",
        library.announcement_export,
        name="announcement_export",
    ),
    path(
        "announcements/<int:pk>/announcement.pdf",
        library.announcement_pdf,
        name="announcement_pdf",
    ),
    path("<int:pk>/beneficiaries.xlsx", library.beneficiaries_export, name="beneficiaries_export"),
]
