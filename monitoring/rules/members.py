"""The data-quality rules of members and households (DOMAIN.md §2.9 MON-DQ-1..11 and §2.4.1).

Each rule is written once, here, in two forms that tests keep in agreement: ``check`` judges one
member (or household) before it is saved or imported, and ``broken`` selects the stored rows that
break it, for the data-quality page. Hard rules refuse a save; flags are listed for review.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaiyuan.common.dates import today as local_today
from kaiyuan.common.idcard import age_on
from kaiyuan.common.rules import FLAG, Rule, Violation
from monitoring.codes import HAS_LABOUR, Health, HouseholdType, LabourSkill

MON_DQ_1 = Rule("MON-DQ-1", gettext_lazy("The ID number passes the GB 11643 checks."))
MON_DQ_2 = Rule(
    "MON-DQ-2", gettext_lazy("The same ID number belongs to at most one member in the county.")
)
ID_DIS_1 = Rule(
    "ID-DIS-1", gettext_lazy("A disability certificate number begins with the holder's ID number.")
)
MON_DQ_4 = Rule("MON-DQ-4", gettext_lazy("Fill in exactly one of education and current schooling."))
MON_DQ_5 = Rule(
    "MON-DQ-5",
    gettext_lazy("Labour skill must be one of the five values and health must be filled in."),
)
MON_DQ_6 = Rule(
    "MON-DQ-6",
    gettext_lazy("The place of work is filled in if and only if months worked is more than 0."),
)
MON_DQ_7 = Rule(
    "MON-DQ-7",
    gettext_lazy(
        "Every member of a poverty-exited household must have critical-illness insurance."
    ),
)
MON_DQ_8 = Rule(
    "MON-DQ-8",
    gettext_lazy(
        "Exactly one of residents' and employees' basic medical insurance must be 是 "
        "(not both, not neither)."
    ),
)
MON_DQ_10 = Rule(
    "MON-DQ-10",
    gettext_lazy(
        "A healthy poverty-exited member aged 16 to 59 who is not a student is recorded as "
        "without or with weak labour: please review."
    ),
    FLAG,
)
MON_DQ_11 = Rule(
    "MON-DQ-11",
    gettext_lazy(
        "A member recorded as working away is recorded without, with lost or with weak "
        "labour: please review."
    ),
    FLAG,
)
MON_DQ_PHONE = Rule("MON-DQ-PHONE", gettext_lazy("A phone number should have 11 digits."), FLAG)
WEAK_OR_NONE = (LabourSkill.WEAK, LabourSkill.NONE)
NOT_FULL_LABOUR = (LabourSkill.WEAK, LabourSkill.NONE, LabourSkill.LOST)


class MemberRule:
    """A member rule in its two forms: ``applies`` for one member before a save or an import,
    ``broken`` for the stored rows the data-quality page lists."""

    rule: Rule
    field = ""

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def severity(self) -> str:
        return self.rule.severity

    def message(self) -> str:
        return str(self.rule.statement)

    def applies(self, member, household) -> bool:
        """True when ``member`` (of ``household``) breaks the rule."""
        raise NotImplementedError

    def broken(self, members: QuerySet) -> QuerySet:
        """The stored active members that break the rule."""
        raise NotImplementedError

    def check(self, member, household) -> Violation | None:
        if self.applies(member, household):
            return self.rule.violation(self.field, self.message())
        return None


class EducationXorSchooling(MemberRule):
    rule, field = MON_DQ_4, "education"

    def applies(self, member, household) -> bool:
        return bool(member.education) == bool(member.schooling)

    def broken(self, members):
        return members.filter(
            (Q(education="") & Q(schooling="")) | (~Q(education="") & ~Q(schooling=""))
        )


class LabourAndHealthFilled(MemberRule):
    rule, field = MON_DQ_5, "health"

    def applies(self, member, household) -> bool:
        values = member.health_values
        return (
            member.labour_skill not in LabourSkill.values
            or not values
            or any(v not in Health.values for v in values)
        )

    def broken(self, members):
        return members.filter(Q(health="") | ~Q(labour_skill__in=LabourSkill.values))


class WorkPlaceIffMonths(MemberRule):
    rule, field = MON_DQ_6, "work_place"

    def applies(self, member, household) -> bool:
        return bool(member.work_place.strip()) != (member.work_months > 0)

    def broken(self, members):
        return members.filter(
            (Q(work_place="") & Q(work_months__gt=0)) | (~Q(work_place="") & Q(work_months=0))
        )


class ExitedHasCriticalIllness(MemberRule):
    rule, field = MON_DQ_7, "critical_illness_insurance"

    def applies(self, member, household) -> bool:
        return household.household_type == HouseholdType.EXITED and (
            member.critical_illness_insurance is not True
        )

    def broken(self, members):
        return members.filter(household__household_type=HouseholdType.EXITED).exclude(
            critical_illness_insurance=True
        )


class ExactlyOneMedicalInsurance(MemberRule):
    rule, field = MON_DQ_8, "residents_medical_insurance"

    def applies(self, member, household) -> bool:
        return (member.residents_medical_insurance is True) == (
            member.employees_medical_insurance is True
        )

    def broken(self, members):
        residents = Q(residents_medical_insurance=True)
        employees = Q(employees_medical_insurance=True)
        return members.filter((residents & employees) | (~residents & ~employees))


class WorkingAgeShouldHaveLabour(MemberRule):
    rule, field = MON_DQ_10, "labour_skill"
    AGE_FROM, AGE_TO = 16, 59

    def applies(self, member, household) -> bool:
        if member.birth_date is None:  # an ID number that failed MON-DQ-1 gives no age
            return False
        today = local_today()
        age = age_on(member.birth_date, today)
        return (
            household.household_type == HouseholdType.EXITED
            and self.AGE_FROM <= age <= self.AGE_TO
            and member.health_values == [Health.HEALTHY]
            and not member.schooling
            and member.labour_skill in WEAK_OR_NONE
        )

    def broken(self, members):
        today = local_today()
        youngest = _years_before(today, self.AGE_FROM)
        oldest = _years_before(today, self.AGE_TO + 1) + datetime.timedelta(days=1)
        return members.filter(
            household__household_type=HouseholdType.EXITED,
            birth_date__lte=youngest,
            birth_date__gte=oldest,
            health=Health.HEALTHY,
            schooling="",
            labour_skill__in=WEAK_OR_NONE,
        )


class WorkerShouldHaveLabour(MemberRule):
    rule, field = MON_DQ_11, "labour_skill"

    def applies(self, member, household) -> bool:
        return member.work_months > 0 and member.labour_skill in NOT_FULL_LABOUR

    def broken(self, members):
        return members.filter(work_months__gt=0, labour_skill__in=NOT_FULL_LABOUR)


class PhoneHasElevenDigits(MemberRule):
    rule, field = MON_DQ_PHONE, "phone"

    def applies(self, member, household) -> bool:
        return bool(member.phone) and not (member.phone.isdigit() and len(member.phone) == 11)

    def broken(self, members):
        return members.exclude(phone="").exclude(phone__regex=r"^[0-9]{11}$")


MEMBER_RULES: tuple[MemberRule, ...] = (
    EducationXorSchooling(),
    LabourAndHealthFilled(),
    WorkPlaceIffMonths(),
    ExitedHasCriticalIllness(),
    ExactlyOneMedicalInsurance(),
    WorkingAgeShouldHaveLabour(),
    WorkerShouldHaveLabour(),
    PhoneHasElevenDigits(),
)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def check_member(member, household) -> list[Violation]:
    """Every member rule that ``member`` breaks (errors and flags)."""
    return [v for rule in MEMBER_RULES if (v := rule.check(member, household)) is not None]


# =============================================================================================
# Household-level rules: composition (MON-DQ-3, MON-DQ-9) and size
# =============================================================================================


def has_labour(members: Iterable) -> bool:
    return any(m.labour_skill in HAS_LABOUR for m in members)


def duplicate_id(member, *, actor) -> Violation | None:
    """MON-DQ-2: the member's ID number is not already a current member's anywhere in the
    county. The refusal names the other household only when ``actor`` may see it; otherwise it
    says nothing about where the number is registered (no household, village or township)."""
    from monitoring.models import Member

    if not member.id_index:  # no valid number yet (MON-DQ-1 says so)
        return None
    clash = Member.objects.filter(id_index=member.id_index, status=Member.Status.ACTIVE)
    if member.pk:
        clash = clash.exclude(pk=member.pk)
    other = clash.select_related("household").first()
    if other is None:
        return None
    if Member.objects.visible_to(actor).filter(pk=other.pk).exists():
        return MON_DQ_2.violation(
            "id_number",
            _("This ID number already belongs to a member of household %(n)s.")
            % {"n": other.household.household_number},
        )
    return MON_DQ_2.violation(
        "id_number",
        _("This ID number cannot be registered here. Contact the rural revitalisation bureau."),
    )
