"""Villages, villager groups and grids for the 20 real townships.

Real village names are used where DOMAIN.md has them (中固镇's 20 village committees); elsewhere
names are generated in the style of the region. Codes follow the statistical pattern: township code
+ 2xx for village committees, 0xx for residents' committees.
"""

from __future__ import annotations

from kaiyuan.areas.models import Area, Grid

ZHONGGU_VILLAGES = (
    "烟厂",
    "大白庙子",
    "小白庙子",
    "梁家台",
    "沙河子",
    "沙河堡",
    "下土口子",
    "新屯",
    "展家沟",
    "后沟",
    "孟家寨",
    "梅家寨",
    "中固",
    "西地",
    "王广福",
    "赵家沟",
    "石旺沟",
    "石山",
    "清水沟子",
    "北腰堡",
)
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董潘袁于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
)
MALE_GIVEN = "国建军明伟强志勇忠德文平东海波涛亮春生福贵山林峰永宝金成斌刚辉俊鹏"
FEMALE_GIVEN = "秀兰芳英玉华桂珍丽娟霞红梅凤云燕萍琴静敏艳玲淑春香荣"


def given_name(rng, *, female: bool) -> str:
    """A given name of one or two characters, as people of the county are named (the demo's
    household members and its users alike)."""
    given = FEMALE_GIVEN if female else MALE_GIVEN
    length = 2 if rng.random() < 0.7 else 1
    return "".join(rng.choice(given) for _ in range(length))


PLACE_SUFFIXES = ("家屯", "家堡", "家窝堡", "家沟", "家店", "家台", "家岭", "家洼")
PLACE_NAMES = (
    "河西",
    "东山",
    "北岭",
    "南台",
    "小河",
    "大房身",
    "三家子",
    "四道沟",
    "五家子",
    "青石岭",
    "二道河",
    "柳树",
    "榆树",
    "杨木林子",
    "双楼台",
    "长岭",
    "新立",
    "前进",
    "胜利",
    "红旗",
    "太平",
    "永安",
    "兴隆",
    "团结",
    "和平",
    "民主",
    "光明",
    "富强",
    "腰堡",
    "西丰台",
)
COMMUNITY_NAMES = ("新华", "建设", "文化", "站前", "向阳", "东城", "西城", "南城", "北城", "兴开")


def _village_names(context, count: int, used: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        if context.random.random() < 0.6:
            name = context.random.choice(SURNAMES) + context.random.choice(PLACE_SUFFIXES)
        else:
            name = context.random.choice(PLACE_NAMES)
        if name not in used:
            used.add(name)
            names.append(name)
    return names


def seed(context) -> None:
    townships = list(
        Area.objects.townships().filter(parent=Area.objects.home_county()).order_by("code")
    )
    new_areas: list[Area] = []
    villages: list[Area] = []
    for township in townships:
        used: set[str] = set()
        specs: list[tuple[str, str, str]] = []  # (code, name, kind)
        if township.kind == Area.Kind.SUBDISTRICT:
            for index in range(context.random.randint(3, 5)):
                specs.append(
                    (
                        f"{township.code}{index + 1:03d}",
                        f"{COMMUNITY_NAMES[index]}社区",
                        Area.Kind.RESIDENTS_COMMITTEE,
                    )
                )
            names = _village_names(context, context.random.randint(3, 6), used)
        elif township.code == "211282104":
            names = list(ZHONGGU_VILLAGES)
        else:
            names = _village_names(context, context.random.randint(11, 18), used)
        for index, name in enumerate(names):
            specs.append(
                (f"{township.code}{201 + index:03d}", f"{name}村", Area.Kind.VILLAGE_COMMITTEE)
            )
        for code, name, kind in specs:
            village = Area(
                code=code,
                name=name,
                level=Area.Level.VILLAGE,
                kind=kind,
                parent=township,
                path=f"{township.path}{code}/",
            )
            new_areas.append(village)
            villages.append(village)
    Area.objects.bulk_create(new_areas, batch_size=1000)
    villages = list(Area.objects.villages().order_by("code"))

    groups: list[Area] = []
    grids: list[Grid] = []
    chinese_numbers = "一二三四五六七八九十"
    for village in villages:
        for index in range(context.random.randint(3, 8)):
            code = f"{village.code}{index + 1:03d}"
            groups.append(
                Area(
                    code=code,
                    name=f"第{chinese_numbers[index]}村民组",
                    level=Area.Level.GROUP,
                    kind=Area.Kind.GROUP,
                    parent=village,
                    path=f"{village.path}{code}/",
                )
            )
        for index in range(context.random.randint(1, 3)):
            grids.append(Grid(area=village, name=f"第{chinese_numbers[index]}网格"))
    Area.objects.bulk_create(groups, batch_size=2000)
    Grid.objects.bulk_create(grids, batch_size=2000)
    context.made["villages"] = villages
    context.made["grids"] = list(Grid.objects.select_related("area").order_by("area__code", "name"))
    context.log(f"villages: {len(villages)}, groups: {len(groups)}, grids: {len(grids)}")
