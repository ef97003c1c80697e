"""/api/v1/payments/: payments (拨付) of a project's funds under 报账制, and their 报账.

``POST`` records a payment through the payment service: the tranche rules (FND-1 … FND-4, the
household subsidy's PRJ-HH rules, the debt transfer's) are checked with the project's fund
account locked, and a refusal answers 400 with every broken rule in ``violations`` (``code`` is
the first rule's id, ``fnd_1``). A payment is never changed: ``/reverse/`` records its reversal
(answered, 201). Its 报账 is reported with the vouchers as a multipart upload (``/report/``), then
accepted or returned by finance (``/accept/``, ``/return/``), each with the 报账's ``version``.

A person's ID number is sent once, in the body of the ``POST``; it is kept encrypted and every
answer shows it masked (``payee_id_masked``), never the number, its cipher or its index.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from funds.api.allocations import REASON, FundReasonSerializer, FundViewSetMixin, positive, yuan
from funds.codes import PayeeKind, Tranche
from funds.filters import PaymentFilter
from funds.models import FundUse, Payment, Reimbursement
from funds.rules import payments as rules
from funds.selectors import payments as selectors
from funds.services import payments as services
from funds.services.payments import Inspection, Payee
from kaiyuan.accounts.capabilities import require
from kaiyuan.common.api import FlagSerializer, ModuleViewSet, ScopedPrimaryKeyField
from monitoring.models import Household
from projects.models import Project

VOUCHER_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}
MAX_VOUCHERS = 20


class ReimbursementSerializer(serializers.ModelSerializer):
    vouchers = serializers.SerializerMethodField(help_text=_("The vouchers' file names."))
    overdue = serializers.SerializerMethodField(
        help_text=_("Not reported within the days set after the payment.")
    )

    class Meta:
        model = Reimbursement
        fields = [
            "id",
            "status",
            "reported_on",
            "voucher_numbers",
            "vouchers",
            "accepted_on",
            "return_reason",
            "overdue",
            "version",
        ]
        read_only_fields = fields

    def get_vouchers(self, reimbursement) -> list[str]:
        return [voucher.name for voucher in reimbursement.vouchers.all()]

    def get_overdue(self, reimbursement) -> bool:
        return selectors.is_overdue(reimbursement.payment)


class PaymentSerializer(serializers.ModelSerializer):
    """A payment as lists and the detail show it; the payee's ID number only masked."""

    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    household_number = serializers.CharField(
        source="household.household_number", read_only=True, default=None
    )
    use_name = serializers.CharField(source="use.name", read_only=True, default=None)
    amount = yuan(read_only=True)
    reversed = serializers.BooleanField(read_only=True, help_text=_("A reversal records it."))
    reimbursement = ReimbursementSerializer(read_only=True)
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "project",
            "project_code",
            "project_name",
            "tranche",
            "amount",
            "paid_on",
            "payee_name",
            "payee_account",
            "payee_bank",
            "payee_kind",
            "payee_uscc",
            "payee_id_masked",
            "household",
            "household_number",
            "basis",
            "progress_report",
            "acceptance",
            "placement",
            "inspected_on",
            "inspected_by",
            "inspection_note",
            "use",
            "use_name",
            "reverses",
            "reason",
            "reversed",
            "reimbursement",
            "flags",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_flags(self, payment) -> list[dict]:
        return FlagSerializer([v.as_dict() for v in rules.use_flags(payment.use)], many=True).data


class PaymentCreateSerializer(serializers.Serializer):
    project = ScopedPrimaryKeyField(queryset=Project.objects.all())
    tranche = serializers.ChoiceField(choices=Tranche.choices)
    amount = positive()
    paid_on = serializers.DateField()
    payee_name = serializers.CharField(max_length=120)
    payee_account = serializers.CharField(max_length=40)
    payee_bank = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    payee_kind = serializers.ChoiceField(choices=PayeeKind.choices)
    payee_uscc = serializers.CharField(
        max_length=18,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("An entity's unified social credit code."),
    )
    payee_id_number = serializers.CharField(
        max_length=18,
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        help_text=_("A person's ID number; kept encrypted, answered masked."),
    )
    basis = serializers.CharField(
        max_length=200, help_text=_("The document it rests on (contract, report, acceptance).")
    )
    household = ScopedPrimaryKeyField(
        queryset=Household.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The household of a household subsidy (到户补贴)."),
    )
    inspected_on = serializers.DateField(required=False, allow_null=True, default=None)
    inspected_by = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    inspection_note = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    use = serializers.PrimaryKeyRelatedField(
        queryset=FundUse.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The use it is tagged with (a prohibited one is flagged for finance)."),
    )


class ReimbursementVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("The 报账's version (reimbursement.version)."))


class ReimbursementReturnSerializer(ReimbursementVersionSerializer):
    reason = serializers.CharField(max_length=REASON, help_text=_("What must be corrected."))


class ReimbursementReportSerializer(ReimbursementVersionSerializer):
    reported_on = serializers.DateField()
    voucher_numbers = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    vouchers = serializers.ListField(
        child=serializers.FileField(max_length=200, allow_empty_file=False),
        required=False,
        default=list,
        max_length=MAX_VOUCHERS,
        help_text=_("The vouchers (PDF, JPEG or PNG), as a multipart upload."),
    )

    def validate_vouchers(self, files):
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        for upload in files:
            if Path(upload.name).suffix.lower() not in VOUCHER_TYPES:
                raise serializers.ValidationError(_("Upload vouchers as PDF, JPEG or PNG files."))
            if upload.size > limit:
                raise serializers.ValidationError(
                    _("A voucher is at most %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}
                )
        return files


@extend_schema(tags=["funds"])
class PaymentViewSet(FundViewSetMixin, ModuleViewSet):
    """The payments of the projects the user sees, with their 报账."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = Payment.objects.all()
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter

    def get_queryset(self):
        return selectors.with_overdue(selectors.payments_for(self.request.user)).prefetch_related(
            "reimbursement__vouchers"
        )

    @extend_schema(request=PaymentCreateSerializer, responses={201: PaymentSerializer})
    def create(self, request, *args, **kwargs):
        """A payment, checked against the tranche rules."""
        require(request.user, "funds.pay")
        values = self._valid(PaymentCreateSerializer)
        payee = Payee(
            name=values.pop("payee_name"),
            account=values.pop("payee_account"),
            bank=values.pop("payee_bank"),
            kind=values.pop("payee_kind"),
            uscc=values.pop("payee_uscc"),
            id_number=values.pop("payee_id_number"),
        )
        inspection = Inspection(
            on=values.pop("inspected_on"),
            by=values.pop("inspected_by"),
            note=values.pop("inspection_note"),
        )
        payment = services.payment_record(
            payee=payee, inspection=inspection, actor=request.user, **values
        )
        return self._answer(payment, status.HTTP_201_CREATED)

    @extend_schema(request=FundReasonSerializer, responses={201: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """A payment recorded in error, reversed (dated today); answers the reversal."""
        payment = self.get_object()
        values = self._valid(FundReasonSerializer)
        reversal = services.payment_reverse(payment=payment, actor=request.user, **values)
        return self._answer(reversal, status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": ReimbursementReportSerializer},
        responses={200: PaymentSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def report(self, request, pk=None):
        """报账: reported with its vouchers (a first report needs at least one file)."""
        payment = self.get_object()
        require(request.user, "funds.pay")
        values = self._valid(ReimbursementReportSerializer)
        services.reimbursement_report(
            reimbursement=payment.reimbursement,
            reported_on=values["reported_on"],
            voucher_numbers=values["voucher_numbers"],
            vouchers=values["vouchers"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._answer(payment)

    @extend_schema(request=ReimbursementVersionSerializer, responses={200: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Finance accepts the 报账."""
        payment = self.get_object()
        require(request.user, "funds.reimbursement_accept")
        values = self._valid(ReimbursementVersionSerializer)
        services.reimbursement_decide(
            reimbursement=payment.reimbursement,
            accept=True,
            reason="",
            expected_version=values["version"],
            actor=request.user,
        )
        return self._answer(payment)

    @extend_schema(request=ReimbursementReturnSerializer, responses={200: PaymentSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Finance returns the 报账 with what must be corrected."""
        payment = self.get_object()
        require(request.user, "funds.reimbursement_accept")
        values = self._valid(ReimbursementReturnSerializer)
        services.reimbursement_decide(
            reimbursement=payment.reimbursement,
            accept=False,
            reason=values["reason"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._answer(payment)
