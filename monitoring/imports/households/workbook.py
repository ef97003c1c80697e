"""The national household/member file as the import pipeline sees it (kaiyuan.common.imports):
its ``Spec`` (the layout of ``layout.IMPORT_COLUMNS``, the advice its refusals give) and the
checks made while the user waits, before the file is stored."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from kaiyuan.common.imports import Header, ImportRefused, Precheck, Spec, precheck
from monitoring.imports.households import layout

__all__ = ["SPEC", "ImportRefused", "Inspection", "inspect_upload"]


SPEC = Spec(
    what="monitoring_households",
    layout=layout.LAYOUT,
    split_advice=gettext_lazy("Split it by township or village and import each file on its own."),
    header_advice=gettext_lazy("Use the headers of the national export or download the template."),
    no_rows_message=gettext_lazy(
        "The file has column headers but no data rows: there is nothing to import."
    ),
)


@dataclass(frozen=True)
class Inspection:
    layout: Header | None
    data_rows: int  # from the sheet's XML: an upper bound
    background: bool  # large: parsed only in the worker


def inspect_upload(uploaded) -> Inspection:
    """The checks made while the user waits (``kaiyuan.common.imports.precheck``): a readable
    .xlsx within every size limit and, for a small file, national headers and a data row."""
    checked: Precheck = precheck(uploaded, SPEC)
    return Inspection(
        layout=checked.header, data_rows=checked.data_rows, background=checked.background
    )
