"""The audited export: every file the platform hands out (Excel or PDF) is written, hashed,
recorded and served here.

* **Writing.** Workbooks are streamed through openpyxl's write-only mode (constant memory
  whatever the number of rows), laid out as an auditor expects without fixing anything by hand:
  a caption row saying what the list is, its filter and its as-of time; the bold header frozen
  below it with an autofilter over header and rows; widths fitted to the content (CJK characters
  count double; see ``SAMPLE_ROWS`` for how that stays streamed). Dates, times (Beijing time),
  Decimal money and numbers are typed cells with Chinese-readable formats (yyyy-mm-dd,
  yyyy-mm-dd hh:mm, #,##0.00); ID and phone columns are text. Every text cell is written as
  text: a string that Excel would read as a formula (``=HYPERLINK(...)``, ``+1``, ``-1``,
  ``@SUM``, a leading tab or carriage return) is stored as a string cell with Excel's quote
  prefix, so a name typed by a user never becomes a live formula in somebody else's spreadsheet.
* **Recording.** Each export leaves one ``export`` event in the audit trail with what was
  exported, the filter, the as-of time, the row count and the SHA-256 of the file.
* **Handing out.** An export whose rows grow with the area runs as a job (kaiyuan.jobs) and
  ``export_to_job`` attaches its file; only a small, bounded one (a template, one card) is
  served at once by ``export_response``. A job's file is served only to the job's owner
  (``export_download``) and each download is itself recorded. Job files and stored uploads are
  deleted after ``EXPORT_RETENTION_DAYS`` (``kaiyuan.jobs.services.files_purge``).

The package: ``cells`` (typed values and their formats, the formula guard), ``widths`` (columns
fitted to a streamed sheet), ``workbooks`` (sheets, captions, the streamed write) and ``records``
(the audit event, the job's file, the response, the owner-only download).
"""

from kaiyuan.common.exports.cells import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    FORMULA_STARTS,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    TEXT_FORMAT,
    local_naive,
    text_cell,
)
from kaiyuan.common.exports.records import (
    DOWNLOAD,
    EXPORT,
    PDF,
    XLSX,
    export_download,
    export_record,
    export_response,
    export_to_job,
)
from kaiyuan.common.exports.widths import (
    HEADER_WIDTH,
    LINE_HEIGHT,
    MAX_WIDTH,
    MIN_WIDTH,
    PADDING,
    SAMPLE_ROWS,
    fitted_widths,
    text_width,
)
from kaiyuan.common.exports.workbooks import (
    ExportBytes,
    ExportFile,
    Sheet,
    caption,
    scope_name,
    sha256_of,
    temp_path,
    workbook_bytes,
    write_workbook,
    write_xlsx,
)

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "DOWNLOAD",
    "EXPORT",
    "FORMULA_STARTS",
    "HEADER_WIDTH",
    "LINE_HEIGHT",
    "MAX_WIDTH",
    "MIN_WIDTH",
    "MONEY_FORMAT",
    "PADDING",
    "PDF",
    "PERCENT_FORMAT",
    "SAMPLE_ROWS",
    "TEXT_FORMAT",
    "XLSX",
    "ExportBytes",
    "ExportFile",
    "Sheet",
    "caption",
    "export_download",
    "export_record",
    "export_response",
    "export_to_job",
    "fitted_widths",
    "local_naive",
    "scope_name",
    "sha256_of",
    "temp_path",
    "text_cell",
    "text_width",
    "workbook_bytes",
    "write_workbook",
    "write_xlsx",
]
