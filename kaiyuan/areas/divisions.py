"""The county and its 20 township-level units (NBS 统计用区划代码, 2023 edition; DOMAIN.md §8)."""

COUNTY = ("211282", "开原市")

TOWNSHIPS = (
    ("211282001", "新城街道", "subdistrict"),
    ("211282002", "老城街道", "subdistrict"),
    ("211282003", "开原街道", "subdistrict"),
    ("211282102", "威远堡镇", "town"),
    ("211282103", "庆云堡镇", "town"),
    ("211282104", "中固镇", "town"),
    ("211282105", "八棵树镇", "town"),
    ("211282106", "金沟子镇", "town"),
    ("211282107", "八宝镇", "town"),
    ("211282108", "业民镇", "town"),
    ("211282109", "莲花镇", "town"),
    ("211282110", "靠山镇", "town"),
    ("211282111", "马家寨镇", "town"),
    ("211282112", "下肥镇", "town"),
    ("211282113", "松山镇", "town"),
    ("211282114", "城东镇", "town"),
    ("211282115", "李家台镇", "town"),
    ("211282116", "上肥镇", "town"),
    ("211282117", "黄旗寨镇", "town"),
    ("211282217", "林丰满族乡", "ethnic_township"),
)


def load_divisions(area_model) -> None:
    """Create or refresh the county and its townships. Takes the model as an argument so that the
    data migration (historical model) and transactional tests (which flush tables) share it."""
    county_code, county_name = COUNTY
    county, _created = area_model.objects.update_or_create(
        code=county_code,
        defaults={
            "name": county_name,
            "level": "county",
            "kind": "county_city",
            "parent": None,
            "path": f"{county_code}/",
        },
    )
    for code, name, kind in TOWNSHIPS:
        area_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": "township",
                "kind": kind,
                "parent": county,
                "path": f"{county.path}{code}/",
            },
        )
