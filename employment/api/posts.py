"""/api/v1/welfare-posts/: public-welfare posts (乡村公益性岗位, DOMAIN.md §6.3) of the villages of
the user's area, each with its holder (the ID number only masked), what pays for it, its months
and monthly pay, what has been paid, and the job recorded for its holder.

``POST`` creates a post and records its holder's job with it; ``PUT``/``PATCH`` change it with
the ``version`` loaded (the job follows; a new holder is a new post); ``/pay/`` records the pay
of a month (a ledger entry). The detail lists the payments, reversals included. A broken rule
answers 400 with ``code`` (``emp_post``, ``emp_post_pay``) and ``violations``.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.db.models import (
    DecimalField,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from assets.models import Asset
from employment.api.records import VERSION_HELP, EmploymentViewSetMixin, optional, text
from employment.codes import PostFunding
from employment.filters import PostFilter
from employment.models import EmploymentRecord, PostPayment, WelfarePost
from employment.services import posts as services
from kaiyuan.accounts.capabilities import require
from kaiyuan.areas.models import Area
from kaiyuan.common.api import ModuleViewSet, ScopedPrimaryKeyField, money, require_version
from monitoring.models import Member

MONEY = DecimalField(max_digits=14, decimal_places=2)


class PostPaymentSerializer(serializers.ModelSerializer):
    amount = money(read_only=True, help_text=_("Negative for a reversal."))

    class Meta:
        model = PostPayment
        fields = ["id", "month", "amount", "paid_on", "reverses", "reason", "recorded_at"]
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer):
    village = serializers.IntegerField(source="area_id", read_only=True)
    village_name = serializers.CharField(source="area.name", read_only=True)
    township_name = serializers.CharField(source="area.parent.name", read_only=True, default=None)
    holder_name = serializers.CharField(source="holder.name", read_only=True)
    holder_id_number_masked = serializers.CharField(source="holder.id_masked", read_only=True)
    funding_asset_name = serializers.CharField(
        source="funding_asset.name", read_only=True, default=None
    )
    monthly_pay = money(read_only=True)
    paid = money(
        max_digits=14, read_only=True, help_text=_("What has been paid, reversals deducted.")
    )
    record = serializers.IntegerField(
        source="record_pk",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("The holder's job recorded with the post."),
    )

    class Meta:
        model = WelfarePost
        fields = [
            "id",
            "village",
            "village_name",
            "township_name",
            "post_type",
            "duties",
            "funding",
            "funding_asset",
            "funding_asset_name",
            "funding_note",
            "holder",
            "holder_name",
            "holder_id_number_masked",
            "start_date",
            "end_date",
            "months",
            "monthly_pay",
            "paid",
            "record",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class PostDetailSerializer(PostSerializer):
    payments = PostPaymentSerializer(many=True, read_only=True)

    class Meta(PostSerializer.Meta):
        fields = [*PostSerializer.Meta.fields, "payments"]
        read_only_fields = fields


class PostFieldsSerializer(serializers.Serializer):
    """The fields of ``services.posts.PostDetails`` but the holder, shape-checked only."""

    post_type = serializers.CharField(
        max_length=32, help_text=_("The public-welfare job type (护林员, 保洁员 …).")
    )
    duties = text(200)
    funding = serializers.ChoiceField(choices=PostFunding.choices)
    funding_asset = optional(
        ScopedPrimaryKeyField,
        queryset=Asset.objects.all(),
        help_text=_("The PV station whose income pays a PV-funded post."),
    )
    funding_note = text(120, help_text=_("The source, when another one pays for the post."))
    start_date = serializers.DateField()
    end_date = optional(serializers.DateField)
    months = serializers.IntegerField(min_value=1, max_value=12)
    monthly_pay = money(min_value=Decimal("0.01"))


class PostCreateSerializer(PostFieldsSerializer):
    village = ScopedPrimaryKeyField(queryset=Area.objects.filter(level=Area.Level.VILLAGE))
    holder = ScopedPrimaryKeyField(
        queryset=Member.objects.all(),
        help_text=_("A person of the village's 脱贫 or monitored households."),
    )


class PostUpdateSerializer(PostFieldsSerializer):
    """``PUT``: the post as it is now; ``PATCH``: only what changes. The holder stays."""

    version = serializers.IntegerField(help_text=VERSION_HELP)

    def validate(self, attrs):
        require_version(attrs)
        return attrs


class PostPaySerializer(serializers.Serializer):
    month = serializers.DateField(help_text=_("A day of the month paid for (its first day)."))
    amount = money(min_value=Decimal("0.01"))
    paid_on = serializers.DateField()


def posts_for(user):
    """The posts of the user's area, each with what is paid and its holder's job (two
    subqueries, any page size)."""
    paid = (
        PostPayment.objects.filter(post=OuterRef("pk"))
        .values("post")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    job = EmploymentRecord.objects.filter(post=OuterRef("pk")).order_by("-id").values("id")[:1]
    return (
        WelfarePost.objects.visible_to(user)
        .select_related("area__parent", "holder", "funding_asset")
        .annotate(
            paid=Coalesce(
                Subquery(paid, output_field=MONEY), Value(Decimal("0.00"), output_field=MONEY)
            ),
            record_pk=Subquery(job, output_field=IntegerField()),
        )
    )


@extend_schema(tags=["employment"])
class PostViewSet(EmploymentViewSetMixin, ModuleViewSet):
    """The public-welfare posts of the villages of the user's area."""

    queryset = WelfarePost.objects.all()
    filterset_class = PostFilter

    def get_queryset(self):
        rows = posts_for(self.request.user)
        if self.action == "list":
            return rows
        return rows.prefetch_related(
            Prefetch("payments", queryset=PostPayment.objects.order_by("month", "id"))
        )

    def get_serializer_class(self):
        return PostSerializer if self.action == "list" else PostDetailSerializer

    def _post(self, post, status_code=status.HTTP_200_OK):
        return self._answer(post, status_code, PostDetailSerializer)

    @extend_schema(request=PostCreateSerializer, responses={201: PostDetailSerializer})
    def create(self, request, *args, **kwargs):
        """A post created, and its holder's job recorded with it."""
        require(request.user, "employment.posts")
        values = self._valid(PostCreateSerializer)
        village = values.pop("village")
        post = services.post_create(
            village=village, details=services.PostDetails(**values), actor=request.user
        )
        return self._post(post, status.HTTP_201_CREATED)

    @extend_schema(request=PostUpdateSerializer, responses={200: PostDetailSerializer})
    def update(self, request, *args, **kwargs):
        """The post replaced (``PUT``) or corrected in part (``PATCH``); its job follows."""
        post = self.get_object()
        require(request.user, "employment.posts")
        values, version = self._update_values(PostUpdateSerializer, kwargs.get("partial", False))
        post = services.post_change(
            post=post,
            details=replace(services.PostDetails.of(post), **values),
            expected_version=version,
            actor=request.user,
        )
        return self._post(post)

    @extend_schema(request=PostUpdateSerializer, responses={200: PostDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        """The post corrected; what is not sent stays."""
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=PostPaySerializer, responses={201: PostDetailSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """The pay of a month recorded (once a month, within the post's period, at no more
        than its monthly pay)."""
        post = self.get_object()
        require(request.user, "employment.posts")
        values = self._valid(PostPaySerializer)
        services.post_pay(post=post, actor=request.user, **values)
        return self._post(post, status.HTTP_201_CREATED)
