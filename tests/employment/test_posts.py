"""The rules of a public-welfare post at their edges (EMP-POST, EMP-POST-PAY): the months it
employs (0, 1, 12, 13, and more than its period holds), its holder and station, and a month's
pay at the monthly pay and a fen above it, inside and outside the period, once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext

from employment.codes import Batch, JobType, PostFunding
from employment.models import EmploymentRecord, PostPayment
from employment.services import posts as services
from kaiyuan.common.rules import RulesBroken
from tests.assets.factories import legacy_asset
from tests.employment.factories import post_details, welfare_post, worker

pytestmark = pytest.mark.django_db
D = Decimal


def _refused_fields(village, details) -> dict[str, list[str]]:
    with pytest.raises(RulesBroken) as refusal:
        services.post_create(village=village, details=details, actor=_refused_fields.actor)
    found: dict[str, list[str]] = {}
    for violation in refusal.value.violations:
        found.setdefault(violation.field, []).append(violation.rule)
    return found


@pytest.fixture(autouse=True)
def _actor(clerk_a):
    _refused_fields.actor = clerk_a


class TestMonths:
    @pytest.mark.parametrize("months", [1, 12])
    def test_one_to_twelve_months_of_a_whole_year_are_taken(self, village_a, clerk_a, months):
        post = welfare_post(village_a, clerk_a, start_date=datetime.date(2026, 1, 1), months=months)
        assert post.months == months
        assert EmploymentRecord.objects.get(post=post).months_worked == months

    @pytest.mark.parametrize("months", [0, 13])
    def test_none_or_more_than_a_year_is_refused_on_the_months_once(
        self, village_a, clerk_a, months
    ):
        details = post_details(worker(village_a), start_date=datetime.date(2026, 1, 1))
        found = _refused_fields(village_a, post_details(details.holder, months=months))
        assert found == {"months": ["EMP-POST"]}
        assert not EmploymentRecord.objects.exists()

    def test_the_months_fit_in_the_rest_of_the_year(self, village_a, clerk_a):
        start = datetime.date(2026, 10, 15)  # October to December: three months
        assert welfare_post(village_a, clerk_a, start_date=start, months=3).months == 3
        found = _refused_fields(
            village_a, post_details(worker(village_a), start_date=start, months=4)
        )
        assert found == {"months": ["EMP-POST"]}

    def test_the_months_fit_between_start_and_end(self, village_a, clerk_a):
        period = {"start_date": datetime.date(2026, 3, 31), "end_date": datetime.date(2026, 5, 1)}
        assert welfare_post(village_a, clerk_a, months=3, **period).months == 3
        found = _refused_fields(village_a, post_details(worker(village_a), months=4, **period))
        assert "months" in found

    def test_ending_the_post_brings_the_months_down_to_those_it_spanned(self, village_a, clerk_a):
        post = welfare_post(village_a, clerk_a, months=10)  # from 1 March
        ended = services.post_end(
            post=post,
            end_date=datetime.date(2026, 6, 30),
            expected_version=post.version,
            actor=clerk_a,
        )
        assert (ended.months, ended.end_date) == (4, datetime.date(2026, 6, 30))
        job = EmploymentRecord.objects.get(post=post)
        assert (job.months_worked, job.end_date) == (4, datetime.date(2026, 6, 30))


class TestHolderAndFunding:
    def test_the_holders_job_is_a_welfare_post_of_the_village(self, village_a, clerk_a):
        post = welfare_post(village_a, clerk_a)
        job = EmploymentRecord.objects.get(post=post)
        assert (job.member, job.job_type, job.batch, job.welfare_job_type) == (
            post.holder,
            JobType.WELFARE_POST,
            Batch.WELFARE_POSTS,
            "保洁员",
        )
        assert (job.monthly_wage, job.place) == (D("500.00"), village_a.full_name)

    def test_a_person_of_another_village_is_refused(self, village_a, village_a2, clerk_a):
        found = _refused_fields(village_a, post_details(worker(village_a2)))
        assert found == {"holder": ["EMP-POST"]}

    def test_a_pv_post_names_a_pv_station(self, village_a, clerk_a):
        holder = worker(village_a)
        pv = {"funding": PostFunding.PV_INCOME}
        assert _refused_fields(village_a, post_details(holder, **pv)) == {
            "funding_asset": ["EMP-POST"]
        }
        from assets.codes import AssetType

        farm = legacy_asset(village_a, clerk_a, asset_type=AssetType.FARM_BASE, name="基地")
        assert _refused_fields(village_a, post_details(holder, funding_asset=farm, **pv)) == {
            "funding_asset": ["EMP-POST"]
        }
        station = legacy_asset(village_a, clerk_a)
        post = welfare_post(village_a, clerk_a, holder, funding_asset=station, **pv)
        assert post.funding_asset == station


class TestPay:
    @pytest.fixture
    def post(self, village_a, clerk_a):
        return welfare_post(
            village_a,
            clerk_a,
            start_date=datetime.date(2026, 3, 10),
            end_date=datetime.date(2026, 8, 20),
            months=6,
        )

    def pay(self, post, clerk, month, amount="500.00"):
        return services.post_pay(
            post=post,
            month=month,
            amount=D(amount),
            paid_on=datetime.date(2026, 11, 30),
            actor=clerk,
        )

    def refused(self, post, clerk, month, amount="500.00") -> dict[str, str]:
        with pytest.raises(RulesBroken) as refusal:
            self.pay(post, clerk, month, amount)
        return {v.field: v.message for v in refusal.value.violations}

    def test_the_monthly_pay_is_taken_and_a_fen_more_refused(self, post, clerk_a):
        assert self.refused(post, clerk_a, datetime.date(2026, 4, 1), "500.01") == {
            "amount": gettext("The post pays %(pay)s a month.") % {"pay": "500.00"}
        }
        assert self.pay(post, clerk_a, datetime.date(2026, 4, 1), "500.00").amount == D("500.00")

    def test_the_first_and_last_months_of_the_period_are_paid_and_not_beyond(self, post, clerk_a):
        for outside in (datetime.date(2026, 2, 1), datetime.date(2026, 9, 1)):
            assert set(self.refused(post, clerk_a, outside)) == {"month"}
        self.pay(post, clerk_a, datetime.date(2026, 3, 1))
        self.pay(post, clerk_a, datetime.date(2026, 8, 1))
        assert PostPayment.objects.count() == 2

    def test_a_month_is_paid_once_until_its_payment_is_reversed(self, post, clerk_a):
        payment = self.pay(post, clerk_a, datetime.date(2026, 5, 1))
        assert self.refused(post, clerk_a, datetime.date(2026, 5, 1)) == {
            "month": gettext("This month of the post is already paid.")
        }
        services.post_payment_reverse(payment=payment, reason="金额录错", actor=clerk_a)
        again = self.pay(post, clerk_a, datetime.date(2026, 5, 1), "450.00")
        assert again.amount == D("450.00")
        assert sorted(PostPayment.objects.values_list("amount", flat=True)) == [
            D("-500.00"),
            D("450.00"),
            D("500.00"),
        ]
