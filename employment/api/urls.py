"""Employment's endpoints under /api/v1/ (kaiyuan/api.py registers every app's ROUTES)."""

from django.urls import path

from employment.api.counts import EmploymentCountView
from employment.api.posts import PostViewSet
from employment.api.records import RecordViewSet
from employment.api.trainings import TrainingViewSet
from employment.api.workshops import WorkshopViewSet

# (prefix, viewset, basename)
ROUTES = [
    ("employment-records", RecordViewSet, "employmentrecord"),
    ("welfare-posts", PostViewSet, "welfarepost"),
    ("workshops", WorkshopViewSet, "workshop"),
    ("trainings", TrainingViewSet, "training"),
]

# Endpoints that answer one object, not a collection (before the router's routes).
PATHS = [
    path("employment-count/", EmploymentCountView.as_view(), name="employment-count"),
]
