"""The State Council's holiday notices (国务院办公厅关于部分节假日安排的通知) the system ships with.

Each festival is written as the notice writes it: the days off (放假调休, a range that may include
the weekend) and the weekend days worked instead (上班). The administrator adds later years in
the admin (政策设置 › 节假日安排); these are loaded once, by a data migration and after a flush.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import NamedTuple

D = datetime.date


class Festival(NamedTuple):
    name: str
    first_day_off: datetime.date
    last_day_off: datetime.date
    worked: tuple[datetime.date, ...] = ()


NOTICES: dict[int, tuple[Festival, ...]] = {
    # 国办发明电〔2023〕7号
    2024: (
        Festival("元旦", D(2023, 12, 30), D(2024, 1, 1)),
        Festival("春节", D(2024, 2, 10), D(2024, 2, 17), (D(2024, 2, 4), D(2024, 2, 18))),
        Festival("清明节", D(2024, 4, 4), D(2024, 4, 6), (D(2024, 4, 7),)),
        Festival("劳动节", D(2024, 5, 1), D(2024, 5, 5), (D(2024, 4, 28), D(2024, 5, 11))),
        Festival("端午节", D(2024, 6, 8), D(2024, 6, 10)),
        Festival("中秋节", D(2024, 9, 15), D(2024, 9, 17), (D(2024, 9, 14),)),
        Festival("国庆节", D(2024, 10, 1), D(2024, 10, 7), (D(2024, 9, 29), D(2024, 10, 12))),
    ),
    # 国办发明电〔2024〕12号
    2025: (
        Festival("元旦", D(2025, 1, 1), D(2025, 1, 1)),
        Festival("春节", D(2025, 1, 28), D(2025, 2, 4), (D(2025, 1, 26), D(2025, 2, 8))),
        Festival("清明节", D(2025, 4, 4), D(2025, 4, 6)),
        Festival("劳动节", D(2025, 5, 1), D(2025, 5, 5), (D(2025, 4, 27),)),
        Festival("端午节", D(2025, 5, 31), D(2025, 6, 2)),
        Festival(
            "国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8), (D(2025, 9, 28), D(2025, 10, 11))
        ),
    ),
    # 国务院办公厅 2025年11月4日
    2026: (
        Festival("元旦", D(2026, 1, 1), D(2026, 1, 3), (D(2026, 1, 4),)),
        Festival("春节", D(2026, 2, 15), D(2026, 2, 23), (D(2026, 2, 14), D(2026, 2, 28))),
        Festival("清明节", D(2026, 4, 4), D(2026, 4, 6)),
        Festival("劳动节", D(2026, 5, 1), D(2026, 5, 5), (D(2026, 5, 9),)),
        Festival("端午节", D(2026, 6, 19), D(2026, 6, 21)),
        Festival("中秋节", D(2026, 9, 25), D(2026, 9, 27)),
        Festival("国庆节", D(2026, 10, 1), D(2026, 10, 7), (D(2026, 9, 20), D(2026, 10, 10))),
    ),
}


def calendar_days() -> Iterator[tuple[datetime.date, str, str]]:
    """(day, kind, festival) of every day the notices move: the weekdays off and the weekends
    worked. Weekend days inside a holiday range are left out, being days off anyway."""
    for festivals in NOTICES.values():
        for festival in festivals:
            day = festival.first_day_off
            while day <= festival.last_day_off:
                if day.weekday() < 5:
                    yield day, "holiday", festival.name
                day += datetime.timedelta(days=1)
            for worked in festival.worked:
                yield worked, "workday", festival.name


def load_calendar(calendar_day_model, using: str = "default") -> None:
    """Insert the shipped notices' days. Takes the model as an argument so that the data
    migration (historical model) and the reload after a flush share it."""
    calendar_day_model.objects.using(using).bulk_create(
        [calendar_day_model(day=day, kind=kind, name=name) for day, kind, name in calendar_days()]
    )
