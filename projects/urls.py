from django.urls import path

from kaiyuan.web.views import module_index
from projects.views import beneficiaries, projects, publicity, steps

app_name = "projects"
urlpatterns = [
    path("", module_index, {"module": "projects"}, name="index"),
    # PLACEHOLDER until views/projects.py has the proposal's edit page (another branch): the
    # detail page links it for drafts. Listed before the real one so that the real one wins.
    path("<int:pk>/edit/", projects.project_detail, name="project_edit"),
    # ---- proposals, the list, the bureau's lists (views/projects.py, views/checklists.py) ----
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
]
