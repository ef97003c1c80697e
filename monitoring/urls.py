from django.urls import path

from kaiyuan.web.views import module_index

app_name = "monitoring"
urlpatterns = [
    path("", module_index, {"module": "monitoring"}, name="index"),
]
