from django.urls import path

from funds.views import microcredit, placements, progress, reallocations
from kaiyuan.web.views import module_index

app_name = "funds"
urlpatterns = [
    path("", module_index, {"module": "funds"}, name="index"),
    # ---- idle funds, reallocation, progress, placements, micro-credit (views/reallocations.py, views/progress.py, views/placements.py, views/microcredit.py)  # noqa: E501
    path("idle/", reallocations.idle_list, name="idle_list"),
    path("idle/<int:pk>/reallocate/", reallocations.reallocation_new, name="reallocation_new"),
    path("reallocations/", reallocations.reallocation_list, name="reallocation_list"),
    path("progress/", progress.progress, name="progress"),
    path("placements/", placements.placement_list, name="placement_list"),
    path("projects/<int:pk>/placements/new/", placements.placement_new, name="placement_new"),
    path("placements/<int:pk>/", placements.placement_detail, name="placement_detail"),
    path("loans/", microcredit.loan_list, name="loan_list"),
    path("households/<int:pk>/loans/new/", microcredit.loan_new, name="loan_new"),
    path("loans/<int:pk>/", microcredit.loan_detail, name="loan_detail"),
]
