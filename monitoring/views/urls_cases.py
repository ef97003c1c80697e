"""URL patterns of the cases pages (included by monitoring/urls.py)."""

urlpatterns: list = []
