"""The employment-assistance workshops (就业帮扶车间, DOMAIN.md §6.3): up to two in a
township, as many as its labour force can staff, of the five kinds (厂房式, 居家式, 种养式,
商贸式, 旅游式), run by a county company or farmers' cooperative with a valid credit code,
opened in 2019–2023, each employing five to seven people of the 脱贫 and monitored households
near it in every year (some of them post holders working there part-time besides), with the
others' workers in its total; a planting or tourism workshop works from
spring to autumn. Two opened in 2025 have fewer than five such workers so far, so that the
EMP-WORKSHOP flag has something to show. The workers' jobs name their workshop; each workshop
is checked as ``workshop_create`` checks it."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import replace

from employment.codes import Batch, JobType, PlaceCategory, Source, WorkshopType
from employment.demo import COUNTY_DIVISION, DAY, YEARS, credit_code, year_end
from employment.demo.records import BRANDS, Job, pay
from employment.models import Workshop
from employment.rules import workshops as rules
from kaiyuan.common.rules import refuse_errors
from kaiyuan.demo.villages import SURNAMES, given_name

T = WorkshopType
# kind → (products, company or cooperative, season, monthly pay in hundreds of yuan)
KINDS = {
    T.FACTORY: (("服装加工", "电子元件组装", "箱包加工", "粘豆包加工"), "有限公司", None, (22, 32)),
    T.HOME_BASED: (("手工编织", "假发加工", "毛绒玩具缝制", "手工刺绣"), "有限公司", None, (8, 15)),
    T.FARMING: (
        ("食用菌种植", "设施蔬菜种植", "中药材种植", "鲜食玉米种植"),
        "专业合作社",
        (4, 10),
        (20, 30),
    ),
    T.TRADE: (("农产品分拣包装", "农产品电商", "粮食收储"), "有限公司", None, (22, 30)),
    T.TOURISM: (("乡村民宿", "采摘园"), "有限公司", (5, 10), (18, 28)),
}
PEOPLE_FOR_ONE, PEOPLE_FOR_TWO = 3, 8  # of a township's labour force
WORKERS = (5, 7)
DEDICATED_SHARE = 0.55  # of the people without a post or a job in the registry
PART_TIME_SHARE = 0.6  # of the post holders, at most
FLAGGED = 2
FLAGGED_WORKERS = (2, 4)


class WorkshopsDemo:
    """Part of ``employment.demo.employment.EmploymentDemo``."""

    def free_near(self, township, taken: set[int]) -> list:
        """People without a job decided yet who can work in a workshop: the township's, then the
        others' (commuting), in the order of the registry."""

        def able(w):
            return (
                not w.role
                and w.member.pk not in taken
                and not w.graduate
                and not w.registry_place
                and w.age(YEARS[0]) >= 18
                and w.age(YEARS[-1]) <= 65
            )

        own = [w for w in self.by_township.get(township.pk, []) if able(w)]
        others = [w for w in self.workers if w.township.pk != township.pk and able(w)]
        return own + others

    def workshops(self) -> None:
        rng = self.rng
        firsts, seconds = [], []
        for township in sorted(self.townships, key=lambda t: -len(self.by_township[t.pk])):
            people = len(self.by_township[township.pk])
            if people >= PEOPLE_FOR_ONE:
                firsts.append((township, True))
            if people >= PEOPLE_FOR_TWO:
                seconds.append((township, True))
        # The first that meets the definition, the two flagged, then the others: a small labour
        # force leaves out second workshops before whole townships.
        plan = firsts[:1]
        few = [t for t in self.townships if t not in {p[0] for p in seconds}]
        rng.shuffle(few)
        plan += [(township, False) for township in sorted(few[:FLAGGED], key=lambda t: t.code)]
        plan += firsts[1:] + seconds
        free = [w for w in self.workers if not w.role and not w.registry_place and not w.graduate]
        budget = max(len(free) * DEDICATED_SHARE, WORKERS[0])
        holders_left = int(sum(1 for w in self.workers if w.role == "post") * PART_TIME_SHARE)
        kinds = list(T.values)
        rng.shuffle(kinds)
        taken: set[int] = set()
        names: set[tuple[int, str]] = set()
        made = []
        for township, meets in plan:
            kind = kinds[len(made) % len(kinds)]
            products, entity, season, wages = KINDS[kind]
            wanted = rng.randint(*(WORKERS if meets else FLAGGED_WORKERS))
            part_time = []
            if kind != T.FACTORY and meets and holders_left > 0:
                holders = [
                    w
                    for w in self.by_township[township.pk]
                    if w.role == "post" and w.member.pk not in taken
                ]
                part_time = holders[: min(rng.randint(wanted // 3, wanted * 3 // 5), holders_left)]
            dedicated = self.free_near(township, taken)[: wanted - len(part_time)]
            workers = dedicated + part_time
            if not workers or (meets and len(workers) < WORKERS[0]):
                continue
            if made and meets and len(dedicated) > budget:
                continue
            budget -= len(dedicated)
            holders_left -= len(part_time)
            taken.update(w.member.pk for w in workers)
            for worker in dedicated:
                worker.role = "workshop"
            home = Counter(w.village.pk for w in workers if w.township.pk == township.pk)
            if not home:  # all from other townships: in the township's first village with people
                home = Counter(w.village.pk for w in self.by_township[township.pk])
            village_id = min(home, key=lambda v: (-home[v], self.villages[v].code))
            village = self.villages[village_id]
            product = rng.choice(products)
            name = f"{village.name}{product}就业帮扶车间"
            if (village.pk, name) in names:
                name = f"{village.name}{product}就业帮扶二车间"
            names.add((village.pk, name))
            if entity == "专业合作社":
                operator = f"开原市{village.name}{product[:-2]}专业合作社"
                code = credit_code(rng, "93", COUNTY_DIVISION, self.codes_used)
            else:
                operator = f"开原市{rng.choice(BRANDS)}{product}有限公司"
                code = credit_code(rng, "91", COUNTY_DIVISION, self.codes_used)
            refuse_errors(rules.operator_problems(operator_uscc=code))
            opened = (
                datetime.date(rng.randint(2019, 2023), rng.randint(1, 12), rng.randint(1, 28))
                if meets
                else datetime.date(YEARS[1], rng.randint(3, 9), rng.randint(1, 28))
            )
            clerk = self.clerk(township)
            workshop = Workshop(
                area=village,
                name=name,
                workshop_type=kind,
                operator=operator,
                operator_uscc=code,
                products=product,
                opened_on=opened,
                total_workers=len(workers) + rng.randint(3, 25),
                contact=rng.choice(SURNAMES) + given_name(rng, female=rng.random() < 0.4),
                phone=f"13{rng.randint(100000000, 999999999)}",
                created_by=clerk,
                created_at=self.moment(min(max(opened, datetime.date(2024, 3, 1)), self.today)),
            )
            made.append((workshop, dedicated, part_time, season, wages))
        Workshop.objects.bulk_create([w for w, *_rest in made])
        for workshop, dedicated, part_time, season, wages in made:
            job = Job(
                job_type=JobType.WORKSHOP,
                batch=Batch.INDUSTRY,
                place_category=PlaceCategory.IN_COUNTY,
                place=workshop.area.full_name,
                employer=workshop.operator,
                employer_uscc=workshop.operator_uscc,
                workshop=workshop,
                wage=pay(rng, *wages),
                channel=self.channel(Batch.INDUSTRY),
                source=Source.EMPLOYER,
                season=season,
            )
            for worker in dedicated:
                self.workshop_years(worker, workshop, job)
            for worker in part_time:
                piecework = replace(job, wage=pay(rng, 5, 10), note="公益性岗位之余在车间兼职")
                self.workshop_years(worker, workshop, piecework)
        self.counts["workshops"] = len(made)
        self.counts["workshops flagged"] = sum(
            1 for _w, d, p, *_r in made if len(d) + len(p) < WORKERS[0]
        )

    def workshop_years(self, worker, workshop: Workshop, job: Job) -> None:
        """Every year the workshop is open: the season of a seasonal one, else the year (from
        the opening day in the year it opened)."""
        rng = self.rng
        for year in YEARS:
            if year < workshop.opened_on.year:
                continue
            start = max(datetime.date(year, 1, 1), workshop.opened_on + rng.randint(0, 20) * DAY)
            if start.year != year:
                continue
            end = year_end(year)
            if job.season:
                season_start, end = self.season_days(job, year)
                start = max(start, season_start)
                if start >= end:
                    continue
            self.record(worker, job, start, end)
