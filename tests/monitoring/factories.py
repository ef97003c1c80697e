"""Valid households and members for tests, built directly (fast) with real encrypted IDs.

``make_household`` gives a household with a head in a village; ``make_member`` adds a member.
Use the services (monitoring.services.*) when the test is about the write itself.
"""

from __future__ import annotations

import datetime
import itertools

from kaiyuan.common import pii
from kaiyuan.common.idcard import build_id_number, mask_id_number, parse_id_number
from monitoring.codes import HouseholdType, LabourSkill, Relation, Sex
from monitoring.models import Household, Member

_household_numbers = itertools.count(1)
_sequences = itertools.count(11)


def next_id_number(*, sex: str = Sex.MALE, birth_date: datetime.date | None = None) -> str:
    """A new valid number. The sequence has 500 values per birth date and sex, so without an
    explicit birth date the date moves on a day every 500 numbers: numbers never repeat."""
    count = next(_sequences)
    sequence = (count % 500) * 2 + (1 if sex == Sex.MALE else 0)
    born = birth_date or datetime.date(1980, 5, 17) + datetime.timedelta(days=count // 500)
    return build_id_number("211282", born, sequence)


def make_household(
    area,
    *,
    household_type: str = HouseholdType.EXITED,
    head_name: str = "王建国",
    head_sex: str = Sex.MALE,
    **fields,
) -> Household:
    number = fields.pop("household_number", None) or f"{area.code}{next(_household_numbers):04d}"
    household = Household.objects.create(
        area=area,
        household_number=number,
        head_name=head_name,
        household_type=household_type,
        household_size=1,
        **fields,
    )
    make_member(household, name=head_name, relation=Relation.HEAD, sex=head_sex)
    return household


def make_member(
    household: Household,
    *,
    name: str = "王小明",
    relation: str = Relation.SON,
    sex: str = Sex.MALE,
    birth_date: datetime.date | None = None,
    id_number: str | None = None,
    **fields,
) -> Member:
    number = id_number or next_id_number(sex=sex, birth_date=birth_date)
    birth_date = birth_date or parse_id_number(number).birth_date
    defaults = {
        "health": "健康",
        "labour_skill": LabourSkill.ORDINARY,
        "education": "初中",
        "residents_medical_insurance": True,
        "employees_medical_insurance": False,
        "critical_illness_insurance": True,
    }
    defaults.update(fields)
    return Member.objects.create(
        household=household,
        name=name,
        relation=relation,
        sex=sex,
        birth_date=birth_date,
        id_cipher=pii.encrypt(number),
        id_index=pii.blind_index(number),
        id_masked=mask_id_number(number),
        **defaults,
    )


def make_department_warning(
    member: Member, *, department: str = "medical", deadline=None, **fields
):
    """A department warning about ``member``, as matching a screening list makes it."""
    from kaiyuan.common.dates import today
    from monitoring.models import DeptWarning, WarningUpload
    from tests.factories import UserFactory

    uploader = UserFactory(role="department", department=department, area=None)
    upload = WarningUpload.objects.create(
        department=department,
        file="warnings/test.xlsx",
        file_name="test.xlsx",
        sha256="0" * 64,
        status=WarningUpload.Status.DONE,
        uploaded_by=uploader,
    )
    warned_on = fields.pop("warned_on", today() - datetime.timedelta(days=2))
    return DeptWarning.objects.create(
        upload=upload,
        department=department,
        member=member,
        household=member.household,
        area=member.household.area,
        id_index=member.id_index,
        listed_name=fields.pop("listed_name", member.name),
        warning_type=fields.pop("warning_type", "大额医疗费用自付"),
        indicator=fields.pop("indicator", "12500.00"),
        warned_on=warned_on,
        deadline=deadline or warned_on + datetime.timedelta(days=7),
        **fields,
    )
