"""The labour force of an area month by month (DOMAIN.md §2.5.4, EMP-1): the members with
labour ability of its 脱贫 and monitored households, each with the job(s) they held in the
month or none; and the people registered without labour ability but recorded as working, for
the township or county to review (EMP-4)."""

from __future__ import annotations

from django.shortcuts import render

from employment.forms.labour import LabourForm
from employment.selectors import labour as selectors
from employment.selectors.records import unreviewed_flags
from kaiyuan.accounts.capabilities import user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.areas.picker import area_pick
from kaiyuan.common.dates import today
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import shown_to
from kaiyuan.common.scoping import in_area_q, user_may_write
from monitoring.models import Member


def _may_record(user) -> bool:
    return user_can(user, "employment.record") and user_may_write(user)


@capability_required("employment.use")
def labour_force(request):
    """Who of the area's labour force works in the month chosen (this month by default), in a
    constant number of queries whatever the page's length."""
    user = request.user
    form = LabourForm(request.GET, today=today())
    month = form.value("month")
    pick = area_pick(user, form.value("township"), form.value("village"))
    working = form.value("working")
    members = selectors.labour_force(user, month.year, month.month, working=working)
    if pick.scope is not None and pick.scope.pk != user.area_id:
        members = members.filter(in_area_q(Member, pick.scope.path))
    page = probe_page(members, request.GET.get("page"))
    return render(
        request,
        "employment/labour/labour_force.html",
        {
            "page": page,
            "pick": pick,
            "month": month,
            "month_value": month.strftime("%Y-%m"),
            "this_month": today().strftime("%Y-%m"),
            "working": working,
            "query": query_without_page(request),
            "may_record": _may_record(user),
        },
    )


@capability_required("employment.use")
def flagged(request):
    """EMP-4's list: the jobs of people registered without labour ability (or with weak labour
    outside the province) not yet reviewed, with the link to review each."""
    user = request.user
    rows = selectors.flagged_working(user).select_related("member__household__area__parent")
    rows = rows.order_by("member__household__area__code", "member_id", "-start_date", "-id")
    page = probe_page(rows, request.GET.get("page"))
    for record in page:
        record.flags = [(flag.rule, shown_to(user, flag)) for flag in unreviewed_flags(record)]
    return render(
        request,
        "employment/labour/flagged.html",
        {
            "page": page,
            "query": query_without_page(request),
            "may_review": user_can(user, "employment.review") and user_may_write(user),
        },
    )
