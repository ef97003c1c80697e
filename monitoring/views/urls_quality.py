"""URL patterns of the quality pages (included by monitoring/urls.py)."""

urlpatterns: list = []
