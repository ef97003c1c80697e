"""Reads of payments and their 报账 that pages, exports and the API share."""

from __future__ import annotations

import datetime

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from funds.codes import ReimbursementStatus
from funds.models import Payment, Reimbursement
from funds.rules import payments as rules
from kaiyuan.common.dates import today
from kaiyuan.common.money import format_yuan
from kaiyuan.inbox.registry import Entry, Source
from kaiyuan.policy.services import policy_for


def payments_for(user) -> QuerySet:
    """The payments ``user`` sees, with what their rows show (constant query count)."""
    return (
        Payment.objects.visible_to(user)
        .select_related("project", "household", "reimbursement", "use", "reverses")
        .annotate(reversed=Exists(Payment.objects.filter(reverses=OuterRef("pk"))))
    )


def open_reimbursements(queryset: QuerySet) -> QuerySet:
    """Payments whose 报账 is still owed (not reported, or returned), not reversals and not
    reversed."""
    return queryset.filter(
        reverses__isnull=True,
        reimbursement__status__in=(ReimbursementStatus.UNREPORTED, ReimbursementStatus.RETURNED),
    ).exclude(Exists(Payment.objects.filter(reverses=OuterRef("pk"))))


def reimbursement_days(on: datetime.date | None = None) -> int:
    """FND-5's days, from the policy of the year of ``on`` (today): the overdue flags, the due
    dates and the inbox's deadlines all read this one."""
    return policy_for((on or today()).year).reimbursement_days


def due_of(payment: Payment) -> datetime.date:
    return rules.reimbursement_due(payment.paid_on, reimbursement_days())


def _overdue_q(on: datetime.date | None) -> Q:
    return rules.reimbursement_overdue_q(reimbursement_days(on), on or today())


def overdue_reimbursements(queryset: QuerySet, *, on: datetime.date | None = None) -> QuerySet:
    """FND-5: payments not reported within the days set (the policy of the current year; the
    due day itself is not yet overdue)."""
    return queryset.filter(_overdue_q(on))


def with_overdue(queryset: QuerySet, *, on: datetime.date | None = None) -> QuerySet:
    """Payments with ``overdue`` (FND-5), for lists that mark it (one policy read)."""
    return queryset.annotate(
        overdue=Case(When(_overdue_q(on), then=True), default=False, output_field=BooleanField())
    )


def is_overdue(payment: Payment, *, on: datetime.date | None = None) -> bool:
    """FND-5 for one payment (the ``overdue`` of ``with_overdue`` when it has it)."""
    if on is None and hasattr(payment, "overdue"):
        return payment.overdue
    day = on or today()
    reversed_ = getattr(payment, "reversed", None)
    if reversed_ is None:
        reversed_ = payment.is_reversed
    return (
        payment.reverses_id is None
        and not reversed_
        and payment.reimbursement.status == ReimbursementStatus.UNREPORTED
        and rules.reimbursement_overdue(payment.paid_on, reimbursement_days(day), day)
    )


def _with_days(queryset: QuerySet) -> QuerySet:
    """The days the 报账 is due within, read once for the list (the current year's policy, as
    the overdue flag reads it) rather than once for each of its items."""
    days = reimbursement_days()
    return queryset.annotate(reimbursement_days=Value(days, output_field=IntegerField()))


def _reimbursement_entry(payment: Payment) -> Entry:
    days = getattr(payment, "reimbursement_days", None) or reimbursement_days()
    return Entry(
        subject=str(payment.project),
        url=payment.get_absolute_url(),
        since=payment.paid_on,
        deadline=rules.reimbursement_due(payment.paid_on, days),
        detail=f"{payment.get_tranche_display()} {format_yuan(payment.amount)}",
    )


def _to_report(user) -> QuerySet:
    return _with_days(open_reimbursements(payments_for(user)).order_by("paid_on", "id"))


def _to_accept(user) -> QuerySet:
    return _with_days(
        payments_for(user)
        .filter(reimbursement__status=ReimbursementStatus.REPORTED, reverses__isnull=True)
        .order_by("reimbursement__reported_on", "id")
    )


INBOX_SOURCES = (
    Source(
        "funds.to_report",
        _("Payments to report for reimbursement (报账)"),
        "funds.pay",
        _to_report,
        _reimbursement_entry,
    ),
    Source(
        "funds.to_accept",
        _("报账 to accept"),
        "funds.reimbursement_accept",
        _to_accept,
        _reimbursement_entry,
    ),
)

__all__ = ["INBOX_SOURCES", "Reimbursement"]
