"""Demo employment data for ``manage.py seed_demo``: the jobs of the labour force of the county's
脱贫 and monitored households in 2024, 2025 and the current year (the jobs still going and the
new ones) of every job type, place category and 七个一批 batch, with people who hold two jobs in a
year, seasonal ones, transport subsidies for about a third of the workers outside the province
and a few EMP-4 cases (registered 丧失劳动力, recorded as working; half reviewed); the villages'
public-welfare posts with their holders' jobs and monthly pay (one payment reversed), PV-funded
where the asset ledger has a station in the village; about two workshops per township, two of
them flagged for too few 脱贫 workers; about 30 courses with their trainees and certificates.
At the size of ``make run`` (2,000 households) that is about 1,300 records for 2024–2025: every
member with labour of the county's some 240 脱贫 and monitored households, which keeps 2024's
count well below the plan's 2,500 (the log line gives it; a county of about 11,000 households
would reach it).

Dates are the records' own (a job's record within its year, verified during it, a post paid the
month after), never after today. Randomness is the module's own generator, seeded by the seed and
the county's household count, so the earlier seeders' data does not move when this changes.
Everything is written in bulk, each row checked first by the rules the services apply."""

from __future__ import annotations

import random
import time
from collections import defaultdict

from employment.demo.posts import PostsDemo
from employment.demo.records import RecordsDemo, two_jobs
from employment.demo.trainings import TrainingsDemo
from employment.demo.workshops import WorkshopsDemo
from employment.models import (
    EmploymentRecord,
    PostPayment,
    Trainee,
    Training,
    WelfarePost,
    Workshop,
)
from kaiyuan.areas.models import Area
from kaiyuan.common.dates import today
from kaiyuan.common.ledger import purge


class EmploymentDemo(RecordsDemo, PostsDemo, WorkshopsDemo, TrainingsDemo):
    def __init__(self, context) -> None:
        self.context = context
        self.rng = random.Random(context.seed * 100_043 + context.households)  # noqa: S311
        self.users = context.made["users"]
        self.users_by_id = {user.pk: user for user in self.users.values()}
        self.bureau = self.users["bureau"]
        self.today = today()
        self.counts: dict[str, int] = defaultdict(int)

    def run(self) -> None:
        self.labour_force()
        self.posts()
        self.workshops()
        self.trainings()
        self.free_jobs()
        self.without_labour()
        self.write_records()
        self.counts["people with two jobs in a year"] = two_jobs(self.records)


def seed(context) -> None:
    from employment.selectors.counts import employment_count

    started = time.perf_counter()
    demo = EmploymentDemo(context)
    demo.run()
    county = Area.objects.home_county()
    counted = employment_count(county, 2024, 12, breakdown=False)
    shown = ", ".join(f"{count} {name}" for name, count in sorted(demo.counts.items()))
    context.log(
        f"employment: {shown}; 2024 count {counted.total} (target {counted.target}) "
        f"in {time.perf_counter() - started:.1f} s"
    )


# What points at a row before the row.
ORDER = (PostPayment, EmploymentRecord, WelfarePost, Workshop, Trainee, Training)


def delete_all() -> None:
    """Delete every employment row, for the demo's reset: inside ``kaiyuan.common.ledger.purge()``,
    the only way past the database's refusal to delete a post's pay (reversals first, since
    they name the entries they reverse)."""
    with purge():
        PostPayment.objects.filter(reverses__isnull=False).delete()
        for model in ORDER:
            model.objects.all().delete()
