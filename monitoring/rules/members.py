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

from kaiyuan.common.dates import today as local_today
from kaiyuan.common.idcard import age_on
from kaiyuan.common.rules import Violation
from monitoring.codes import HAS_LABOUR, Health, HouseholdType, LabourSkill

ERROR, FLAG = "error", "flag"
WEAK_OR_NONE = (LabourSkill.WEAK, LabourSkill.NONE)
NOT_FULL_LABOUR = (LabourSkill.WEAK, LabourSkill.NONE, LabourSkill.LOST)


class MemberRule:
    rule_id = ""
    severity = ERROR
    field = ""

    def message(self) -> str:
        raise NotImplementedError

    def applies(self, member, household) -> bool:
        """True when ``member`` (of ``household``) breaks the rule."""
        raise NotImplementedError

    def broken(self, members: QuerySet) -> QuerySet:
        """The stored active members that break the rule."""
        raise NotImplementedError

    def check(self, member, household) -> Violation | None:
        if self.applies(member, household):
            return Violation(self.rule_id, self.field, self.message(), self.severity)
        return None


class EducationXorSchooling(MemberRule):
    rule_id, field = "MON-DQ-4", "education"

    def message(self) -> str:
        return _("Fill in exactly one of education and current schooling.")

    def applies(self, member, household) -> bool:
        return bool(member.education) == bool(member.schooling)

    def broken(self, members):
        return members.filter(
            (Q(education="") & Q(schooling="")) | (~Q(education="") & ~Q(schooling=""))
        )


class LabourAndHealthFilled(MemberRule):
    rule_id, field = "MON-DQ-5", "health"

    def message(self) -> str:
        return _("Labour skill must be one of the five values and health must be filled in.")

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
    rule_id, field = "MON-DQ-6", "work_place"

    def message(self) -> str:
        return _("The place of work is filled in if and only if months worked is more than 0.")

    def applies(self, member, household) -> bool:
        return bool(member.work_place.strip()) != (member.work_months > 0)

    def broken(self, members):
        return members.filter(
            (Q(work_place="") & Q(work_months__gt=0)) | (~Q(work_place="") & Q(work_months=0))
        )


class ExitedHasCriticalIllness(MemberRule):
    rule_id, field = "MON-DQ-7", "critical_illness_insurance"

    def message(self) -> str:
        return _("Every member of a poverty-exited household must have critical-illness insurance.")

    def applies(self, member, household) -> bool:
        return household.household_type == HouseholdType.EXITED and (
            member.critical_illness_insurance is not True
        )

    def broken(self, members):
        return members.filter(household__household_type=HouseholdType.EXITED).exclude(
            critical_illness_insurance=True
        )


class ExactlyOneMedicalInsurance(MemberRule):
    rule_id, field = "MON-DQ-8", "residents_medical_insurance"

    def message(self) -> str:
        return _(
            "Exactly one of residents' and employees' basic medical insurance must be 是 "
            "(not both, not neither)."
        )

    def applies(self, member, household) -> bool:
        return (member.residents_medical_insurance is True) == (
            member.employees_medical_insurance is True
        )

    def broken(self, members):
        residents = Q(residents_medical_insurance=True)
        employees = Q(employees_medical_insurance=True)
        return members.filter((residents & employees) | (~residents & ~employees))


class WorkingAgeShouldHaveLabour(MemberRule):
    rule_id, field, severity = "MON-DQ-10", "labour_skill", FLAG
    AGE_FROM, AGE_TO = 16, 59

    def message(self) -> str:
        return _(
            "A healthy poverty-exited member aged 16 to 59 who is not a student is recorded as "
            "without or with weak labour: please review."
        )

    def applies(self, member, household) -> bool:
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
    rule_id, field, severity = "MON-DQ-11", "labour_skill", FLAG

    def message(self) -> str:
        return _(
            "A member recorded as working away is recorded without, with lost or with weak "
            "labour: please review."
        )

    def applies(self, member, household) -> bool:
        return member.work_months > 0 and member.labour_skill in NOT_FULL_LABOUR

    def broken(self, members):
        return members.filter(work_months__gt=0, labour_skill__in=NOT_FULL_LABOUR)


class PhoneHasElevenDigits(MemberRule):
    rule_id, field, severity = "MON-DQ-PHONE", "phone", FLAG

    def message(self) -> str:
        return _("A phone number should have 11 digits.")

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
