from django.urls import path

from kaiyuan.web.views import module_index

app_name = "funds"
urlpatterns = [
    path("", module_index, {"module": "funds"}, name="index"),
]
