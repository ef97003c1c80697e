"""URL patterns of the registry pages (included by monitoring/urls.py)."""

urlpatterns: list = []
