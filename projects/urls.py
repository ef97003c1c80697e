from django.urls import path

from kaiyuan.web.views import module_index
from projects.views import projects

app_name = "projects"
urlpatterns = [
    path("", module_index, {"module": "projects"}, name="index"),
    path("<int:pk>/", projects.project_detail, name="project_detail"),
]
