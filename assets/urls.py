from django.http import Http404
from django.urls import path

from kaiyuan.web.views import module_index

app_name = "assets"


def _pending(request, **kwargs):  # replaced by the pages of assets/views (being written)
    raise Http404


urlpatterns = [
    path("", module_index, {"module": "assets"}, name="index"),
    path("<int:pk>/", _pending, name="asset_detail"),
    path("handover/<int:pk>/", _pending, name="handover"),
    path("distributions/<int:pk>/", _pending, name="distribution_detail"),
    path("disposals/<int:pk>/", _pending, name="disposal_detail"),
]
