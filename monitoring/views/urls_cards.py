"""URL patterns of the cards pages (included by monitoring/urls.py)."""

urlpatterns: list = []
