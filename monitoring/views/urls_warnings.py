"""URL patterns of the warnings pages (included by monitoring/urls.py)."""

urlpatterns: list = []
