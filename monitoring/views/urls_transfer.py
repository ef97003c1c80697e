"""URL patterns of the transfer pages (included by monitoring/urls.py)."""

from django.urls import path

from monitoring.views import transfer

urlpatterns: list = [
    path("transfer/import/", transfer.import_upload, name="import_upload"),
    path("transfer/import/template.xlsx", transfer.import_template, name="import_template"),
    path("transfer/import/<int:pk>/", transfer.import_result, name="import_result"),
    path(
        "transfer/import/<int:pk>/valid-rows/",
        transfer.import_valid_rows,
        name="import_valid_rows",
    ),
    path("transfer/export/", transfer.export_lists, name="export_lists"),
]
