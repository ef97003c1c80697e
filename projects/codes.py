"""The project library's code tables (DOMAIN.md §3.1, §3.6, §4.3a; PRJ-11). Values are the
Chinese labels the county's own lists use, stored as written so that the import and the
published library round-trip without a mapping."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    INDUSTRY = "产业发展", "产业发展"
    COLLECTIVE = "新型农村集体经济", "新型农村集体经济"
    RURAL_CONSTRUCTION = "乡村建设行动", "乡村建设行动"
    EMPLOYMENT = "就业", "就业"
    RELOCATION = "易地搬迁后扶", "易地搬迁后扶"
    MANAGEMENT_FEE = "项目管理费", "项目管理费"
    OTHER = "其他", "其他"


class Subcategory(models.TextChoices):
    """The plan's own kinds of project (§四(二), §四(四)), each under one category."""

    ORGANIC_RICE = "有机稻米", "有机稻米"
    GRAPE = "葡萄", "葡萄"
    WILD_VEGETABLES = "山野菜", "山野菜"
    HERBS = "中药材", "中药材"
    BROILER = "肉鸡", "肉鸡"
    DUCK = "肉鸭", "肉鸭"
    BEEF_CATTLE = "肉牛", "肉牛"
    MUTTON_SHEEP = "肉羊", "肉羊"
    PROCESSING = "农产品加工", "农产品加工"
    STORAGE = "仓储保鲜", "仓储保鲜"
    COLD_CHAIN = "冷链物流", "冷链物流"
    LEISURE = "休闲农业", "休闲农业"
    PV = "分布式光伏", "分布式光伏（公司+村镇）"
    COURTYARD = "庭院经济", "庭院经济"
    DEMONSTRATION_BASE = "产业帮扶示范基地", "产业帮扶示范基地"
    COLLECTIVE_ECONOMY = "新型农村集体经济项目", "新型农村集体经济项目"
    MODEL_VILLAGE = "乡村建设典型村", "乡村建设典型村"
    INFRASTRUCTURE = "农村基础设施", "农村基础设施"
    PUBLIC_SERVICES = "农村公共服务", "农村公共服务"
    EMPLOYMENT = "就业帮扶", "就业帮扶"
    MANAGEMENT_FEE = "项目管理费", "项目管理费"
    OTHER = "其他", "其他"


S = Subcategory
SUBCATEGORIES: dict[str, tuple[str, ...]] = {
    Category.INDUSTRY: (
        S.ORGANIC_RICE,
        S.GRAPE,
        S.WILD_VEGETABLES,
        S.HERBS,
        S.BROILER,
        S.DUCK,
        S.BEEF_CATTLE,
        S.MUTTON_SHEEP,
        S.PROCESSING,
        S.STORAGE,
        S.COLD_CHAIN,
        S.LEISURE,
        S.PV,
        S.COURTYARD,
        S.DEMONSTRATION_BASE,
        S.OTHER,
    ),
    Category.COLLECTIVE: (S.COLLECTIVE_ECONOMY,),
    Category.RURAL_CONSTRUCTION: (S.MODEL_VILLAGE, S.INFRASTRUCTURE, S.PUBLIC_SERVICES),
    Category.EMPLOYMENT: (S.EMPLOYMENT,),
    Category.RELOCATION: (S.OTHER,),
    Category.MANAGEMENT_FEE: (S.MANAGEMENT_FEE,),
    Category.OTHER: (S.OTHER,),
}
# Industry projects count to the industry share of the funds and carry the 四有 checklist.
INDUSTRY_CATEGORIES = (Category.INDUSTRY, Category.COLLECTIVE)


class FinanceMode(models.TextChoices):
    SELF_BUILT = "自建类", "自建类"
    DEBT = "债权类", "债权类"
    HOUSEHOLD = "到户类", "到户类"
    OTHER = "其他", "其他"


class FourBatches(models.TextChoices):
    CONSOLIDATE = "巩固一批", "巩固一批"
    UPGRADE = "升级一批", "升级一批"
    REVIVE = "盘活一批", "盘活一批"
    ADJUST = "调整一批", "调整一批"


class ProposerLevel(models.TextChoices):
    VILLAGE = "village", _("Village")
    TOWNSHIP = "township", _("Township")
    COUNTY = "county", _("County department")


class EntityType(models.TextChoices):
    TOWNSHIP_GOVERNMENT = "乡镇人民政府", "乡镇人民政府"
    VILLAGE_COMMITTEE = "村民委员会", "村民委员会"
    COLLECTIVE_ORGANISATION = "村集体经济组织", "村集体经济组织"
    ENTERPRISE = "企业", "企业"
    COOPERATIVE = "农民专业合作社", "农民专业合作社"
    DEPARTMENT = "县直部门", "县直部门"
    OTHER = "其他", "其他"


class PreworkStatus(models.TextChoices):
    NOT_NEEDED = "无需办理", "无需办理"
    IN_PROGRESS = "办理中", "办理中"
    DONE = "已办结", "已办结"


class Mechanism(models.TextChoices):
    """联农带农 mechanisms (DOMAIN.md §3.6)."""

    ORDER_FARMING = "订单生产", "订单生产"
    CUSTODY = "托养托管", "托养托管"
    CONSIGNMENT = "产品代销", "产品代销"
    PROTECTIVE_PRICE = "保护价收购", "保护价收购"
    EMPLOYMENT = "吸纳就业", "吸纳就业"
    ASSET_SHARES = "资产入股收益", "资产入股收益"
    LAND_TRANSFER = "土地流转", "土地流转"
    ORDER_GUARANTEE = "订单保底", "订单保底"
    SHAREHOLDING = "股份合作", "股份合作"
    TRUSTEESHIP = "生产托管", "生产托管"


class BeneficiaryRole(models.TextChoices):
    BENEFIT = "受益", "受益"
    WORK = "务工", "务工"
    DIVIDEND = "分红", "分红"


class IndicatorGroup(models.TextChoices):
    OUTPUT = "产出指标", "产出指标"
    BENEFIT = "效益指标", "效益指标"
    SATISFACTION = "满意度指标", "满意度指标"


class IndicatorKind(models.TextChoices):
    QUANTITY = "数量指标", "数量指标"
    QUALITY = "质量指标", "质量指标"
    TIMELINESS = "时效指标", "时效指标"
    COST = "成本指标", "成本指标"
    ECONOMIC = "经济效益", "经济效益"
    SOCIAL = "社会效益", "社会效益"
    ECOLOGICAL = "生态效益", "生态效益"
    SUSTAINABLE = "可持续影响", "可持续影响"
    BENEFICIARY_SATISFACTION = "服务对象满意度", "服务对象满意度"


INDICATOR_KINDS: dict[str, tuple[str, ...]] = {
    IndicatorGroup.OUTPUT: (
        IndicatorKind.QUANTITY,
        IndicatorKind.QUALITY,
        IndicatorKind.TIMELINESS,
        IndicatorKind.COST,
    ),
    IndicatorGroup.BENEFIT: (
        IndicatorKind.ECONOMIC,
        IndicatorKind.SOCIAL,
        IndicatorKind.ECOLOGICAL,
        IndicatorKind.SUSTAINABLE,
    ),
    IndicatorGroup.SATISFACTION: (IndicatorKind.BENEFICIARY_SATISFACTION,),
}


class Direction(models.TextChoices):
    AT_LEAST = "≥", "≥"
    AT_MOST = "≤", "≤"
    EQUAL = "=", "="


class OperatingMode(models.TextChoices):
    """PRJ-11: the operating modes the plan allows."""

    VILLAGE_COLLECTIVE = "村集体经营", "村集体经营"
    CONTRACTING = "承包", "承包"
    LEASE = "租赁", "租赁"
    JOINT = "联营", "联营"
    ENTRUSTED = "委托经营", "委托经营"
    SHAREHOLDING = "股份合作", "股份合作"


class PublicityMedium(models.TextChoices):
    BOARD = "村务公开栏", "村务公开栏"
    TOWNSHIP_BOARD = "乡镇政务公开栏", "乡镇政务公开栏"
    WEBSITE = "政府网站", "政府网站"
    WECHAT = "微信公众号", "微信公众号"
    OTHER = "其他", "其他"


class AcceptanceResult(models.TextChoices):
    PASSED = "合格", "合格"
    FAILED = "不合格", "不合格"
