"""Public-welfare posts on their pages: a post created for a village (its holder's job recorded,
so the person counts towards the target), a PV-funded post naming its station, the months paid,
refused and reversed, the end of a post and its correction over a stale page; the list with its
filters at a constant query count; the three access answers."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from assets.codes import AssetType
from employment.codes import Batch, JobType, PostFunding
from employment.models import EmploymentRecord, PostPayment, WelfarePost
from employment.selectors.counts import employment_count
from employment.services import posts as services
from monitoring.codes import LabourSkill
from tests.assets.factories import legacy_asset
from tests.employment.factories import make_household, make_member, welfare_post, worker

pytestmark = pytest.mark.django_db
D = Decimal


def _new(village) -> str:
    return f"{reverse('employment:post_new')}?village={village.pk}"


def _detail(post) -> str:
    return reverse("employment:post_detail", args=[post.pk])


def _form(holder, **changes) -> dict:
    data = {
        "post_type": "保洁员",
        "duties": "村内道路保洁",
        "funding": PostFunding.POST_SUBSIDY,
        "holder": holder.pk,
        "start_date": "2026-03-01",
        "months": "10",
        "monthly_pay": "500.00",
    }
    data.update(changes)
    return data


def _pay(client, post, month="2026-04-01", amount="500.00", paid_on="2026-11-30"):
    return client.post(
        reverse("employment:post_pay", args=[post.pk]),
        {"pay-month": month, "pay-amount": amount, "pay-paid_on": paid_on},
    )


@pytest.fixture
def post(village_a, clerk_a):
    return welfare_post(village_a, clerk_a)


# =============================================================================================
# A new post
# =============================================================================================


class TestNewPost:
    def test_the_post_records_its_holders_job_which_counts(
        self, client, clerk_a, village_a, county
    ):
        holder = worker(village_a, name="刘桂兰")
        client.force_login(clerk_a)
        first = client.get(reverse("employment:post_new"))
        assert first.status_code == 200 and "village_form" in first.context
        page = client.get(_new(village_a))
        offered = {pk for pk, _label in page.context["form"].fields["holder"].widget.choices}
        assert holder.pk in offered
        assert "保洁员" in dict(page.context["form"].fields["post_type"].choices)
        response = client.post(_new(village_a), _form(holder))
        post = WelfarePost.objects.get()
        assert response.status_code == 302 and response["Location"] == _detail(post)
        job = EmploymentRecord.objects.get(post=post)
        assert (job.member, job.job_type, job.batch, job.months_worked) == (
            holder,
            JobType.WELFARE_POST,
            Batch.WELFARE_POSTS,
            10,
        )
        assert employment_count(county, 2026, 12).total == 1
        detail = client.get(_detail(post)).content.decode()
        assert reverse("employment:record_detail", args=[job.pk]) in detail

    def test_the_holders_offered_are_the_villages_people_with_labour(
        self, client, clerk_a, village_a, village_a2
    ):
        able = worker(village_a, name="刘长青")
        watched = worker(village_a, monitored_household=True, name="刘春生")
        frail = worker(village_a, name="刘老汉", labour_skill=LabourSkill.NONE)
        ordinary = make_member(make_household(village_a, household_type="一般农户"), name="刘三")
        elsewhere = worker(village_a2, name="刘四")
        client.force_login(clerk_a)
        form = client.get(_new(village_a)).context["form"]
        offered = {pk for pk, _label in form.fields["holder"].widget.choices if pk}
        heads = {able.household.members.get(relation="户主").pk}
        heads.add(watched.household.members.get(relation="户主").pk)
        heads.add(frail.household.members.get(relation="户主").pk)
        assert offered == {able.pk, watched.pk, *heads}
        assert not offered & {frail.pk, ordinary.pk, elsewhere.pk}
        # The label shows a masked ID number, never the full one.
        label = dict(form.fields["holder"].widget.choices)[able.pk]
        assert able.id_masked in label and "*" in able.id_masked
        # A person of another village posted anyway is refused with the rule's reason.
        response = client.post(_new(village_a), _form(elsewhere))
        assert response.status_code == 400
        assert response.context["form"].errors["holder"] == [
            gettext("%(name)s does not live in %(village)s.")
            % {"name": "刘四", "village": village_a.name}
        ]
        assert not WelfarePost.objects.exists()

    def test_a_pv_post_without_its_station_is_refused(self, client, clerk_a, village_a):
        holder = worker(village_a)
        station = legacy_asset(village_a, clerk_a)
        legacy_asset(village_a, clerk_a, asset_type=AssetType.FARM_BASE, name="食用菌基地")
        client.force_login(clerk_a)
        form = client.get(_new(village_a)).context["form"]
        assert list(form.fields["funding_asset"].queryset) == [station]
        response = client.post(_new(village_a), _form(holder, funding=PostFunding.PV_INCOME))
        assert response.status_code == 400
        assert response.context["form"].errors["funding_asset"] == [
            gettext("Choose the PV station.")
        ]
        assert not WelfarePost.objects.exists() and not EmploymentRecord.objects.exists()
        response = client.post(
            _new(village_a),
            _form(holder, funding=PostFunding.PV_INCOME, funding_asset=station.pk),
        )
        assert response.status_code == 302
        post = WelfarePost.objects.get()
        assert post.funding_asset == station
        html = client.get(reverse("employment:post_list")).content.decode()
        assert station.code in html

    def test_the_form_and_the_rules_speak_in_one_round(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        response = client.post(_new(village_a), _form(worker(village_a), months="13", post_type=""))
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert set(errors) == {"months", "post_type"}
        assert errors["months"] == [
            gettext("Between 1 and %(limit)s months fit in the post's period.") % {"limit": 10}
        ]
        assert not WelfarePost.objects.exists()


# =============================================================================================
# The post's page: pay, reversal, end, correction
# =============================================================================================


class TestPay:
    def test_a_month_is_paid_at_most_the_monthly_pay_once(self, client, clerk_a, post):
        client.force_login(clerk_a)
        page = client.get(_detail(post))
        pay_form = page.context["pay_form"]
        assert pay_form.initial["amount"] == D("500.00")
        assert pay_form.initial["month"] == "2026-03-01"
        assert _pay(client, post, "2026-04-01").status_code == 302
        payment = PostPayment.objects.get()
        assert (payment.month, payment.amount, payment.recorded_by) == (
            datetime.date(2026, 4, 1),
            D("500.00"),
            clerk_a,
        )
        twice = _pay(client, post, "2026-04-01")
        assert twice.status_code == 400
        assert twice.context["pay_form"].errors["month"] == [
            gettext("This month of the post is already paid.")
        ]
        more = _pay(client, post, "2026-05-01", amount="500.01")
        assert more.context["pay_form"].errors["amount"] == [
            gettext("The post pays %(pay)s a month.") % {"pay": "500.00"}
        ]
        before = _pay(client, post, "2026-02-01")
        assert before.context["pay_form"].errors["month"] == [
            gettext("That month is outside the post's period.")
        ]
        assert PostPayment.objects.count() == 1
        html = client.get(_detail(post)).content.decode()
        assert 'data-testid="post-paid">500.00<' in html

    def test_a_reversed_payment_frees_its_month(self, client, clerk_a, post):
        client.force_login(clerk_a)
        _pay(client, post, "2026-04-01")
        payment = PostPayment.objects.get()
        url = reverse("employment:payment_reverse", args=[payment.pk])
        without_reason = client.post(url, {"reverse-reason": " "})
        assert without_reason.status_code == 400
        assert PostPayment.objects.count() == 1
        assert client.post(url, {"reverse-reason": "金额录错"}).status_code == 302
        reversal = PostPayment.objects.get(reverses=payment)
        assert (reversal.amount, reversal.reason) == (D("-500.00"), "金额录错")
        assert client.post(url, {"reverse-reason": "再冲一次"}).status_code == 400
        assert _pay(client, post, "2026-04-01", amount="480.00").status_code == 302
        page = client.get(_detail(post))
        assert page.context["paid"] == D("480.00")
        html = page.content.decode()
        assert html.count('data-month="2026-04"') == 3
        assert 'data-reversal="true"' in html


class TestEndAndEdit:
    def test_the_post_ends_on_its_last_day(self, client, clerk_a, post):
        client.force_login(clerk_a)
        response = client.post(
            reverse("employment:post_end", args=[post.pk]),
            {"end-end_date": "2026-06-30", "end-version": post.version},
        )
        assert response.status_code == 302
        post.refresh_from_db()
        assert (post.end_date, post.months) == (datetime.date(2026, 6, 30), 4)
        assert EmploymentRecord.objects.get(post=post).end_date == datetime.date(2026, 6, 30)
        page = client.get(_detail(post))
        assert "end_form" not in page.context
        assert _pay(client, post, "2026-07-01").status_code == 400

    def test_a_stale_page_is_told_and_nothing_is_overwritten(self, client, clerk_a, post):
        url = reverse("employment:post_edit", args=[post.pk])
        client.force_login(clerk_a)
        page = client.get(url)
        assert page.status_code == 200 and "holder" not in page.context["form"].fields
        stale = post.version
        services.post_change(
            post=post,
            details=replace(services.PostDetails.of(post), duties="护林防火"),
            expected_version=stale,
            actor=clerk_a,
        )
        data = _form(post.holder, monthly_pay="600.00", version=stale)
        del data["holder"]
        response = client.post(url, data)
        assert response.status_code == 400
        assert response.context["form"].non_field_errors() == [
            gettext("Someone else changed this post since you opened it. Reload the page.")
        ]
        post.refresh_from_db()
        assert (post.monthly_pay, post.duties) == (D("500.00"), "护林防火")
        data["version"] = post.version
        assert client.post(url, data).status_code == 302
        post.refresh_from_db()
        assert post.monthly_pay == D("600.00")
        assert EmploymentRecord.objects.get(post=post).monthly_wage == D("600.00")


# =============================================================================================
# The list
# =============================================================================================


class TestList:
    URL = reverse("employment:post_list")

    def test_it_filters_by_township_type_funding_and_being_in_post(
        self, client, bureau, clerk_a, clerk_b, village_a, village_b, township_b
    ):
        here = welfare_post(village_a, clerk_a)
        there = welfare_post(village_b, clerk_b, post_type="护林员")
        client.force_login(bureau)

        def shown(**query):
            html = client.get(self.URL, query).content.decode()
            return {p.pk for p in (here, there) if f'data-post="{p.pk}"' in html}

        assert shown() == {here.pk, there.pk}
        assert shown(township=township_b.pk) == {there.pk}
        assert shown(post_type="护林员") == {there.pk}
        assert shown(funding=PostFunding.PV_INCOME) == set()
        assert shown(current="true", year="not a year") == {here.pk, there.pk}
        client.force_login(clerk_a)
        assert shown() == {here.pk}

    def test_the_list_runs_the_same_queries_for_one_or_fifteen(
        self, client, clerk_a, village_a, django_assert_num_queries
    ):
        def paid_post():
            post = welfare_post(village_a, clerk_a)
            services.post_pay(
                post=post,
                month=datetime.date(2026, 3, 1),
                amount=D("500.00"),
                paid_on=datetime.date(2026, 4, 5),
                actor=clerk_a,
            )
            return post

        paid_post()
        client.force_login(clerk_a)
        client.get(self.URL)
        with CaptureQueriesContext(connection) as one:
            client.get(self.URL)
        for _index in range(14):
            paid_post()
        with django_assert_num_queries(len(one.captured_queries)):
            html = client.get(self.URL).content.decode()
        assert html.count('data-testid="post-row"') == 15
        assert html.count('data-testid="post-paid">500.00<') == 15


# =============================================================================================
# Access
# =============================================================================================


class TestAccess:
    def _writes(self, post, payment):
        return [
            (reverse("employment:post_new"), {}),
            (_new(post.area), _form(post.holder)),
            (reverse("employment:post_edit", args=[post.pk]), {}),
            (reverse("employment:post_end", args=[post.pk]), {"end-end_date": "2026-06-30"}),
            (reverse("employment:post_pay", args=[post.pk]), {"pay-month": "2026-05-01"}),
            (reverse("employment:payment_reverse", args=[payment.pk]), {"reverse-reason": "x"}),
        ]

    @pytest.fixture
    def payment(self, post, clerk_a):
        return services.post_pay(
            post=post,
            month=datetime.date(2026, 3, 1),
            amount=D("500.00"),
            paid_on=datetime.date(2026, 4, 5),
            actor=clerk_a,
        )

    def test_the_townships_clerk_opens_every_page(self, client, clerk_a, post, payment):
        client.force_login(clerk_a)
        for url in (reverse("employment:post_list"), _detail(post), _new(post.area)):
            assert client.get(url).status_code == 200, url
        page = client.get(_detail(post))
        for form in ("pay_form", "end_form"):
            assert form in page.context
        assert client.get(reverse("employment:post_edit", args=[post.pk])).status_code == 200

    def test_a_leader_reads_and_may_write_nothing(self, client, leader, post, payment):
        client.force_login(leader)
        assert client.get(reverse("employment:post_list")).status_code == 200
        page = client.get(_detail(post))
        assert page.status_code == 200
        assert "pay_form" not in page.context and "end_form" not in page.context
        assert 'data-testid="reverse-form"' not in page.content.decode()
        for url, data in self._writes(post, payment):
            assert client.post(url, data).status_code == 403, url
        assert client.get(reverse("employment:post_new")).status_code == 403
        assert PostPayment.objects.count() == 1 and WelfarePost.objects.count() == 1

    def test_another_township_gets_not_found(self, client, clerk_b, post, payment):
        client.force_login(clerk_b)
        assert client.get(_detail(post)).status_code == 404
        assert (
            f'data-post="{post.pk}"'
            not in client.get(reverse("employment:post_list")).content.decode()
        )
        for url, data in self._writes(post, payment)[1:]:
            assert client.post(url, data).status_code == 404, url
        missing = reverse("employment:payment_reverse", args=[999999])
        assert client.post(missing, {"reverse-reason": "x"}).status_code == 404
        assert PostPayment.objects.count() == 1 and WelfarePost.objects.count() == 1


@pytest.mark.sqlite
def test_the_post_pages_open_on_any_database(client, clerk_a, village_a):
    post = welfare_post(village_a, clerk_a)
    services.post_pay(
        post=post,
        month=datetime.date(2026, 3, 1),
        amount=D("500.00"),
        paid_on=datetime.date(2026, 4, 5),
        actor=clerk_a,
    )
    client.force_login(clerk_a)
    for url in (
        reverse("employment:post_list"),
        _detail(post),
        _new(village_a),
        reverse("employment:post_edit", args=[post.pk]),
    ):
        assert client.get(url).status_code == 200, url
