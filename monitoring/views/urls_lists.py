"""URL patterns of the lists pages (included by monitoring/urls.py)."""

urlpatterns: list = []
