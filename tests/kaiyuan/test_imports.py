"""The import pipeline (kaiyuan.common.imports) on its own: the checks made before parsing, the
reading of rows, the header found from a layout, the cell parsers, and the one transaction."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.idcard import build_id_number
from kaiyuan.common.imports import (
    HEADER_SEARCH_ROWS,
    Column,
    ImportRefused,
    Layout,
    SheetReading,
    Spec,
    cells,
    commit,
    inspect,
    open_sheet,
    precheck,
)
from kaiyuan.common.imports.cells import CellError
from tests.kaiyuan.bombs import LoaderSpy, with_dimension, with_huge_shared_strings

TODAY = datetime.date(2024, 6, 1)
SPEC = Spec(
    what="test",
    layout=Layout(
        [
            Column("证件号码", required=True, aliases=("身份证号码",)),
            Column("姓名", required=True),
            Column("备注"),
        ]
    ),
    split_advice="请拆分。",
    header_advice="请使用模板。",
    no_rows_message="没有数据行。",
)


def xlsx(rows, *, merge: list[str] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for ref in merge:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(content: bytes):
    source = io.BytesIO(content)
    facts = inspect(source, SPEC)
    with open_sheet(source, facts, SPEC) as sheet:
        reading = SheetReading(sheet, SPEC)
        return facts, reading.header, list(reading.data())


def refusal(content: bytes) -> str:
    with pytest.raises(ImportRefused) as refused:
        read(content)
    return refused.value.message


# =============================================================================================
# Before parsing
# =============================================================================================


def test_rows_and_merged_ranges_are_counted_from_the_xml_across_chunks():
    rows = [["证件号码", "姓名", "备注"]] + [
        [f"{n:018d}", "张" * 30, "x" * 40] for n in range(30_000)
    ]
    content = xlsx(rows, merge=["C5:C6", "C29000:C29001"])

    facts = inspect(io.BytesIO(content), SPEC)

    (sheet,) = facts.sheets.values()
    assert sheet.rows == 30_001
    assert sorted(sheet.merged) == ["C29000:C29001", "C5:C6"]


def test_a_declared_dimension_beyond_the_limits_is_refused_without_loading(monkeypatch):
    content = with_dimension(xlsx([["证件号码", "姓名"], ["1", "2"]]), "A1:XFD20000")
    loader = LoaderSpy(monkeypatch)

    upload = SimpleUploadedFile("a.xlsx", content)
    with pytest.raises(ImportRefused) as refused:
        precheck(upload, SPEC)

    assert "16384" in refused.value.message and "请拆分。" in refused.value.messages
    assert loader.calls == 0


def test_a_shared_strings_bomb_is_refused_by_its_compression_ratio(monkeypatch):
    content = with_huge_shared_strings(xlsx([["证件号码", "姓名"]]), megabytes=20)
    loader = LoaderSpy(monkeypatch)

    with pytest.raises(ImportRefused) as refused:
        precheck(SimpleUploadedFile("a.xlsx", content), SPEC)

    assert "20.1 MB" in refused.value.message and loader.calls == 0


@override_settings(IMPORT_MAX_UNPACKED_MB=1, IMPORT_MAX_COMPRESSION_RATIO=1000)
def test_the_unpacked_size_has_its_own_limit():
    content = with_huge_shared_strings(xlsx([["证件号码", "姓名"]]), megabytes=2)

    with pytest.raises(ImportRefused) as refused:
        precheck(SimpleUploadedFile("a.xlsx", content), SPEC)

    assert "1 MB" in refused.value.message


@override_settings(IMPORT_BACKGROUND_ROWS=5)
def test_a_large_file_is_left_to_the_job_unparsed(monkeypatch):
    content = xlsx([["证件号码", "姓名"]] + [[str(n), "张三"] for n in range(10)])
    loader = LoaderSpy(monkeypatch)

    checked = precheck(SimpleUploadedFile("a.xlsx", content), SPEC)

    assert checked.background and checked.header is None and checked.data_rows == 10
    assert loader.calls == 0


def test_a_small_file_is_checked_in_the_request():
    content = xlsx([["证件号码", "姓名"], ["1", "张三"]])

    checked = precheck(SimpleUploadedFile("a.xlsx", content), SPEC)

    assert not checked.background and checked.header.row == 1


def test_a_cell_far_to_the_right_does_not_widen_every_row():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["证件号码", "姓名"])
    sheet.append(["1", "张三"])
    sheet["XFD2"] = "远处"
    buffer = io.BytesIO()
    workbook.save(buffer)

    _facts, _header, rows = read(with_dimension(buffer.getvalue(), "A1:B2"))

    assert rows[0].values == ["1", "张三"]  # cut at IMPORT_MAX_COLUMNS, and no padding


# =============================================================================================
# The header
# =============================================================================================


def test_the_header_is_found_below_title_rows_by_its_aliases():
    title = [["某某名单"]] * (HEADER_SEARCH_ROWS - 2)
    content = xlsx([*title, ["序号", "身份证号码", " 姓 名 "], [1, "x", "张三"]])

    _facts, header, rows = read(content)

    assert header.row == HEADER_SEARCH_ROWS - 1
    assert [(i, f.header) for i, f in header.columns] == [(1, "证件号码"), (2, "姓名")]
    assert header.ignored == ["序号"]
    assert [r.number for r in rows] == [HEADER_SEARCH_ROWS]


def test_a_header_beyond_the_search_rows_is_not_found():
    content = xlsx([*[["标题"]] * HEADER_SEARCH_ROWS, ["证件号码", "姓名"]])

    assert "证件号码、姓名" in refusal(content)


def test_a_header_merged_down_over_two_rows_names_its_column():
    content = xlsx(
        [["姓名", "身份信息", None], [None, "证件号码", "备注"], ["张三", "x", ""]],
        merge=["A1:A2", "B1:C1"],
    )

    _facts, header, _rows = read(content)

    assert header.row == 2
    assert {f.header: i for i, f in header.columns} == {"姓名": 0, "证件号码": 1, "备注": 2}


def test_missing_and_doubled_columns_are_named_with_the_advice():
    assert "姓名" in refusal(xlsx([["证件号码", "备注"], ["x", "y"]]))
    assert "请使用模板。" in refusal(xlsx([["证件号码", "备注"], ["x", "y"]]))
    message = refusal(xlsx([["证件号码", "姓名", "身份证号码"], ["x", "y", "z"]]))
    assert "A" in message and "C" in message and "证件号码" in message


# =============================================================================================
# Cells
# =============================================================================================


def test_an_id_number_that_went_through_a_number_cell_is_refused_and_says_why():
    number = next(
        n
        for n in (build_id_number("211282", datetime.date(1980, 5, 17), q) for q in range(1, 20))
        if n.isdigit()
    )

    with pytest.raises(CellError) as refused:
        cells.id_number(float(number), today=TODAY)

    assert "15" in refused.value.message and "E+17" in refused.value.message
    legacy = 211282800517101  # 15 digits: Excel kept them all
    assert cells.id_number(legacy, today=TODAY).number.startswith("21128219800517")
    assert cells.id_number(f" {number.lower()} ", today=TODAY).number == number


def test_phone_and_national_numbers_are_text():
    assert cells.number_text(13800000001) == "13800000001"
    assert cells.number_text(" 2112 8210 ") == "21128210"
    with pytest.raises(CellError):
        cells.number_text(2.11282104201e19)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-15", datetime.date(2024, 3, 15)),
        ("2024/3/5", datetime.date(2024, 3, 5)),
        ("2024年3月5日", datetime.date(2024, 3, 5)),
        ("2024年3月", datetime.date(2024, 3, 1)),
        ("20240315", datetime.date(2024, 3, 15)),
        (20240315, datetime.date(2024, 3, 15)),
        (202403, datetime.date(2024, 3, 1)),
        (45366, datetime.date(2024, 3, 15)),  # Excel's serial day number
        (45366.0, datetime.date(2024, 3, 15)),
        (datetime.datetime(2024, 3, 15, 0, 0), datetime.date(2024, 3, 15)),  # noqa: DTZ001
        (None, None),
    ],
)
def test_dates_are_read_in_every_form_excel_and_people_write_them(raw, expected):
    assert cells.date(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [("上个月", "2024-03-15"), ("2024-13-01", "2024-03-15"), ("2024-07-01", "晚于今天")],
)
def test_a_bad_date_gets_a_chinese_message(raw, message):
    with pytest.raises(CellError) as refused:
        cells.date(raw, today=TODAY)
    assert message in refused.value.message


def test_money_is_decimal_never_float_noise():
    assert cells.money(0.1) == Decimal("0.10")
    assert cells.money("1,234.5") == Decimal("1234.50")
    assert cells.money("88元") == Decimal("88.00")
    with pytest.raises(CellError) as refused:
        cells.money(-1)
    assert "负数" in refused.value.message


def test_yes_no_and_code_tables():
    assert (cells.yes_no("是"), cells.yes_no(" 否 "), cells.yes_no(None)) == (True, False, None)
    with pytest.raises(CellError):
        cells.yes_no("有")
    assert cells.choice("汉族", {"汉族"}, column="民族") == "汉族"
    with pytest.raises(CellError) as refused:
        cells.choice("火星族", {"汉族"}, column="民族")
    assert "民族" in refused.value.message and "火星族" in refused.value.message


# =============================================================================================
# One transaction
# =============================================================================================


@pytest.mark.django_db
def test_commit_writes_and_audits_in_one_transaction(clerk_a):
    def failing_write():
        AuditEvent.objects.create(action="partial", data={})
        raise RuntimeError("the write failed half-way")

    with pytest.raises(RuntimeError):
        commit(
            spec=SPEC,
            actor=clerk_a,
            file_name="a.xlsx",
            sha256="0" * 64,
            rows=2,
            errors=0,
            valid_only=False,
            write=failing_write,
        )
    assert not AuditEvent.objects.exists()

    counts = commit(
        spec=SPEC,
        actor=clerk_a,
        file_name="a.xlsx",
        sha256="0" * 64,
        rows=2,
        errors=1,
        valid_only=True,
        write=lambda: {"created": 1},
    )

    event = AuditEvent.objects.get(action="import")
    assert counts == {"created": 1} and event.actor == clerk_a
    assert event.data["valid_only"] is True and event.data["what"] == "test"


@pytest.mark.django_db
def test_a_row_copied_against_a_unique_constraint_is_an_integrity_error(village_a):
    from django.db import IntegrityError, transaction

    from kaiyuan.common.imports.bulk import InstanceFactory, allocate_ids, copy_insert
    from monitoring.models import Household
    from tests.monitoring.factories import make_household

    taken = make_household(village_a)
    new = InstanceFactory(Household)
    rows = [new(household_number=taken.household_number, area=village_a, household_size=1)]
    rows[0].pk = allocate_ids(Household, 1)[0]

    with pytest.raises(IntegrityError), transaction.atomic():
        copy_insert(Household, rows)

    assert Household.objects.count() == 1
    also = new(household_number="2112821042017777", area=village_a, household_size=1)
    copy_insert(Household, [also])  # the database takes the key itself
    assert Household.objects.filter(household_number="2112821042017777").exists()


@pytest.mark.django_db
def test_copy_with_ignore_conflicts_leaves_out_only_the_conflicting_rows(village_a):
    from kaiyuan.common.imports.bulk import RowMaker, copy_rows
    from monitoring.models import Household
    from tests.monitoring.factories import make_household

    taken = make_household(village_a)
    make = RowMaker(Household, ["household_number", "area_id", "household_size"])
    rows = [make(n, village_a.pk, 1) for n in ("2112821042016661", taken.household_number)]

    copy_rows(Household, make.attnames, rows, ignore_conflicts=True)

    numbers = set(Household.objects.values_list("household_number", flat=True))
    assert numbers == {taken.household_number, "2112821042016661"}
    assert Household.objects.get(household_number="2112821042016661").created_at is not None


def test_a_worksheet_stored_outside_xl_worksheets_is_checked_too():
    import zipfile

    content = with_dimension(xlsx([["证件号码", "姓名"], ["1", "2"]]), "A1:XFD20000")
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            name = info.filename
            if name == "xl/worksheets/sheet1.xml":
                name = "xl/elsewhere.xml"
            data = data.replace(b"worksheets/sheet1.xml", b"elsewhere.xml")
            target.writestr(name, data)

    assert "16384" in refusal(buffer.getvalue())
