from django.urls import path

from kaiyuan.web.views import module_index

app_name = "assets"
urlpatterns = [
    path("", module_index, {"module": "assets"}, name="index"),
]
