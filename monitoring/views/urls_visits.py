"""URL patterns of the visits pages (included by monitoring/urls.py)."""

urlpatterns: list = []
