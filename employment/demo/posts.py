"""The villages' public-welfare posts (乡村公益性岗位, DOMAIN.md §6.3): in most villages with people
who can take one, one to four posts of the code table's types, held by people of the village's
脱贫 and monitored households with some labour (those the registry already records in a post,
those with weak labour and older people first), a post a year from 2024 on, at 500–800 yuan a
month. The people a PV station's distribution pays for public-welfare jobs (the first use of its
6:3:1 split, in the asset ledger) hold posts in their villages paid from that station's income,
as do the other posts of a village with a station; the others are paid from the post subsidy or
a named source. A few posts begin later in a year, a few of this year's have ended.

Each post's holder has its job record, as ``post_create`` writes it (公益性岗位 of the post's type,
公益性岗位灵活兜底一批, in the village, at the post's pay). Every past month of a post is paid in
the first half of the month after, written once as ledger entries; one month was paid short, then
reversed and paid again. Each post and payment is checked as the services check them."""

from __future__ import annotations

import datetime
import math

from django.db.models import Q
from django.utils import timezone

from assets.codes import AssetStatus, AssetType, LineUse
from assets.demo.distributions import POST_OF_JOB
from assets.models import Asset, DistributionLine
from employment.codes import Batch, JobType, PlaceCategory, PostFunding, Source
from employment.demo import DAY, YEARS, month_first, next_month, year_end
from employment.demo.records import Job
from employment.models import PostPayment, WelfarePost
from employment.rules import posts as rules
from kaiyuan.common.rules import refuse_errors
from monitoring.demo.households import Table
from monitoring.models import CodeItem
from monitoring.models.codes import INITIAL

DUTIES = {
    "护林员": "巡山护林，森林防火宣传",
    "护路员": "村内道路日常养护，清理边沟",
    "保洁员": "村内道路及公共场所保洁",
    "护水员": "巡查河道沟渠，保护饮用水源",
    "护理员": "照料村内失能、半失能老人",
    "村务管理员": "协助村委会整理村务档案，宣传惠民政策",
    "其他": "协助开展农村人居环境整治",
}
PAY = {"护理员": (7, 8), "村务管理员": (6, 8), "护林员": (6, 7)}  # hundreds of yuan a month
OTHER_SOURCES = ("村集体经济收入", "社会帮扶资金")
VILLAGES_WITHOUT_POSTS = 0.15
REVERSAL_REASON = "该月岗位补贴少发100元，冲销后按月标准重新发放"


class PostsDemo:
    """Part of ``employment.demo.employment.EmploymentDemo``."""

    def posts(self) -> None:
        rng = self.rng
        types = CodeItem.objects.values_of("welfare_job_type") or list(INITIAL["welfare_job_type"])
        stations, by_id = {}, {}
        for asset in (
            Asset.objects.filter(asset_type=AssetType.PV_STATION)
            .exclude(status=AssetStatus.DISPOSED)
            .order_by("area__code", "name", "id")
        ):
            stations.setdefault(asset.area_id, asset)
            by_id[asset.pk] = asset
        # The people the stations' distributions pay as post holders (the asset ledger's lines):
        # their posts, in their own villages, are paid from that station's income.
        job_of_post = {post: job for job, post in POST_OF_JOB.items()}
        named: dict[tuple[int, str], tuple[str, Asset]] = {}
        for household, payee, item, asset in (
            DistributionLine.objects.filter(
                Q(use=LineUse.PV_JOBS) & Q(household__isnull=False),
                distribution__asset__in=list(by_id),
            )
            .order_by("distribution__year", "id")
            .values_list("household_id", "payee", "item", "distribution__asset_id")
        ):
            named.setdefault((household, payee), (job_of_post.get(item, ""), by_id[asset]))
        self.post_rows: list[tuple[WelfarePost, object, object]] = []
        for village_id, people in sorted(
            self.by_village.items(), key=lambda i: self.villages[i[0]].code
        ):
            village = self.villages[village_id]
            station = stations.get(village_id)
            candidates = [
                w
                for w in people
                if not w.graduate
                and not w.registry_place
                and w.age(YEARS[-1]) <= 70
                and (
                    (w.member.household_id, w.member.name) in named
                    or (
                        w.age(YEARS[0]) >= 30
                        and (w.weak or w.member.welfare_job_type or w.age(YEARS[0]) >= 40)
                    )
                )
            ]
            paid_by_station = any((w.member.household_id, w.member.name) in named for w in people)
            if not candidates or (
                station is None and not paid_by_station and rng.random() < VILLAGES_WITHOUT_POSTS
            ):
                continue
            candidates.sort(
                key=lambda w: (
                    (w.member.household_id, w.member.name) not in named,
                    not w.member.welfare_job_type,
                    not w.weak,
                    w.member.household.household_number,
                    w.member.person_number,
                )
            )
            count = min(rng.randint(1, 4), max(1, math.ceil(len(people) / 4)), len(candidates))
            free_types = [t for t in types if t != "其他"]
            rng.shuffle(free_types)
            for holder in candidates[:count]:
                job, paying = named.get(
                    (holder.member.household_id, holder.member.name), ("", None)
                )
                post_type = (
                    job
                    or holder.member.welfare_job_type
                    or (free_types.pop() if free_types else "其他")
                )
                if post_type in free_types:
                    free_types.remove(post_type)
                holder.role = "post"
                self.hold(holder, village, post_type, paying or station)
        WelfarePost.objects.bulk_create([post for post, _w, _j in self.post_rows])
        for post, holder, job in self.post_rows:
            self.record(holder, job, post.start_date, post.end_date, post=post, months=post.months)
        self.counts["public-welfare posts"] = len(self.post_rows)
        self.pay_posts()

    def funding(self, village, station) -> dict:
        rng = self.rng
        if station is not None:
            return {"funding": PostFunding.PV_INCOME, "funding_asset": station}
        roll = rng.random()
        if roll < 0.15:
            return {"funding": PostFunding.OTHER, "funding_note": rng.choice(OTHER_SOURCES)}
        if roll < 0.25:
            return {
                "funding": PostFunding.PROJECT_INCOME,
                "funding_note": f"{village.name}产业帮扶项目收益",
            }
        return {"funding": PostFunding.POST_SUBSIDY}

    def hold(self, holder, village, post_type: str, station) -> None:
        """The holder's post in each year from the one it began: the whole year, the first
        beginning in spring for a few, and a few of this year's ended."""
        rng = self.rng
        low, high = PAY.get(post_type, (5, 7))
        monthly = rng.randint(low, high) * 100
        funding = self.funding(village, station)
        first = YEARS[0] if rng.random() < 0.85 else rng.choice(YEARS[1:])
        clerk = self.clerk(village.parent)
        for year in YEARS:
            if year < first or datetime.date(year, 1, 1) > self.today:
                continue
            start = datetime.date(year, 1, 1)
            if year == first and year > YEARS[0]:
                start = datetime.date(year, rng.randint(2, 5), 1)
            end = year_end(year) if year < self.today.year else None
            if end is None and rng.random() < 0.06 and start < self.today - 90 * DAY:
                # The holder left: the post ended at a month's end.
                end = month_first(self.today - rng.randint(30, 150) * DAY) - DAY
                end = max(end, start)
            if start > self.today:
                continue
            months = rules.months_spanned(start, end or year_end(year))
            post = WelfarePost(
                area=village,
                post_type=post_type,
                duties=DUTIES.get(post_type, DUTIES["其他"]),
                holder=holder.member,
                start_date=start,
                end_date=end,
                months=months,
                monthly_pay=monthly,
                created_by=clerk,
                created_at=self.moment(min(start + rng.randint(0, 10) * DAY, self.today)),
                **funding,
            )
            refuse_errors(
                rules.post_problems(
                    village=village,
                    holder=holder.member,
                    funding=post.funding,
                    funding_asset=post.funding_asset,
                    start=start,
                    end=end,
                    months=months,
                )
            )
            job = Job(
                job_type=JobType.WELFARE_POST,
                batch=Batch.WELFARE_POSTS,
                place_category=PlaceCategory.IN_COUNTY,
                place=village.full_name,
                welfare_job_type=post_type,
                wage=post.monthly_pay,
                channel=self.channel(Batch.WELFARE_POSTS),
                source=Source.EMPLOYER,
            )
            self.post_rows.append((post, holder, job))

    def pay_posts(self) -> None:
        """Every month of each post before this one, paid in the first half of the next."""
        rng = self.rng
        this_month = month_first(self.today)
        table = Table(PostPayment, now=timezone.now())
        payments = []
        for post, _holder, _job in self.post_rows:
            month = month_first(post.start_date)
            last = post.end_date or self.today
            while month < this_month and month <= last:
                paid_on = next_month(month) + rng.randint(4, 14) * DAY
                if paid_on > self.today:
                    break
                refuse_errors(
                    rules.payment_problems(
                        post=post, month=month, amount=post.monthly_pay, already_paid=False
                    )
                )
                payments.append(
                    table.row(
                        post_id=post.pk,
                        month=month,
                        amount=post.monthly_pay,
                        paid_on=paid_on,
                        recorded_by_id=post.created_by_id,
                        recorded_at=self.moment(paid_on),
                    )
                )
                month = next_month(month)
        # One month paid 100 yuan short, reversed and paid again (post_payment_reverse).
        past = [p for p in payments if p.month.year == YEARS[1]]
        wrong = rng.choice(past) if past else None
        table.reserve_ids(payments)
        corrections = []
        if wrong is not None:
            wrong.amount -= 100
            on = wrong.paid_on + 3 * DAY
            monthly = next(p.monthly_pay for p, _h, _j in self.post_rows if p.pk == wrong.post_id)
            common = {
                "post_id": wrong.post_id,
                "month": wrong.month,
                "paid_on": on,
                "recorded_by_id": wrong.recorded_by_id,
            }
            corrections = [
                table.row(
                    **common, amount=-wrong.amount, reverses_id=wrong.id, reason=REVERSAL_REASON
                ),
                table.row(**common, amount=monthly),
            ]
            for row in corrections:
                row.recorded_at = self.moment(on)
        table.insert(payments)
        table.insert(corrections)
        self.counts["post payments"] = len(payments) + len(corrections)
