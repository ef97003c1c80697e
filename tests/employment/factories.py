"""Employment records, posts, workshops and courses for the employment tests, written through
the services (their rules are what the tests are about)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import replace
from decimal import Decimal

from stdnum.cn import uscc as stdnum_uscc

from employment.codes import (
    Batch,
    CourseType,
    JobType,
    PlaceCategory,
    PostFunding,
    Source,
    WorkshopType,
)
from employment.services import posts, records, trainings, workshops
from tests.assets.factories import exited, monitored
from tests.monitoring.factories import make_household, make_member  # noqa: F401

_serial = itertools.count(1)


def company_uscc() -> str:
    """A valid credit code of a company registered in the county (§9.2)."""
    body = f"91211282MA{next(_serial):07d}"[:17]
    return body + stdnum_uscc.calc_check_digit(body)


def job(**fields) -> records.JobDetails:
    """A wage job in the county since 1 March 2026, nine months worked, absorbed by an industry
    project."""
    details = records.JobDetails(
        start_date=datetime.date(2026, 3, 1),
        months_worked=9,
        job_type=JobType.WAGE,
        batch=Batch.INDUSTRY,
        source=Source.VISIT,
        place_category=PlaceCategory.IN_COUNTY,
        place="开原市经济开发区",
        employer="开原市某食品有限公司",
    )
    return replace(details, **fields)


def record_job(member, actor, **fields):
    return records.record_create(member=member, details=job(**fields), actor=actor)


def worker(village, *, monitored_household: bool = False, **member_fields):
    """A member of a 脱贫户 (or monitored household) of ``village`` with ordinary labour."""
    household = monitored(village) if monitored_household else exited(village)
    return make_member(household, **member_fields)


def workshop(village, actor, **fields):
    details = workshops.WorkshopDetails(
        name=fields.pop("name", f"{village.name}帮扶车间{next(_serial)}"),
        workshop_type=fields.pop("workshop_type", WorkshopType.FACTORY),
        operator=fields.pop("operator", "开原市某服装有限公司"),
        operator_uscc=fields.pop("operator_uscc", None) or company_uscc(),
        opened_on=fields.pop("opened_on", datetime.date(2024, 5, 1)),
        **fields,
    )
    return workshops.workshop_create(village=village, details=details, actor=actor)


def course(area, actor, **fields):
    details = trainings.CourseDetails(
        course=fields.pop("course", "电工技能培训"),
        course_type=fields.pop("course_type", CourseType.SKILLS),
        organiser=fields.pop("organiser", "开原市人社局"),
        start_date=fields.pop("start_date", datetime.date(2026, 1, 5)),
        end_date=fields.pop("end_date", datetime.date(2026, 1, 20)),
        **fields,
    )
    return trainings.training_create(area=area, details=details, actor=actor)


def post_details(holder, **fields) -> posts.PostDetails:
    """A 保洁员 post paid from the post subsidy since 1 March 2026, ten months at 500.00."""
    details = posts.PostDetails(
        post_type="保洁员",
        funding=PostFunding.POST_SUBSIDY,
        holder=holder,
        start_date=datetime.date(2026, 3, 1),
        months=10,
        monthly_pay=Decimal("500.00"),
        duties="村内道路保洁",
    )
    return replace(details, **fields)


def welfare_post(village, actor, holder=None, **fields):
    """A post of ``village`` held by ``holder`` (a new 脱贫 worker of the village if none)."""
    holder = holder or worker(village)
    return posts.post_create(village=village, details=post_details(holder, **fields), actor=actor)
