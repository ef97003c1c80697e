"""The lists the bureau edits: the 四有 checklist of industry projects (PRJ-9, DOMAIN.md §10
Q-10) and the rural-construction 正面清单 / 负面清单 that model-village projects are checked
against (the plan's §四(四))."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FourHavesItem(models.Model):
    """One item of the 四有 checklist. Q-10: the plan names 四有 without defining it; the
    recommended four items are pre-filled and marked to confirm with the bureau."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    label = models.CharField(_("item"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    to_confirm = models.BooleanField(
        _("to confirm with the bureau"),
        default=False,
        help_text=_("The plan does not define 四有; an item kept from the recommended default."),
    )

    class Meta:
        verbose_name = _("四有 checklist item")
        verbose_name_plural = _("四有 checklist items")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class ConstructionListItem(models.Model):
    """One line of the rural-construction positive list (what model-village money may build) or
    negative list (what it may not)."""

    class Kind(models.TextChoices):
        POSITIVE = "positive", _("Positive list")
        NEGATIVE = "negative", _("Negative list")

    kind = models.CharField(_("list"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("item"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("rural-construction list item")
        verbose_name_plural = _("rural-construction list items")
        ordering = ["kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "text"], name="construction_item_unique")
        ]

    def __str__(self) -> str:
        return self.text


# The lists as the county starts them; the bureau edits both (Q-10: the 四有 items are the
# recommended default, each marked to confirm with the bureau).
FOUR_HAVES = [
    ("operating_entity", "有经营主体"),
    ("linkage_mechanism", "有联农带农机制"),
    ("stable_return", "有稳定收益"),
    ("risk_control", "有风险防控措施"),
]
POSITIVE = [
    "农村道路建设与养护",
    "农村供水保障",
    "农村厕所革命",
    "生活垃圾收运处置",
    "生活污水治理",
    "村容村貌提升",
    "村级综合服务设施",
    "农村养老、卫生、文化设施",
    "农村防灾减灾设施",
]
NEGATIVE = [
    "新建楼堂馆所",
    "形象工程（大广场、大公园、景观大道等）",
    "超出村庄实际的超标准建设",
    "大拆大建、违背农民意愿拆并村庄",
    "偿还债务或支付利息",
]


def load_default_lists(four_haves_model, construction_model) -> None:
    """The default lists, where missing (the migration, and after a flush)."""
    for order, (code, label) in enumerate(FOUR_HAVES, start=1):
        four_haves_model.objects.get_or_create(
            code=code, defaults={"label": label, "order": order, "to_confirm": True}
        )
    for kind, items in (("positive", POSITIVE), ("negative", NEGATIVE)):
        for order, text in enumerate(items, start=1):
            construction_model.objects.get_or_create(
                kind=kind, text=text, defaults={"order": order}
            )
