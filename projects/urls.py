from django.urls import path

from kaiyuan.web.views import module_index

app_name = "projects"
urlpatterns = [
    path("", module_index, {"module": "projects"}, name="index"),
]
