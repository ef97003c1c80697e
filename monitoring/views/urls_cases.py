"""URL patterns of the lead and case pages (included by monitoring/urls.py)."""

from django.urls import path

from monitoring.views import cases

urlpatterns = [
    path("leads/", cases.lead_list, name="lead_list"),
    path("leads/<int:pk>/open-case/", cases.lead_open_case, name="lead_open_case"),
    path("leads/<int:pk>/close/", cases.lead_close, name="lead_close"),
    path("households/<int:pk>/leads/new/", cases.lead_create, name="lead_create"),
    path("households/<int:pk>/cases/new/", cases.case_open, name="case_open"),
    path("households/<int:pk>/elimination/new/", cases.elimination_open, name="elimination_open"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/attachments/<int:pk>/", cases.attachment_download, name="case_attachment"),
]
