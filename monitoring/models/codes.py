"""The editable code tables (risk types, disaster sub-items …) and their initial values
(DOMAIN.md §2.3, §2.4.2, §6.3, §10 Q-3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeItemQuerySet(models.QuerySet["CodeItem"]):
    def of(self, table: str) -> CodeItemQuerySet:
        return self.filter(table=table, active=True).order_by("sort_order", "value")

    def values_of(self, table: str) -> list[str]:
        return list(self.of(table).values_list("value", flat=True))


class CodeItem(models.Model):
    """One value of an editable national code table (the lists DOMAIN.md calls not final)."""

    class Table(models.TextChoices):
        RISK_TYPE = "risk_type", _("Risk type")
        DISASTER_SUBITEM = "disaster_subitem", _("Natural disaster sub-item")
        DROPOUT_REASON = "dropout_reason", _("Reason for dropping out")
        EMPLOYMENT_CHANNEL = "employment_channel", _("Employment channel")
        WELFARE_JOB_TYPE = "welfare_job_type", _("Public-welfare job type")
        POVERTY_CAUSE = "poverty_cause", _("Poverty cause (2014-2020 register)")

    table = models.CharField(_("code table"), max_length=32, choices=Table.choices)
    value = models.CharField(_("value"), max_length=64)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    objects = CodeItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("code table value")
        verbose_name_plural = _("code table values")
        ordering = ["table", "sort_order", "value"]
        constraints = [
            models.UniqueConstraint(fields=["table", "value"], name="codeitem_unique_value"),
        ]

    def __str__(self) -> str:
        return self.value


INITIAL = {
    "risk_type": (
        "因病",
        "因学",
        "因残",
        "因自然灾害",
        "因意外事故",
        "因产业项目失败",
        "因务工就业不稳",
        "缺劳动力",
        "因安全住房",
        "因安全饮水",
        "其他",
    ),
    "disaster_subitem": ("洪涝", "干旱", "地质灾害", "风雹", "低温冷冻和雪灾", "地震", "其他"),
    "dropout_reason": ("因病", "因残", "因贫", "厌学", "其他"),
    "employment_channel": ("政府组织", "企业招聘", "亲友介绍", "自主就业", "其他"),
    "welfare_job_type": ("护林员", "护路员", "保洁员", "护水员", "护理员", "村务管理员", "其他"),
    "poverty_cause": (
        "因病",
        "因残",
        "因学",
        "因灾",
        "缺土地",
        "缺水",
        "缺技术",
        "缺劳力",
        "缺资金",
        "交通条件落后",
        "自身发展动力不足",
        "因婚",
        "其他",
    ),
}


def load_code_tables(code_item_model) -> None:
    for table, values in INITIAL.items():
        for order, value in enumerate(values):
            code_item_model.objects.get_or_create(
                table=table, value=value, defaults={"sort_order": order}
            )
