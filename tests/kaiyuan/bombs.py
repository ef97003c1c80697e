"""Workbooks that are small as files and huge once opened ("spreadsheet bombs"), built in the
test from a real workbook, so that the pre-parse checks can be shown to refuse them."""

from __future__ import annotations

import io
import re
import zipfile

SHARED_STRINGS = "xl/sharedStrings.xml"


def with_dimension(content: bytes, ref: str) -> bytes:
    """``content`` (an .xlsx) with its first sheet declaring ``<dimension ref=ref/>``."""
    return _rewrite(
        content,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(
            rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), xml
        ),
    )


def with_huge_shared_strings(content: bytes, *, megabytes: int = 100) -> bytes:
    """``content`` with a sharedStrings part of ``megabytes`` MB of repeated text added to it
    (deflate packs it about a thousand times)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == SHARED_STRINGS:
                continue
            target.writestr(info, source.read(info.filename))
        block = "<si><t>" + "重复的文字" * 200 + "</t></si>"
        chunk = (block * 100).encode()
        with target.open(SHARED_STRINGS, "w") as stream:
            stream.write(b'<?xml version="1.0" encoding="UTF-8"?>')
            stream.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            written = 0
            while written < megabytes * 1024 * 1024:
                stream.write(chunk)
                written += len(chunk)
            stream.write(b"</sst>")
    return buffer.getvalue()


def with_many_rows(content: bytes, rows: int) -> bytes:
    """``content`` with ``rows`` empty ``<row>`` elements added to its first sheet."""
    extra = b"".join(b'<row r="%d"/>' % n for n in range(100_000, 100_000 + rows))
    return _rewrite(
        content,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</sheetData>", extra + b"</sheetData>"),
    )


def _rewrite(content: bytes, member: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                changed = change(data)
                assert changed != data, f"{member} was not changed"
                data = changed
            target.writestr(info.filename, data)
    return buffer.getvalue()


class LoaderSpy:
    """Replaces the pipeline's loader (``reader.open_workbook``) and records each call."""

    def __init__(self, monkeypatch) -> None:
        from kaiyuan.common.imports import reader

        self.calls = 0
        real = reader.open_workbook

        def spy(*args, **kwargs):
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(reader, "open_workbook", spy)
