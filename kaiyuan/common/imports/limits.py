"""The limits every import checks a workbook against before it parses anything, read from
settings (IMPORT_* in kaiyuan/settings.py, documented in README's settings table)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    upload_bytes: int  # the .xlsx as uploaded
    unpacked_bytes: int  # all members of the zip once unpacked
    ratio: int  # unpacked / packed size of one member
    ratio_floor_bytes: int  # members smaller than this are not judged by their ratio
    rows: int  # rows of one sheet, as declared or as counted in its XML
    columns: int  # columns of one sheet, as declared
    background_rows: int  # more data rows than this: parsed in the worker, not in the request
    background_bytes: int  # a larger upload also goes to the worker

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            upload_bytes=settings.MAX_UPLOAD_MB * MB,
            unpacked_bytes=settings.IMPORT_MAX_UNPACKED_MB * MB,
            ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            ratio_floor_bytes=MB,
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
            background_rows=settings.IMPORT_BACKGROUND_ROWS,
            background_bytes=settings.IMPORT_BACKGROUND_KB * 1024,
        )
