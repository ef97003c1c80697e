"""Disposal of an asset (处置): proposed, decided by its owner, approved by the bureau, then
carried out with its proceeds recorded. Arbitrary disposal is what the plan forbids, so each step
is its own audited act (DOMAIN.md §5.6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.codes import DisposalMethod
from kaiyuan.common.scoping import AreaScopedQuerySet
from kaiyuan.common.workflow import COUNTY, TOWNSHIP, VILLAGE, Step, Workflow

MONEY = {"max_digits": 14, "decimal_places": 2}


class Disposal(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DECIDED = "decided", _("Decided by the owner")
        APPROVED = "approved", _("Approved by the bureau")
        COMPLETED = "completed", _("Disposed")
        REFUSED = "refused", _("Not approved")

    asset = models.ForeignKey(
        "assets.Asset",
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        related_name="disposals",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    method = models.CharField(_("method"), max_length=8, choices=DisposalMethod.choices)
    reason = models.CharField(_("reason"), max_length=300)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_on = models.DateField(_("owner decided on"), null=True, blank=True)
    decision = models.CharField(
        _("owner's decision"),
        max_length=300,
        blank=True,
        help_text=_("The meeting and its resolution, for example the villagers' representatives."),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    completed_on = models.DateField(_("disposed on"), null=True, blank=True)
    proceeds = models.DecimalField(_("proceeds (yuan)"), null=True, blank=True, **MONEY)
    proceeds_use = models.CharField(_("proceeds go to"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "asset__area"

    class Meta:
        verbose_name = _("disposal")
        verbose_name_plural = _("disposals")
        ordering = ["-proposed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proceeds__isnull=True) | Q(proceeds__gte=0),
                name="disposal_proceeds_not_negative",
            ),
            models.UniqueConstraint(
                fields=["asset"],
                condition=Q(status__in=["proposed", "decided", "approved"]),
                name="disposal_one_open_per_asset",
                violation_error_message=_("This asset already has a disposal under way."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} {self.get_method_display()}"

    def get_absolute_url(self) -> str:
        return reverse("assets:disposal_detail", args=[self.pk])


S = Disposal.Status
OPEN_DISPOSAL_STATES = (S.PROPOSED, S.DECIDED, S.APPROVED)
OWNER = (VILLAGE, TOWNSHIP)
DISPOSAL_WORKFLOW = Workflow(
    name=_("disposal"),
    transitions={
        S.PROPOSED: {S.DECIDED, S.REFUSED},
        S.DECIDED: {S.APPROVED, S.REFUSED},
        S.APPROVED: {S.COMPLETED},
    },
    steps=(
        # The owner's steps are entered by the township clerk for the village collective.
        Step("propose_disposal", _("Disposal proposed"), "assets.dispose", VILLAGE, by=OWNER),
        Step("owner_decide", _("Owner decided to dispose"), "assets.dispose", VILLAGE, by=OWNER),
        Step("owner_keep", _("Owner decided to keep"), "assets.dispose", VILLAGE, by=OWNER),
        Step(
            "approve_disposal",
            _("Disposal approved"),
            "assets.approve_disposal",
            COUNTY,
            approves=True,
            notifies_proposer=True,
        ),
        Step(
            "refuse_disposal",
            _("Disposal not approved"),
            "assets.approve_disposal",
            COUNTY,
            notifies_proposer=True,
        ),
        Step("dispose", _("Asset disposed"), "assets.dispose", VILLAGE, by=OWNER),
    ),
    proposal_level=lambda disposal: VILLAGE,
    describe=lambda disposal: (str(disposal.asset), disposal.get_absolute_url()),
    proposer=lambda disposal: disposal.proposed_by_id,
)
