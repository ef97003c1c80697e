"""URL patterns of the transfer pages (included by monitoring/urls.py)."""

urlpatterns: list = []
