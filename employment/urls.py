from django.urls import path

from kaiyuan.web.views import module_index

app_name = "employment"
urlpatterns = [
    path("", module_index, {"module": "employment"}, name="index"),
]
