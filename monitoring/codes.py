"""The national code tables (DOMAIN.md §2.5). Their values are the national system's own labels,
stored as they appear in its exports, so that import and export round-trip without a mapping.

Fixed tables are TextChoices; the lists DOMAIN.md says are not final (risk types, disaster
sub-items, dropout reasons, employment channels, public-welfare job types) are rows of
``CodeItem`` that the administrator edits.
"""

from __future__ import annotations

from django.db import models


class HouseholdType(models.TextChoices):
    EXITED = "脱贫户", "脱贫户"
    ORDINARY = "一般农户", "一般农户"


class ExitedAttribute(models.TextChoices):
    GENERAL = "一般脱贫户", "一般脱贫户"
    DIBAO = "低保脱贫户", "低保脱贫户"
    TEKUN = "特困供养脱贫户", "特困供养脱贫户"


class MonitoringCategory(models.TextChoices):
    UNSTABLE = "脱贫不稳定户", "脱贫不稳定户"
    MARGINAL = "边缘易致贫户", "边缘易致贫户"
    SUDDEN = "突发严重困难户", "突发严重困难户"


class EliminationMode(models.TextChoices):
    ASSISTED = "帮扶消除", "帮扶消除"
    NATURAL = "自然消除", "自然消除"


class DevMeasureState(models.TextChoices):
    IMPLEMENTED = "已实施", "已实施"
    NOT_YET = "尚未实施", "尚未实施"


class Relation(models.TextChoices):
    HEAD = "户主", "户主"
    SPOUSE = "配偶", "配偶"
    SON = "之子", "之子"
    DAUGHTER = "之女", "之女"
    DAUGHTER_IN_LAW = "之儿媳", "之儿媳"
    SON_IN_LAW = "之女婿", "之女婿"
    GRANDSON = "之孙子", "之孙子"
    GRANDDAUGHTER = "之孙女", "之孙女"
    DAUGHTERS_SON = "之外孙子", "之外孙子"
    DAUGHTERS_DAUGHTER = "之外孙女", "之外孙女"
    FATHER = "之父", "之父"
    MOTHER = "之母", "之母"
    WIFES_FATHER = "之岳父", "之岳父"
    WIFES_MOTHER = "之岳母", "之岳母"
    HUSBANDS_FATHER = "之公公", "之公公"
    HUSBANDS_MOTHER = "之婆婆", "之婆婆"
    GRANDFATHER = "之祖父", "之祖父"
    GRANDMOTHER = "之祖母", "之祖母"
    MATERNAL_GRANDFATHER = "之外祖父", "之外祖父"
    MATERNAL_GRANDMOTHER = "之外祖母", "之外祖母"
    SIBLING = "之兄弟姐妹", "之兄弟姐妹"
    GREAT_GRANDSON = "之曾孙子", "之曾孙子"
    GREAT_GRANDDAUGHTER = "之曾孙女", "之曾孙女"
    NEPHEW = "之侄儿", "之侄儿"
    NIECE = "之侄女", "之侄女"
    SIBLINGS_WIFE = "之兄弟媳妇", "之兄弟媳妇"
    UNCLE = "之叔伯", "之叔伯"
    OTHER = "其他", "其他"


class Education(models.TextChoices):
    ILLITERATE = "文盲或半文盲", "文盲或半文盲"
    PRIMARY = "小学", "小学"
    JUNIOR = "初中", "初中"
    SENIOR = "高中", "高中"
    COLLEGE = "大专", "大专"
    BACHELOR = "本科及以上", "本科及以上"


class Schooling(models.TextChoices):
    PRESCHOOL_AGE = "学龄前儿童", "学龄前儿童"
    KINDERGARTEN = "学前教育", "学前教育"
    PRIMARY = "小学", "小学"
    GRADE_7 = "七年级", "七年级"
    GRADE_8 = "八年级", "八年级"
    GRADE_9 = "九年级", "九年级"
    HIGH_1 = "普通高中一年级", "普通高中一年级"
    HIGH_2 = "普通高中二年级", "普通高中二年级"
    HIGH_3 = "普通高中三年级", "普通高中三年级"
    VOC_1 = "中职一年级", "中职一年级"
    VOC_2 = "中职二年级", "中职二年级"
    VOC_3 = "中职三年级", "中职三年级"
    HVOC_1 = "高职高专一年级", "高职高专一年级"
    HVOC_2 = "高职高专二年级", "高职高专二年级"
    HVOC_3 = "高职高专三年级", "高职高专三年级"
    TECH_1 = "技师学院一年级", "技师学院一年级"
    TECH_2 = "技师学院二年级", "技师学院二年级"
    TECH_3 = "技师学院三年级", "技师学院三年级"
    TECH_4 = "技师学院四年级", "技师学院四年级"
    UNI_1 = "本科一年级", "本科一年级"
    UNI_2 = "本科二年级", "本科二年级"
    UNI_3 = "本科三年级", "本科三年级"
    UNI_4 = "本科四年级", "本科四年级"
    UNI_5 = "本科五年级", "本科五年级"
    POSTGRADUATE = "硕士研究生及以上", "硕士研究生及以上"


class LabourSkill(models.TextChoices):
    ORDINARY = "普通劳动力", "普通劳动力"
    SKILLED = "技能劳动力", "技能劳动力"
    WEAK = "弱劳动力或半劳动力", "弱劳动力或半劳动力"
    LOST = "丧失劳动力", "丧失劳动力"
    NONE = "无劳动力", "无劳动力"


# §2.5.4: who "has labour" for the development-type measure rules.
HAS_LABOUR = frozenset({LabourSkill.ORDINARY, LabourSkill.SKILLED, LabourSkill.WEAK})
NO_LABOUR = frozenset({LabourSkill.LOST, LabourSkill.NONE})


class Health(models.TextChoices):
    HEALTHY = "健康", "健康"
    CHRONIC = "长期慢性病", "长期慢性病"
    SERIOUS = "患有大病", "患有大病"
    DISABLED = "残疾", "残疾"


class PoliticalStatus(models.TextChoices):
    PARTY = "中共党员", "中共党员"
    PROBATIONARY = "中共预备党员", "中共预备党员"
    LEAGUE = "共青团员", "共青团员"
    MASSES = "群众", "群众"


class IdType(models.TextChoices):
    RESIDENT_ID = "居民身份证", "居民身份证"
    DISABILITY_CERT = "残疾人证", "残疾人证"


class Sex(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class HouseGrade(models.TextChoices):
    A = "A", "A级"
    B = "B", "B级"
    C = "C", "C级"
    D = "D", "D级"


ETHNICITIES = (
    "汉族",
    "满族",
    "蒙古族",
    "回族",
    "朝鲜族",
    "锡伯族",
    "壮族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "土家族",
    "布依族",
    "侗族",
    "瑶族",
    "白族",
    "哈尼族",
    "哈萨克族",
    "黎族",
    "傣族",
    "畲族",
    "傈僳族",
    "仡佬族",
    "东乡族",
    "高山族",
    "拉祜族",
    "水族",
    "佤族",
    "纳西族",
    "羌族",
    "土族",
    "仫佬族",
    "柯尔克孜族",
    "达斡尔族",
    "景颇族",
    "毛南族",
    "撒拉族",
    "布朗族",
    "塔吉克族",
    "阿昌族",
    "普米族",
    "鄂温克族",
    "怒族",
    "京族",
    "基诺族",
    "德昂族",
    "保安族",
    "俄罗斯族",
    "裕固族",
    "乌孜别克族",
    "门巴族",
    "鄂伦春族",
    "独龙族",
    "塔塔尔族",
    "赫哲族",
    "珞巴族",
    "其他",
)
Ethnicity = models.TextChoices("Ethnicity", [(name, name) for name in ETHNICITIES])

YES, NO = "是", "否"


# Risk-type values the rules refer to by name (MON-RISK, MON-INC-4).
RISK_ILLNESS = "因病"


RISK_DISABILITY = "因残"


RISK_WATER = "因安全饮水"


RISK_EMPLOYMENT = "因务工就业不稳"


RISK_DISASTER = "因自然灾害"
