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
