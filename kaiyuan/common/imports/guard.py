"""Checks of an uploaded workbook made before anything parses it (the "spreadsheet bomb" checks).

An .xlsx is a zip of XML files. A small upload can unpack to hundreds of megabytes (a shared
strings part of repeated text compresses a thousand times), and a sheet may declare a size
(``<dimension ref="A1:XFD20000"/>``) that makes openpyxl's read-only mode produce hundreds of
millions of empty cells. So the zip's directory is judged first (unpacked size, compression
ratio), then each worksheet's XML is streamed once: a streaming XML parser reads the part before
the cells (the declared dimension), and a byte scan counts the ``<row>`` elements and collects
the merged ranges at the end of the sheet. Nothing here builds a cell, and memory stays at one
chunk whatever the file holds.

Reading a zip member through ``zipfile`` never yields more than the size the directory declares
(and fails on a CRC mismatch), so the sizes judged here are the sizes openpyxl would get.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.parsers import expat

from django.utils.translation import gettext as _
from openpyxl.utils import range_boundaries

from kaiyuan.common.imports.errors import ImportRefused
from kaiyuan.common.imports.limits import MB, Limits

CHUNK = 1 << 20
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\""
)
_TAIL = 256  # bytes kept between chunks so that a tag cut in two is still seen once


def not_xlsx_message() -> str:
    return _(
        "This file is not a real Excel workbook (.xlsx): it may be an .xls, .csv or text file "
        "that was renamed. Open it in Excel or WPS and save it as “Excel 工作簿 (.xlsx)”."
    )


@dataclass
class SheetFacts:
    """What the XML of one worksheet says about its size, before any cell is read."""

    member: str  # path inside the zip, e.g. "xl/worksheets/sheet1.xml"
    declared: tuple[int, int, int, int] | None = None  # (min_col, min_row, max_col, max_row)
    declared_ref: str = ""
    rows: int = 0  # <row> elements in the XML
    merged: list[str] = field(default_factory=list)  # "A5:A7", in the order of the file


@dataclass
class ArchiveFacts:
    size: int
    unpacked: int
    sheets: dict[str, SheetFacts]

    def sheet(self, member: str) -> SheetFacts:
        return self.sheets.get(member.lstrip("/"), SheetFacts(member=member))

    @property
    def most_rows(self) -> int:
        return max((s.rows for s in self.sheets.values()), default=0)


def check_upload(name: str, size: int, *, limits: Limits, split_advice: str) -> None:
    """Refusals that need only the file's name and size."""
    if size == 0:
        raise ImportRefused(_("The file is empty."))
    if size > limits.upload_bytes:
        raise ImportRefused(
            [
                _("The file is larger than %(limit)s MB.") % {"limit": limits.upload_bytes // MB},
                split_advice,
            ]
        )
    if not name.lower().endswith(".xlsx"):
        raise ImportRefused(
            _(
                "Only Excel workbooks (.xlsx) can be imported. Open the file in Excel or WPS and "
                "save it as “Excel 工作簿 (.xlsx)”."
            )
        )


def inspect_archive(source: Path | IO[bytes], *, limits: Limits, split_advice: str) -> ArchiveFacts:
    """The zip's directory and every worksheet's XML judged against ``limits``; ImportRefused
    for anything that is not an .xlsx or is too big to parse."""
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        if not zipfile.is_zipfile(source):
            raise ImportRefused(not_xlsx_message())
        if hasattr(source, "seek"):
            source.seek(0)
        with zipfile.ZipFile(source) as archive:
            return _inspect(archive, limits=limits, split_advice=split_advice)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        # A damaged member, an unknown compression or a CRC that does not match.
        raise ImportRefused(not_xlsx_message()) from None
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def _inspect(archive: zipfile.ZipFile, *, limits: Limits, split_advice: str) -> ArchiveFacts:
    members = archive.infolist()
    names = {info.filename for info in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise ImportRefused(not_xlsx_message())
    packed = sum(info.compress_size for info in members)
    unpacked = sum(info.file_size for info in members)
    if unpacked > limits.unpacked_bytes:
        raise ImportRefused(
            [
                _(
                    "Unpacked, this workbook holds %(size)s MB of data, more than the %(limit)s MB "
                    "an import reads."
                )
                % {"size": _mb(unpacked), "limit": limits.unpacked_bytes // MB},
                split_advice,
            ]
        )
    for info in members:
        if info.file_size < limits.ratio_floor_bytes or not info.compress_size:
            continue
        ratio = info.file_size // info.compress_size
        if ratio > limits.ratio:
            raise ImportRefused(
                [
                    _(
                        "This workbook is packed %(ratio)s times tighter than an ordinary list "
                        "(%(packed)s MB of file hold %(size)s MB of data): it cannot be imported "
                        "safely. Copy the rows into a new workbook in Excel or WPS and save that."
                    )
                    % {"ratio": ratio, "packed": _mb(packed), "size": _mb(info.file_size)},
                    split_advice,
                ]
            )
    sheets: dict[str, SheetFacts] = {}
    wanted = _worksheet_members(archive, names)
    for info in members:
        if info.filename not in wanted and not _WORKSHEET.match(info.filename):
            continue
        facts = _scan_sheet(archive, info.filename, limits=limits)
        _judge_sheet(facts, limits=limits, split_advice=split_advice)
        sheets[info.filename] = facts
    if not sheets:
        raise ImportRefused(_("The workbook has no worksheet."))
    return ArchiveFacts(size=packed, unpacked=unpacked, sheets=sheets)


_RELATIONSHIP = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(Type|Target)="([^"]*)"')
RELS = "xl/_rels/workbook.xml.rels"


def _worksheet_members(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    """The zip members the workbook names as its worksheets (openpyxl follows these, wherever
    they are, so each must be scanned, not only those under xl/worksheets/)."""
    if RELS not in names or archive.getinfo(RELS).file_size > 1024 * 1024:
        return set()
    found: set[str] = set()
    for tag in _RELATIONSHIP.findall(archive.read(RELS)):
        attributes = {k.decode(): v.decode() for k, v in _ATTRIBUTE.findall(tag)}
        if attributes.get("Type", "").endswith("/worksheet") and attributes.get("Target"):
            target = attributes["Target"]
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            found.add(posixpath.normpath(member))
    return found & names


def _judge_sheet(facts: SheetFacts, *, limits: Limits, split_advice: str) -> None:
    if facts.declared is not None:
        _min_col, _min_row, max_col, max_row = facts.declared
        if max_row > limits.rows or max_col > limits.columns:
            raise ImportRefused(
                [
                    _(
                        "A worksheet says it is %(rows)s rows by %(columns)s columns (%(ref)s); "
                        "an import reads at most %(max_rows)s rows and %(max_columns)s columns."
                    )
                    % {
                        "rows": max_row,
                        "columns": max_col,
                        "ref": facts.declared_ref,
                        "max_rows": limits.rows,
                        "max_columns": limits.columns,
                    },
                    _(
                        "If the sheet has empty rows or columns far below or to the right of the "
                        "data, delete them and save again."
                    ),
                    split_advice,
                ]
            )
    if facts.rows > limits.rows:
        raise ImportRefused(
            [
                _("A worksheet has %(rows)s rows; an import reads at most %(limit)s.")
                % {"rows": facts.rows, "limit": limits.rows},
                split_advice,
            ]
        )


class _SheetDataReached(Exception):
    pass


def _scan_sheet(archive: zipfile.ZipFile, member: str, *, limits: Limits) -> SheetFacts:
    """One streamed pass over a worksheet's XML: the declared dimension (streaming parser, up to
    ``<sheetData>``), then a count of its rows and its merged ranges (byte scan). Stops as soon
    as the rows pass the limit."""
    facts = SheetFacts(member=member)
    parser = expat.ParserCreate(namespace_separator=" ")
    reached: list[int] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "dimension" and attributes.get("ref"):
            facts.declared_ref = attributes["ref"][:40]
            try:
                bounds = range_boundaries(attributes["ref"])
            except (ValueError, TypeError):
                bounds = None
            if bounds is not None and None not in bounds:
                facts.declared = bounds
        elif local == "sheetData":
            reached.append(parser.CurrentByteIndex)
            raise _SheetDataReached

    parser.StartElementHandler = start
    consumed = 0  # bytes handed to the parser before the current chunk
    carry = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            if not reached:
                try:
                    parser.Parse(chunk, False)
                except _SheetDataReached:
                    chunk = chunk[max(0, reached[0] - consumed) :]
                except expat.ExpatError:
                    raise ImportRefused(not_xlsx_message()) from None
                else:
                    consumed += len(chunk)
                    continue
            carry = _scan_tags(facts, carry + chunk, final=False)
            if facts.rows > limits.rows:
                return facts
        _scan_tags(facts, carry, final=True)
    return facts


def _scan_tags(facts: SheetFacts, data: bytes, *, final: bool) -> bytes:
    """Count the rows and collect the merged ranges that start in ``data``, leaving the last
    bytes (where a tag may be cut in two) for the next chunk; returns those bytes."""
    cut = len(data) if final else max(0, len(data) - _TAIL)
    for match in _ROW.finditer(data):
        if match.start() >= cut:
            break
        facts.rows += 1
    for match in _MERGE.finditer(data):
        if match.start() >= cut:
            break
        facts.merged.append(match.group(1).decode())
    return data[cut:]


def _mb(size: int) -> str:
    return f"{size / MB:.1f}"
