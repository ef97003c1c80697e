from django.urls import path

from kaiyuan.web.views import module_index
from projects.views import projects

app_name = "projects"
urlpatterns = [
    path("", module_index, {"module": "projects"}, name="index"),
    # ---- proposals, the list, the bureau's lists (views/projects.py, views/checklists.py) ----
    # ---- a project's page and its steps (views/projects.py detail, views/publicity.py,
    #      views/reviews.py, views/implementation.py, views/beneficiaries.py) -------------------
    path("<int:pk>/", projects.project_detail, name="project_detail"),
    # ---- the library of a year, its exports and the import (views/library.py) ---------------
]
