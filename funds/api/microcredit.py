"""/api/v1/microcredit-loans/: micro-credit of 脱贫户 and monitored households (小额信贷).

Each loan is listed with what is repaid, subsidised (贴息) and outstanding, and whether it is
overdue (``?overdue=true`` lists those). ``POST`` records a loan (FND-LOAN: the household, the
policy's amount and term); ``/repayments/`` and ``/subsidies/`` record what was repaid and the
interest subsidy of a period; ``/extend/`` the bank's extension (展期), with the loan's
``version``. Each answers the loan as it now stands. The borrower is named, never by ID number.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from funds.api.allocations import FundViewSetMixin, positive, yuan
from funds.codes import LoanPurpose
from funds.filters import MicrocreditLoanFilter
from funds.models import InterestSubsidy, LoanRepayment, MicrocreditLoan
from funds.selectors import microcredit as selectors
from funds.services import microcredit as services
from kaiyuan.accounts.capabilities import require
from kaiyuan.common.api import ModuleViewSet, ScopedPrimaryKeyField
from monitoring.models import Household, Member
from projects.models import Project

RATE = {"max_digits": 5, "decimal_places": 2, "coerce_to_string": True}


class LoanRepaymentSerializer(serializers.ModelSerializer):
    amount = yuan(read_only=True)

    class Meta:
        model = LoanRepayment
        fields = ["id", "amount", "repaid_on", "reverses", "reason"]
        read_only_fields = fields


class InterestSubsidySerializer(serializers.ModelSerializer):
    amount = yuan(read_only=True)

    class Meta:
        model = InterestSubsidy
        fields = ["id", "amount", "period_start", "period_end", "paid_on", "project", "reverses"]
        read_only_fields = fields


class MicrocreditLoanSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.household_number", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    village_name = serializers.CharField(source="household.area.name", read_only=True)
    borrower_name = serializers.CharField(source="borrower.name", read_only=True)
    amount = yuan(read_only=True)
    annual_rate = serializers.DecimalField(read_only=True, **RATE)
    repaid = yuan(read_only=True)
    subsidised = yuan(read_only=True, help_text=_("Interest subsidies (贴息) paid."))
    outstanding = yuan(read_only=True)
    final_due = serializers.DateField(read_only=True)
    overdue = serializers.SerializerMethodField(
        help_text=_("Past the (extended) due date with principal outstanding.")
    )

    class Meta:
        model = MicrocreditLoan
        fields = [
            "id",
            "household",
            "household_number",
            "head_name",
            "village_name",
            "borrower",
            "borrower_name",
            "bank",
            "contract_number",
            "amount",
            "issued_on",
            "term_months",
            "due_on",
            "extended_to",
            "final_due",
            "purpose",
            "purpose_note",
            "annual_rate",
            "repaid",
            "subsidised",
            "outstanding",
            "overdue",
            "version",
            "created_at",
        ]
        read_only_fields = fields

    def get_overdue(self, loan) -> bool:
        return loan.overdue  # annotated by selectors.microcredit.loans_for


class MicrocreditLoanDetailSerializer(MicrocreditLoanSerializer):
    repayments = LoanRepaymentSerializer(many=True, read_only=True)
    subsidies = InterestSubsidySerializer(many=True, read_only=True)

    class Meta(MicrocreditLoanSerializer.Meta):
        fields = [*MicrocreditLoanSerializer.Meta.fields, "repayments", "subsidies"]
        read_only_fields = fields


class LoanCreateSerializer(serializers.Serializer):
    household = ScopedPrimaryKeyField(queryset=Household.objects.all())
    borrower = ScopedPrimaryKeyField(
        queryset=Member.objects.all(), help_text=_("A member of the household.")
    )
    bank = serializers.CharField(max_length=60)
    contract_number = serializers.CharField(max_length=60)
    amount = positive()
    issued_on = serializers.DateField()
    term_months = serializers.IntegerField(min_value=1, max_value=600)
    purpose = serializers.ChoiceField(choices=LoanPurpose.choices)
    purpose_note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    annual_rate = serializers.DecimalField(min_value=Decimal("0"), max_value=Decimal("100"), **RATE)


class RepaymentInputSerializer(serializers.Serializer):
    amount = positive()
    repaid_on = serializers.DateField()


class SubsidyInputSerializer(serializers.Serializer):
    amount = positive()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    paid_on = serializers.DateField()
    project = ScopedPrimaryKeyField(
        queryset=Project.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The interest-subsidy project whose linkage funds pay it."),
    )


class ExtendSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("The version of the loan you loaded."))
    extended_to = serializers.DateField()


@extend_schema(tags=["funds"])
class MicrocreditLoanViewSet(FundViewSetMixin, ModuleViewSet):
    """Micro-credit loans of the households the user sees."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = MicrocreditLoan.objects.all()
    filterset_class = MicrocreditLoanFilter

    def get_queryset(self):
        rows = selectors.loans_for(self.request.user)
        if self.action == "list":
            return rows
        return rows.prefetch_related(
            Prefetch("repayments", queryset=LoanRepayment.objects.order_by("repaid_on", "id")),
            Prefetch("subsidies", queryset=InterestSubsidy.objects.order_by("period_start", "id")),
        )

    def get_serializer_class(self):
        if self.action == "list":
            return MicrocreditLoanSerializer
        return MicrocreditLoanDetailSerializer

    def _loan(self, loan, status_code=status.HTTP_201_CREATED):
        return self._answer(loan, status_code, MicrocreditLoanDetailSerializer)

    @extend_schema(request=LoanCreateSerializer, responses={201: MicrocreditLoanDetailSerializer})
    def create(self, request, *args, **kwargs):
        require(request.user, "funds.microcredit")
        values = self._valid(LoanCreateSerializer)
        loan = services.loan_create(actor=request.user, **values)
        return self._loan(loan)

    @extend_schema(
        request=RepaymentInputSerializer, responses={201: MicrocreditLoanDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def repayments(self, request, pk=None):
        loan = self.get_object()
        values = self._valid(RepaymentInputSerializer)
        services.repayment_record(loan=loan, actor=request.user, **values)
        return self._loan(loan)

    @extend_schema(request=SubsidyInputSerializer, responses={201: MicrocreditLoanDetailSerializer})
    @action(detail=True, methods=["post"])
    def subsidies(self, request, pk=None):
        loan = self.get_object()
        values = self._valid(SubsidyInputSerializer)
        services.subsidy_record(loan=loan, actor=request.user, **values)
        return self._loan(loan)

    @extend_schema(request=ExtendSerializer, responses={200: MicrocreditLoanDetailSerializer})
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """The bank's extension (展期)."""
        loan = self.get_object()
        values = self._valid(ExtendSerializer)
        services.loan_extend(
            loan=loan,
            extended_to=values["extended_to"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._loan(loan, status.HTTP_200_OK)
