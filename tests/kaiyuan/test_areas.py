"""The bureau's import of village and group codes: all or nothing, and idempotent."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from kaiyuan.areas.models import Area
from kaiyuan.areas.services import AreaImportError, area_import_csv
from kaiyuan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD = """code,name
211282104201,烟厂村
211282104202,大白庙子村
211282104201001,第一村民组
211282001001,新华社区
"""


def test_it_imports_villages_and_groups_under_the_right_parents():
    result = area_import_csv(text=GOOD)
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    village = Area.objects.get(code="211282104201")
    assert (village.parent.name, village.level, village.kind) == (
        "中固镇",
        "village",
        "village_committee",
    )
    assert village.path == "211282/211282104/211282104201/"
    group = Area.objects.get(code="211282104201001")
    assert (group.parent, group.level) == (village, "group")
    assert Area.objects.get(code="211282001001").kind == "residents_committee"
    assert AuditEvent.objects.filter(action="area_import").count() == 1


def test_importing_the_same_file_again_changes_nothing():
    area_import_csv(text=GOOD)
    result = area_import_csv(text=GOOD)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    renamed = area_import_csv(text=GOOD.replace("烟厂村", "烟厂村委会"))
    assert renamed.updated == 1
    assert Area.objects.get(code="211282104201").name == "烟厂村委会"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,title\n1,x\n", "code（区划代码）和 name（名称）"),
        ("code,name\n21128210420,短码村\n", "必须为 12 位"),
        ("code,name\n211282104201,甲村\n211282104201,乙村\n", "重复出现"),
        ("code,name\n211282999201,无主村\n", "上级区划 211282999 不存在"),
        ("code,name\n211282104201,\n", "名称为空"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(text, message):
    before = Area.objects.count()
    with pytest.raises(AreaImportError, match=message):
        area_import_csv(text=GOOD + text.split("\n", 1)[1] if text.startswith("code") else text)
    assert Area.objects.count() == before


def test_the_command_reports_errors_and_counts(tmp_path, capsys):
    good = tmp_path / "villages.csv"
    good.write_text(GOOD, encoding="utf-8-sig")
    call_command("import_areas", str(good))
    assert "created 4" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\n123,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行"):
        call_command("import_areas", str(bad))
