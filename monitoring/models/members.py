"""Household members (家庭成员, DOMAIN.md §2.4.2); ID numbers are stored encrypted."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.dates import today
from kaiyuan.common.idcard import age_on
from kaiyuan.common.scoping import AreaScopedQuerySet
from monitoring.codes import (
    Education,
    Ethnicity,
    IdType,
    LabourSkill,
    PoliticalStatus,
    Relation,
    Schooling,
    Sex,
)


class MemberQuerySet(AreaScopedQuerySet):
    def active(self) -> MemberQuerySet:
        return self.filter(status=Member.Status.ACTIVE)


class Member(models.Model):
    """A person in a household (家庭成员, DOMAIN.md §2.4.2). Members are never deleted: a death,
    marriage or move ends their membership with a date and reason (``status = removed``).

    The ID number is stored encrypted (``id_cipher``) with a keyed blind index (``id_index``) for
    exact lookups; ``id_masked`` is what screens show to roles that do not need the full number.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Member")
        REMOVED = "removed", _("Removed")

    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    person_number = models.CharField(
        _("person number"), max_length=32, null=True, blank=True, unique=True
    )
    name = models.CharField(_("name of the person"), max_length=64)
    sex = models.CharField(_("sex"), max_length=2, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    id_type = models.CharField(
        _("ID document type"), max_length=16, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_cipher = models.TextField(_("ID number (encrypted)"), editable=False)
    id_index = models.CharField(_("ID number index"), max_length=64, editable=False)
    id_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    relation = models.CharField(_("relation to head"), max_length=8, choices=Relation.choices)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=8, choices=Ethnicity.choices, default="汉族"
    )
    political_status = models.CharField(
        _("political status"), max_length=8, choices=PoliticalStatus.choices, default="群众"
    )
    education = models.CharField(
        _("education"), max_length=8, choices=Education.choices, blank=True
    )
    schooling = models.CharField(
        _("current schooling"), max_length=16, choices=Schooling.choices, blank=True
    )
    dropout_reason = models.CharField(_("reason for dropping out"), max_length=32, blank=True)
    health = models.CharField(
        _("health"),
        max_length=32,
        help_text=_("One or more of 健康, 长期慢性病, 患有大病, 残疾, separated by commas."),
    )
    disability_category = models.CharField(_("disability category"), max_length=2, blank=True)
    disability_grade = models.CharField(_("disability grade"), max_length=2, blank=True)
    disability_certificate_year = models.PositiveSmallIntegerField(
        _("year the disability certificate was issued"), null=True, blank=True
    )
    labour_skill = models.CharField(_("labour skill"), max_length=16, choices=LabourSkill.choices)
    work_months = models.PositiveSmallIntegerField(_("months worked"), default=0)
    work_place = models.CharField(_("place of work"), max_length=100, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    works_abroad = models.BooleanField(_("works abroad"), default=False)
    employment_channel = models.CharField(_("employment channel"), max_length=32, blank=True)
    welfare_job_type = models.CharField(_("public-welfare job type"), max_length=32, blank=True)
    welfare_job_months = models.PositiveSmallIntegerField(
        _("public-welfare job (months)"), default=0
    )
    residents_medical_insurance = models.BooleanField(
        _("residents' basic medical insurance"), null=True
    )
    employees_medical_insurance = models.BooleanField(
        _("employees' basic medical insurance"), null=True
    )
    critical_illness_insurance = models.BooleanField(_("critical-illness insurance"), null=True)
    commercial_medical_insurance = models.BooleanField(
        _("commercial supplementary medical insurance"), null=True
    )
    medical_assistance = models.BooleanField(_("received medical assistance"), null=True)
    other_health_assistance = models.BooleanField(_("other health assistance"), null=True)
    residents_pension = models.BooleanField(_("residents' basic pension"), null=True)
    employees_pension = models.BooleanField(_("employees' basic pension"), null=True)
    dibao = models.BooleanField(_("minimum living allowance"), null=True)
    tekun = models.BooleanField(_("extreme-poverty support"), null=True)
    relocated = models.BooleanField(_("relocated person"), null=True)
    speaks_mandarin = models.BooleanField(_("speaks Mandarin"), null=True)
    phone = models.CharField(_("member phone"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_reason = models.CharField(_("reason for removal"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MemberQuerySet.as_manager()
    area_lookup = "household__area"

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household_id", "id"]
        indexes = [
            models.Index(fields=["id_index"], name="member_id_index"),
            models.Index(
                fields=["name"], name="member_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["household", "status"], name="member_household_status"),
        ]
        constraints = [
            # MON-DQ-2: one person, one current membership in the whole county.
            models.UniqueConstraint(
                fields=["id_index"],
                condition=Q(status="active"),
                name="member_unique_active_id",
                violation_error_message=_("This ID number already belongs to a member."),
            ),
            models.CheckConstraint(
                condition=Q(work_months__lte=12) & Q(welfare_job_months__lte=12),
                name="member_months_within_year",
                violation_error_message=_("Months in a year cannot exceed 12."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def sector_q(department: str) -> Q:
        """Department staff see the members of the households their warnings concern."""
        from monitoring.models.warnings import DeptWarning

        return Q(
            Exists(
                DeptWarning.objects.filter(household=OuterRef("household"), department=department)
            )
        )

    @property
    def age(self) -> int | None:
        """Completed years today. Pages and the API show the age, never the birth date, beside a
        masked ID number: the birth date is digits 7–14, exactly what the mask hides."""
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, today())

    @property
    def health_values(self) -> list[str]:
        return [part for part in self.health.split(",") if part]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
