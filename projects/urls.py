from django.urls import path

from kaiyuan.web.views import module_index
from projects.views import library, projects

app_name = "projects"
urlpatterns = [
    path("", module_index, {"module": "projects"}, name="index"),
    # ---- proposals, the list, the bureau's lists (views/projects.py, views/checklists.py) ----
    # ---- a project's page and its steps (views/projects.py detail, views/publicity.py,
    #      views/reviews.py, views/implementation.py, views/beneficiaries.py) -------------------
    path("<int:pk>/", projects.project_detail, name="project_detail"),
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
