"""Public-welfare posts (乡村公益性岗位, DOMAIN.md §6.3): the area's posts with what each has been
paid, a new post of a village (its holder's job is recorded with it, so the post counts towards
the target), the post's page with its months paid and reversed, a month's pay, a reversal, the
post's end and its correction. Each form posts to its own address; a refusal comes back beside
the fields of that form, with nothing written."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employment.codes import PostFunding
from employment.filters import PostFilter
from employment.forms import posts as forms
from employment.models import PostPayment, WelfarePost
from employment.selectors.posts import post_months, posts_for
from employment.services import posts as services
from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.areas.models import Area
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form, save_with_every_error
from kaiyuan.common.scoping import get_for_user, may_change, user_may_write
from kaiyuan.common.views import lenient_filterset
from monitoring.models import CodeItem

POST_ROWS = WelfarePost.objects.select_related(
    "area__parent", "holder__household", "funding_asset", "created_by"
)


def _post(user, pk: int, *, write: bool = False) -> WelfarePost:
    """The post, or 404 (hidden and missing alike); a write by someone who may not change it
    (a reader, an area above the user's) is 403."""
    post = get_for_user(POST_ROWS, user, write=write, pk=pk)
    if write and not may_change(user, post):
        raise PermissionDenied
    return post


def _may_write(user, post: WelfarePost | None = None) -> bool:
    if not user_can(user, "employment.posts") or not user_may_write(user):
        return False
    return post is None or may_change(user, post)


def _id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


# =============================================================================================
# The list
# =============================================================================================


@capability_required("employment.use")
def post_list(request):
    """The area's posts with the list's filters (the API's ``PostFilter``), each with its
    station or source and what it has been paid; one query for the rows whatever their
    number."""
    user = request.user
    filterset = lenient_filterset(PostFilter, request.GET, queryset=posts_for(user), user=user)
    rows = filterset.qs.order_by("area__code", "post_type", "-start_date", "id")
    page = probe_page(rows, request.GET.get("page"))
    return render(
        request,
        "employment/posts/post_list.html",
        {
            "page": page,
            "pick": filterset.pick,
            "chosen": filterset.form.cleaned_data,
            "types": CodeItem.objects.values_of("welfare_job_type"),
            "fundings": PostFunding.choices,
            "query": query_without_page(request),
            "may_create": _may_write(user),
        },
    )


# =============================================================================================
# A new post
# =============================================================================================


def _village(user, raw: str | None) -> Area | None:
    """The village asked for, among those the user may change; a village user's own."""
    if user.area is not None and user.area.level == Area.Level.VILLAGE:
        return user.area
    pk = _id(raw)
    if pk is None:
        return None
    village = Area.objects.visible_to(user).villages().select_related("parent").filter(pk=pk)
    village = village.first()
    if village is None:
        raise Http404
    return village


def _problems(form: forms.PostForm, village: Area):
    """The post's and its job's rules for what the form holds (typed by the form, so a choice
    left empty does not hide them), beside the form's own errors."""
    details = form.details()
    if details is None:
        return []
    try:
        return services.post_problems(village, details)
    except DomainError:
        return []


@capability_required("employment.use")
def post_new(request):
    """A post of a village: the village first (it decides the stations and people offered),
    then the post."""
    user = request.user
    require(user, "employment.posts")
    if not user_may_write(user):
        raise PermissionDenied
    village = _village(user, request.GET.get("village"))
    if village is None:
        return render(
            request,
            "employment/posts/post_form.html",
            {"village_form": forms.VillageForm(user=user), "title": _("A new public-welfare post")},
        )
    form = forms.PostForm(request.POST or None, village=village, user=user)
    if request.method == "POST":
        post = save_with_every_error(
            form,
            save=lambda: services.post_create(village=village, details=form.details(), actor=user),
            problems=lambda: _problems(form, village),
            user=user,
        )
        if post is not None:
            messages.success(request, _("The post was created and its holder's job recorded."))
            return redirect(post)
    return render(
        request,
        "employment/posts/post_form.html",
        {
            "form": form,
            "village": village,
            "village_fixed": user.area is not None and user.area.level == Area.Level.VILLAGE,
            "title": _("A new public-welfare post"),
        },
        status=400 if form.errors else 200,
    )


# =============================================================================================
# The post's page and its steps
# =============================================================================================


def _open_month(months) -> datetime.date | None:
    """The first month of the period not paid, up to this month."""
    this_month = today().replace(day=1)
    return next((m.month for m in months if m.open and m.month <= this_month), None)


def _detail_page(request, post: WelfarePost, **bound):
    user = request.user
    months = post_months(post)
    may_write = _may_write(user, post)
    context = {
        "post": post,
        "job": post.records.select_related("verified_by").order_by("-id").first(),
        "months": months,
        "paid": sum((month.paid for month in months), Decimal("0.00")),
        "may_write": may_write,
    }
    if may_write:
        reverse_form = bound.get("reverse_form")
        for month in months:
            for entry in month.entries:
                if entry.is_reversal or entry.is_reversed:
                    continue
                entry.reverse_form = (
                    reverse_form
                    if reverse_form is not None and bound.get("payment") == entry.pk
                    else forms.ReverseForm(payment_id=entry.pk)
                )
        context["pay_form"] = bound.get("pay_form") or forms.PayForm(
            post=post, open_month=_open_month(months)
        )
        if post.end_date is None:
            context["end_form"] = bound.get("end_form") or forms.EndForm(
                initial={"version": post.version}
            )
    return render(
        request,
        "employment/posts/post_detail.html",
        context,
        status=400 if bound else 200,
    )


@capability_required("employment.use")
def post_detail(request, pk: int):
    return _detail_page(request, _post(request.user, pk))


@require_POST
@capability_required("employment.use")
def post_pay(request, pk: int):
    require(request.user, "employment.posts")
    post = _post(request.user, pk, write=True)
    form = forms.PayForm(request.POST, post=post)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.post_pay(
                post=post,
                month=data["month"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(
                request,
                _("The pay of %(month)s was recorded.") % {"month": f"{payment.month:%Y-%m}"},
            )
            return redirect(post)
    return _detail_page(request, post, pay_form=form)


@require_POST
@capability_required("employment.use")
def payment_reverse(request, pk: int):
    require(request.user, "employment.posts")
    payment = PostPayment.objects.filter(pk=pk).only("id", "post_id").first()
    if payment is None:
        raise Http404
    post = _post(request.user, payment.post_id, write=True)
    payment = PostPayment.objects.select_related("post__area").get(pk=pk)
    form = forms.ReverseForm(request.POST, payment_id=payment.pk)
    if form.is_valid():
        try:
            services.post_payment_reverse(
                payment=payment, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(
                request,
                _("The payment of %(month)s was reversed.") % {"month": f"{payment.month:%Y-%m}"},
            )
            return redirect(post)
    return _detail_page(request, post, reverse_form=form, payment=payment.pk)


@require_POST
@capability_required("employment.use")
def post_end(request, pk: int):
    require(request.user, "employment.posts")
    post = _post(request.user, pk, write=True)
    form = forms.EndForm(request.POST)
    if form.is_valid():
        try:
            services.post_end(
                post=post,
                end_date=form.cleaned_data["end_date"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The post was ended; its holder's job ends with it."))
            return redirect(post)
    return _detail_page(request, post, end_form=form)


@capability_required("employment.use")
def post_edit(request, pk: int):
    """The post corrected over the version the user opened (someone else's change is never
    overwritten); its holder's job follows it."""
    user = request.user
    require(user, "employment.posts")
    post = _post(user, pk, write=True)
    form = forms.PostEditForm(request.POST or None, post=post, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_change(
                post=post,
                details=form.details(),
                expected_version=form.cleaned_data["version"],
                actor=user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=user)
        else:
            messages.success(request, _("The post was saved."))
            return redirect(post)
    return render(
        request,
        "employment/posts/post_form.html",
        {"form": form, "post": post, "village": post.area, "title": _("Edit the post")},
        status=400 if form.errors else 200,
    )
