"""Skills training (乡村振兴技能提升培训, DOMAIN.md §6.2 item 4): about 30 courses over 2024 to this
year in the slack months (winter and early spring, late autumn), a third of them the county's
(人社局, 农业农村局, 乡村振兴局), the others a township's where it has people enough to fill one:
vocational skills, business start-up, farming techniques, e-commerce and handicraft, each for
10–40 people of the 脱贫 and monitored households with labour of its area (those without a job
first). Most finish the course, and many of them get its certificate. The jobs found after a
finished course are counted under the training batch (``records``). Each trainee is checked as
``trainee_add`` checks them."""

from __future__ import annotations

import datetime

from employment.codes import Certificate, CourseType
from employment.demo import DAY, YEARS, courses_for, month_first
from employment.models import Trainee, Training
from employment.rules import trainings as rules
from kaiyuan.areas.models import Area
from kaiyuan.common.rules import refuse_errors

C, K = CourseType, Certificate
# (course, type, class hours, days, certificates given)
CATALOGUE = (
    ("电工（低压电工作业）培训班", C.SKILLS, (64, 96), (10, 16), (K.SKILL_LEVEL, K.QUALIFICATION)),
    ("中式烹调师培训班", C.SKILLS, (80, 120), (12, 20), (K.SKILL_LEVEL,)),
    ("育婴员（月嫂）培训班", C.SKILLS, (64, 96), (10, 15), (K.SKILL_LEVEL,)),
    ("养老护理员培训班", C.SKILLS, (64, 96), (10, 15), (K.SKILL_LEVEL,)),
    ("家政服务员培训班", C.SKILLS, (40, 64), (6, 10), (K.SPECIAL,)),
    ("焊工培训班", C.SKILLS, (80, 120), (12, 20), (K.SKILL_LEVEL,)),
    ("挖掘机驾驶员培训班", C.SKILLS, (80, 120), (12, 20), (K.SPECIAL,)),
    ("创业培训（SYB）班", C.ENTREPRENEURSHIP, (56, 80), (8, 12), (K.COMPLETION,)),
    ("网络创业培训班", C.ENTREPRENEURSHIP, (40, 64), (6, 10), (K.COMPLETION,)),
    ("设施蔬菜种植技术培训", C.FARMING, (24, 40), (3, 6), (K.COMPLETION,)),
    ("肉牛标准化养殖技术培训", C.FARMING, (24, 40), (3, 6), (K.COMPLETION,)),
    ("果树栽培与修剪技术培训", C.FARMING, (24, 40), (3, 6), (K.COMPLETION,)),
    ("食用菌栽培技术培训", C.FARMING, (24, 40), (3, 6), (K.COMPLETION,)),
    ("农村电商直播带货培训班", C.SALES, (32, 56), (5, 8), (K.SPECIAL, K.COMPLETION)),
    ("农产品网络营销培训", C.SALES, (24, 40), (3, 6), (K.COMPLETION,)),
    ("手工编织技能培训", C.OTHER, (24, 48), (4, 8), (K.COMPLETION,)),
)
COUNTY_ORGANISERS = {
    C.SKILLS: ("开原市人力资源和社会保障局", "开原市职业教育中心"),
    C.ENTREPRENEURSHIP: ("开原市人力资源和社会保障局", "开原市就业和人才服务中心"),
    C.FARMING: ("开原市农业农村局", "开原市农业技术推广中心"),
    C.SALES: ("开原市乡村振兴局", "开原市电子商务公共服务中心"),
    C.OTHER: ("开原市乡村振兴局", "开原市妇女儿童活动中心"),
}
CERTIFICATE_PREFIX = {K.SKILL_LEVEL: "S", K.QUALIFICATION: "Q", K.SPECIAL: "Z", K.COMPLETION: "PX"}
SLACK_MONTHS = (1, 2, 3, 4, 10, 11, 12)
TRAINEES = (10, 40)
TOWNSHIP_POOL = 15  # people of a township's labour force for a course of its own
COMPLETED, CERTIFIED = 0.92, 0.65


class TrainingsDemo:
    """Part of ``employment.demo.employment.EmploymentDemo``."""

    def course_starts(self, count: int) -> list[datetime.date]:
        """``count`` first days spread over the slack months from January 2024 to a month ago."""
        months, month = [], datetime.date(YEARS[0], 1, 1)
        while month <= month_first(self.today - 45 * DAY):
            if month.month in SLACK_MONTHS:
                months.append(month)
            month = (month + 32 * DAY).replace(day=1)
        step = len(months) / count
        return [months[int(i * step)].replace(day=self.rng.randint(3, 15)) for i in range(count)]

    def trainings(self) -> None:
        rng = self.rng
        county = Area.objects.home_county()
        count = courses_for(self.context.households)
        townships = sorted(
            (t for t in self.townships if len(self.by_township[t.pk]) >= TOWNSHIP_POOL),
            key=lambda t: (-len(self.by_township[t.pk]), t.code),
        )
        serial = 0
        courses: list[tuple[Training, list]] = []
        for number, start in enumerate(self.course_starts(count)):
            name, kind, hours, days, certificates = rng.choice(CATALOGUE)
            at_county = not townships or number % 3 == 0
            township = (
                None if at_county else townships[(number // 3 * 2 + number % 3) % len(townships)]
            )
            end = min(start + rng.randint(*days) * DAY, self.today)
            if at_county:
                organiser, place = COUNTY_ORGANISERS[kind]
                pool, creator = self.workers, self.bureau
            else:
                organiser = f"{township.name}人民政府"
                place = (
                    f"{township.name}{rng.choice(('综合文化站', '人民政府会议室', '农民技术学校'))}"
                )
                pool, creator = self.by_township[township.pk], self.clerk(township)
            training = Training(
                area=county if at_county else township,
                course=name,
                course_type=kind,
                organiser=organiser,
                place=place,
                start_date=start,
                end_date=end,
                hours=rng.randint(*hours) // 8 * 8,
                created_by=creator,
                created_at=self.moment(start - rng.randint(10, 20) * DAY),
            )
            able = [w for w in pool if 18 <= w.age(start.year) <= 60]
            wanted = min(rng.randint(*TRAINEES), max(min(len(able), 5), len(able) * 7 // 10))
            free = [w for w in able if not w.role]
            others = [w for w in able if w.role]
            rng.shuffle(free)
            rng.shuffle(others)
            first = free[: wanted * 2 // 3]
            chosen = first + (others + free[len(first) :])[: wanted - len(first)]
            trainees = []
            for worker in chosen:
                refuse_errors(
                    rules.trainee_problems(
                        training=training, member=worker.member, already_in=False
                    )
                )
                completed = rng.random() < COMPLETED
                certificate = number_ = ""
                if completed and rng.random() < CERTIFIED:
                    certificate = rng.choice(certificates)
                    serial += 1
                    number_ = f"{CERTIFICATE_PREFIX[certificate]}{end:%Y}211282{serial:05d}"
                refuse_errors(
                    rules.certificate_problems(
                        completed=completed, certificate=certificate, number=number_
                    )
                )
                if completed:
                    worker.courses.append(end)
                trainees.append(
                    Trainee(
                        member=worker.member,
                        completed=completed,
                        certificate=certificate,
                        certificate_number=number_,
                        added_by=creator,
                        added_at=self.moment(start),
                    )
                )
            if trainees:
                courses.append((training, trainees))
        Training.objects.bulk_create([training for training, _t in courses])
        rows = []
        for training, trainees in courses:
            for trainee in trainees:
                trainee.training = training
                rows.append(trainee)
        Trainee.objects.bulk_create(rows, batch_size=2000)
        self.counts["courses"] = len(courses)
        self.counts["trainees"] = len(rows)
