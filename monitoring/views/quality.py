from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from kaiyuan.accounts.capabilities import require
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.paging import probe_page, query_without_page
from monitoring.rules.members import MEMBER_RULES
from monitoring.selectors import quality


@capability_required("monitoring.use")
def quality_overview(request):
    """Every data-quality rule broken in the user's area, per township."""
    require(request.user, "quality.view")
    rows, townships = quality.quality_overview(request.user)
    table = [
        {"row": row, "cells": [(t, row.by_township.get(t.code, 0)) for t in townships]}
        for row in rows
    ]
    return render(request, "monitoring/quality.html", {"table": table, "townships": townships})


@capability_required("monitoring.use")
def quality_rule(request, rule_id: str):
    """The members or households breaking one rule, with links to fix each."""
    require(request.user, "quality.view")
    township = request.GET.get("township", "")
    if any(rule.rule_id == rule_id for rule in MEMBER_RULES):
        subject = "member"
        rows = quality.broken_members(request.user, rule_id).select_related(
            "household", "household__area"
        )
        if township:
            rows = rows.filter(household__area__parent__code=township)
        rows = rows.order_by("household__household_number", "id")
        label = next(r for r in MEMBER_RULES if r.rule_id == rule_id).message()
    elif rule_id in quality.HOUSEHOLD_RULE_LABELS:
        subject = "household"
        rows = quality.broken_households(request.user, rule_id).select_related("area")
        if township:
            rows = rows.filter(area__parent__code=township)
        rows = rows.order_by("household_number")
        label = quality.HOUSEHOLD_RULE_LABELS[rule_id]
    else:
        raise Http404
    page = probe_page(rows, request.GET.get("page"))
    return render(
        request,
        "monitoring/quality_rule.html",
        {
            "rule_id": rule_id,
            "label": label,
            "subject": subject,
            "page": page,
            "query": query_without_page(request),
        },
    )
