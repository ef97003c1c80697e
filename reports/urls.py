from django.urls import path

from kaiyuan.web.views import module_index

app_name = "reports"
urlpatterns = [
    path("", module_index, {"module": "reports"}, name="index"),
]
