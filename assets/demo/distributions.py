"""The distribution of each settled income: a PV station's in its 6:3:1 uses (the named posts
held by 脱贫 people, the village's small works, rewards to households), every other asset's to
脱贫户 and monitored households, differentiated and tilted towards the monitored, with the stacked
share for households at or below the stacked line, some to households of other townships (drawn
up by the bureau, which sees the whole county). 2024's are paid; of 2025's most are paid, some
publicised and waiting for payment, some still being drawn up.

Each line is checked first as the service checks a line (``rules.line_problems``) and written
with its plan's in one ``bulk_create``. The plans still open (being drawn up, publicised) go
through the services, which check each whole before its publicity; the paid ones, some 350,
are written together after the same checks (the plan whole, AST-PV-1; publicised before it was
paid, AST-PV-2), without the audit rows of their steps."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from assets.codes import LineUse
from assets.demo import DAY, YEARS, split
from assets.models import AssetIncome, Distribution, DistributionLine
from assets.rules import distributions as rules
from assets.rules.incomes import distribution_needs_settlement
from assets.selectors.assets import DEBT, SELF_BUILT, return_basis
from assets.services import distributions as services
from kaiyuan.common.rules import refuse_errors
from monitoring.codes import HAS_LABOUR
from monitoring.models import Member

POSTS = ("村保洁员", "护林员", "道路养护员")
POST_OF_JOB = {"保洁员": "村保洁员", "护林员": "护林员", "护路员": "道路养护员"}
WORKS = (
    "村内道路坑槽修补",
    "村屯路灯维修更换",
    "排水边沟清淤",
    "村文化广场设施维护",
    "村内护栏修缮",
)
REWARDS = ("“美丽庭院”评比奖励", "孝老爱亲奖励", "勤劳致富奖励", "人居环境整治积分奖励")
PLACES = ("村务公开栏", "村务公开栏及村民微信群", "村委会公示栏")


class DistributionsDemo:
    """Part of ``assets.demo.ledger.LedgerDemo`` (its ``rng``, ``users``, ``today``, ``counts``)."""

    def distributions(self) -> None:
        self.post_holders = self._post_holders()
        self.posts: dict[int, list] = {}
        self.turn = 0
        # The deliberate equal shares (AST-6): a self-built asset's later year, not the short one.
        self.equal = next(
            (
                income
                for income in self.settled
                if income.year == YEARS[-1]
                and return_basis(income.asset) == SELF_BUILT
                and income.asset != self.short
            ),
            None,
        )
        self.paid_plans: list[tuple] = []
        for income in self.settled:
            if income.net_income > 0:
                self.distribute(income)
        self.write_paid()

    # ---- who receives -------------------------------------------------------------------

    def _post_holders(self) -> dict[int, list]:
        """People of 脱贫户 able to work, by village: those the registry already records in a
        public-welfare job first."""
        exited = {h.pk: h for h in self.eligible if h.is_exited}
        rows = (
            Member.objects.filter(
                household__in=list(exited),
                status=Member.Status.ACTIVE,
                labour_skill__in=sorted(HAS_LABOUR),
            )
            .order_by("-welfare_job_type", "person_number")
            .values_list("name", "household_id", "welfare_job_type")
        )
        by_village: dict[int, list] = {}
        for name, household_id, job in rows:
            household = exited[household_id]
            by_village.setdefault(household.area_id, []).append((name, household, job))
        return by_village

    def nearby(self, village_id: int, pool_by_village: dict[int, list]) -> list:
        """The pool of the village, then of its township, then of the county."""
        township = self.village_by_id[village_id].parent_id
        same = list(pool_by_village.get(village_id, []))
        around = [
            item
            for vid, items in sorted(pool_by_village.items())
            if vid != village_id and self.village_by_id[vid].parent_id == township
            for item in items
        ]
        rest = [
            item
            for vid, items in sorted(pool_by_village.items())
            if self.village_by_id[vid].parent_id != township
            for item in items
        ]
        self.rng.shuffle(around)
        self.rng.shuffle(rest)
        return same + around + rest

    def holders_for(self, asset) -> list:
        if asset.pk not in self.posts:
            count = self.rng.choice([2, 3, 3])
            pool = self.nearby(asset.area_id, self.post_holders)
            chosen, used = [], set()
            for name, household, job in pool:
                post = POST_OF_JOB.get(job) or POSTS[len(chosen) % len(POSTS)]
                if post in {p for p, _n, _h in chosen} or (name, household.pk) in used:
                    continue
                chosen.append((post, name, household))
                used.add((name, household.pk))
                if len(chosen) == count:
                    break
            self.posts[asset.pk] = chosen
        return self.posts[asset.pk]

    # ---- the lines ----------------------------------------------------------------------

    def pv_lines(self, asset, amount: Decimal, year: int) -> list[dict]:
        shares = rules.pv_split(amount, policy=self.policies[year])
        village = self.village_by_id[asset.area_id]
        lines = []
        holders = self.holders_for(asset)
        if holders:
            weights = [12 if post == "村保洁员" else 10 for post, _n, _h in holders]
            for (post, name, household), wage in zip(
                holders, split(shares[LineUse.PV_JOBS], weights), strict=True
            ):
                lines.append(
                    {
                        "use": LineUse.PV_JOBS,
                        "household": household,
                        "payee": name,
                        "item": post,
                        "amount": wage,
                    }
                )
        else:
            lines.append(
                {
                    "use": LineUse.PV_JOBS,
                    "payee": f"{village.name}公益岗位人员",
                    "item": "村保洁员",
                    "amount": shares[LineUse.PV_JOBS],
                }
            )
        works = self.rng.sample(WORKS, self.rng.choice([1, 2]))
        for work, part in zip(
            works, split(shares[LineUse.PV_WORKS], [1] * len(works)), strict=True
        ):
            lines.append(
                {
                    "use": LineUse.PV_WORKS,
                    "payee": f"{village.name}村民委员会",
                    "item": work,
                    "amount": part,
                }
            )
        rewarded = self.nearby(asset.area_id, self.eligible_by_village)[: self.rng.randint(2, 4)]
        if rewarded:
            for household, part in zip(
                rewarded,
                split(shares[LineUse.PV_REWARDS], [self.rng.randint(8, 12) for _ in rewarded]),
                strict=True,
            ):
                lines.append(
                    {
                        "use": LineUse.PV_REWARDS,
                        "household": household,
                        "item": self.rng.choice(REWARDS),
                        "amount": part,
                    }
                )
        else:
            lines.append(
                {
                    "use": LineUse.PV_REWARDS,
                    "payee": f"{village.name}村民委员会",
                    "item": REWARDS[0],
                    "amount": shares[LineUse.PV_REWARDS],
                }
            )
        return lines

    def household_lines(self, asset, amount: Decimal, *, equal: bool) -> list[dict]:
        """Differentiated shares: a monitored household's weighs 1.6–2.0, a 脱贫户's 0.85–1.43 by
        its size, so the monitored always get more (AST-6); the stacked share, 30 % of a
        household's own, for each one at or below the stacked line. A debt-type claim's income
        goes across the county, a self-built asset's mostly to its own township."""
        township = self.village_by_id[asset.area_id].parent_id
        near = self.nearby(asset.area_id, self.eligible_by_village)
        if equal:
            # The deliberate 平均分配: the same to each, none of them due a stacked share.
            chosen = [h for h in near if h.pk not in self.stacked][:4]
            if len(chosen) >= 2:
                each = (amount / len(chosen)).quantize(Decimal("1"), rounding=ROUND_DOWN)
                return [{"use": LineUse.SHARE, "household": h, "amount": each} for h in chosen]
        if return_basis(asset) == DEBT:
            pool = sorted(self.eligible, key=lambda h: (not h.is_monitored, self.rng.random()))
            pool = pool[: self.rng.randint(8, 15)]
        else:
            local = [h for h in near if self.village_by_id[h.area_id].parent_id == township]
            others = [h for h in near if self.village_by_id[h.area_id].parent_id != township]
            pool = local[: self.rng.randint(4, 9)]
            if others and (len(pool) < 3 or self.rng.random() < 0.25):
                wanted = max(self.rng.randint(1, 2), 3 - len(pool))
                pool += self.rng.sample(others, min(len(others), wanted))
        count = max(1, min(len(pool), int(amount // 150)))
        chosen = sorted(pool[:count], key=lambda h: (not h.is_monitored, h.household_number))
        if not chosen:
            return []  # a county without 脱贫户 or monitored households has no one to pay
        weights, lines = [], []
        for household in chosen:
            if household.is_monitored:
                weight = Decimal(self.rng.randint(160, 200))
            else:
                size = min(household.household_size, 4)
                weight = Decimal(self.rng.randint(85, 110)) * (1 + Decimal(size - 1) / 10)
            lines.append({"use": LineUse.SHARE, "household": household})
            weights.append(weight)
            if household.pk in self.stacked:
                lines.append({"use": LineUse.STACKED, "household": household})
                weights.append(weight * Decimal("0.3"))
        for line, part in zip(lines, split(amount, weights), strict=True):
            line["amount"] = part
        return lines

    # ---- the plan, its publicity and payment ------------------------------------------

    def distribute(self, income: AssetIncome) -> None:
        asset = income.asset
        village = self.village_by_id[asset.area_id]
        clerk = self.clerk(village)
        equal = income == self.equal
        amount = income.net_income
        if asset.is_pv_station:
            lines = self.pv_lines(asset, amount, income.year)
        else:
            lines = self.household_lines(asset, amount, equal=equal)
            if equal:
                amount = sum((line["amount"] for line in lines), Decimal("0.00"))
        if not lines:
            return
        elsewhere = sum(
            1
            for line in lines
            if line.get("household") is not None
            and self.village_by_id[line["household"].area_id].parent_id != village.parent_id
        )
        # Lines to other townships' households are the county's to draw up (AST-7).
        author = self.bureau if elsewhere else clerk
        refuse_errors(distribution_needs_settlement(income))
        refuse_errors(rules.amount_problems(amount=amount, net_income=income.net_income))
        rows = self.line_rows(asset, lines, total=amount)
        self.counts["distributions"] += 1
        self.counts["distribution lines"] += len(rows)
        self.counts["lines to other townships"] += elsewhere
        stage = self.stage(income, equal=equal)
        start = income.settled_on + self.rng.randint(5, 20) * DAY
        end = start + 6 * DAY
        paid = end + self.rng.randint(2, 12) * DAY
        if stage == "draft" or start > self.today:
            stage = "draft"
        elif stage == "publicised" or paid > self.today:
            stage = "publicised"
        place = f"{village.name}{self.rng.choice(PLACES)}"
        if stage == "paid":
            self.paid_plans.append((income, author, amount, rows, start, end, place, paid))
            return
        # The plans still open go through the services: their steps are in the audit trail.
        distribution = services.distribution_create(income=income, amount=amount, actor=author)
        for row in rows:
            row.distribution = distribution
        DistributionLine.objects.bulk_create(rows)
        if stage == "draft":
            self.counts["distributions being drawn up"] += 1
            return
        services.distribution_publicise(
            distribution=distribution,
            publicity_from=start,
            publicity_to=end,
            place=place,
            objections="公示期内无异议",
            expected_version=distribution.version,
            actor=author,
        )
        self.counts["distributions publicised, not paid"] += 1

    def line_rows(self, asset, lines: list[dict], *, total: Decimal) -> list[DistributionLine]:
        """The lines, each checked as line_add checks it (the use fits the asset, an eligible
        household, a named post or work, within the total). A stacked share's own condition,
        income per head at or below the line, is the one ``income_band_q`` read for all
        households at once (``self.stacked``)."""
        planned = Decimal("0.00")
        rows = []
        for line in lines:
            household = line.get("household")
            payee = line.get("payee") or (household.head_name if household else "")
            stacked = line["use"] == LineUse.STACKED
            refuse_errors(
                rules.line_problems(
                    use=LineUse.SHARE if stacked else line["use"],
                    household=household,
                    item=line.get("item", ""),
                    payee=payee,
                    amount=line["amount"],
                    is_pv=asset.is_pv_station,
                    planned=planned,
                    total=total,
                )
            )
            if stacked and household.pk not in self.stacked:
                raise ValueError(f"no stacked share for {household}")
            planned += line["amount"]
            rows.append(
                DistributionLine(
                    use=line["use"],
                    household=household,
                    payee=payee,
                    item=line.get("item", ""),
                    amount=line["amount"],
                )
            )
        return rows

    def write_paid(self) -> None:
        """The plans paid, written together: each whole (AST-PV-1 for a station), publicised
        before it was paid (AST-PV-2), checked as the services check them."""
        distributions, all_rows = [], []
        for income, author, amount, rows, start, end, place, paid in self.paid_plans:
            by_use: dict[str, Decimal] = {}
            for row in rows:
                by_use[row.use] = by_use.get(row.use, Decimal("0.00")) + row.amount
            refuse_errors(
                rules.complete_problems(
                    is_pv=income.asset.is_pv_station,
                    total=amount,
                    by_use=by_use,
                    policy=self.policies[income.year],
                )
            )
            refuse_errors(
                rules.publicity_problems(publicity_from=start, publicity_to=end, place=place)
            )
            refuse_errors(
                rules.payment_problems(status="publicised", publicity_to=end, paid_on=paid)
            )
            distributions.append(
                Distribution(
                    income=income,
                    asset=income.asset,
                    year=income.year,
                    amount=amount,
                    status=Distribution.Status.PAID,
                    publicity_from=start,
                    publicity_to=end,
                    publicity_place=place,
                    publicity_objections="公示期内无异议",
                    paid_on=paid,
                    payment_reference=f"KYZS-{paid:%Y%m}-{len(distributions) + 1:05d}",
                    created_by=author,
                )
            )
            all_rows.append(rows)
        created = Distribution.objects.bulk_create(distributions, batch_size=500)
        for distribution, rows in zip(created, all_rows, strict=True):
            for row in rows:
                row.distribution = distribution
        DistributionLine.objects.bulk_create(
            [row for rows in all_rows for row in rows], batch_size=1000
        )
        self.counts["distributions paid"] += len(created)

    def stage(self, income: AssetIncome, *, equal: bool) -> str:
        """2024's are paid. Of 2025's the first is being drawn up, the second publicised, the
        rest mostly paid; the equal-shares plan is still being drawn up."""
        if equal:
            return "draft"
        if income.year < YEARS[-1]:
            return "paid"
        self.turn += 1
        if self.turn <= 2:
            return ("draft", "publicised")[self.turn - 1]
        roll = self.rng.random()
        return "paid" if roll < 0.74 else "publicised" if roll < 0.88 else "draft"
