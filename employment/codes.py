"""Employment's code tables (DOMAIN.md §6): where a person works, the kind of job, the one
七个一批 measure a job is counted under, where the record came from, and the kinds of workshop,
course and certificate. The values are the national system's labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceCategory(models.TextChoices):
    """§6.3: the national reporting split by place of work."""

    IN_COUNTY = "县内务工", "县内务工"
    IN_PROVINCE = "省内县外务工", "省内县外务工"
    OUT_OF_PROVINCE = "省外务工", "省外务工"


class JobType(models.TextChoices):
    WAGE = "务工", "务工（工资性就业）"
    WELFARE_POST = "公益性岗位", "公益性岗位"
    WORKSHOP = "就业帮扶车间", "就业帮扶车间"
    FLEXIBLE = "灵活就业", "灵活就业"
    SELF_EMPLOYED = "自主创业", "自主创业"


class Batch(models.TextChoices):
    """§6.2 七个一批: every record is counted under exactly one (EMP-7)."""

    INDUSTRY = "产业帮扶项目吸纳一批", "产业帮扶项目吸纳一批"
    RECRUITMENT = "招聘活动推送一批", "招聘活动推送一批"
    GRADUATES = "脱贫家庭高校毕业生就业促进一批", "脱贫家庭高校毕业生就业促进一批"
    TRAINING = "乡村振兴技能提升培训一批", "乡村振兴技能提升培训一批"
    WELFARE_POSTS = "公益性岗位灵活兜底一批", "公益性岗位灵活兜底一批"
    LABOUR_EXPORT = "开展劳务协作输出一批", "开展劳务协作输出一批"
    FLEXIBLE = "灵活就业一批", "灵活就业一批"


class Source(models.TextChoices):
    """Where the clerk learned of the job."""

    VISIT = "走访核实", "走访核实"
    HRSS = "人社部门数据", "人社部门数据"
    SELF_REPORT = "本人申报", "本人申报"
    EMPLOYER = "用工单位提供", "用工单位提供"


class WorkshopType(models.TextChoices):
    """The kinds of 就业帮扶车间 ([S-62])."""

    FACTORY = "厂房式", "厂房式"
    HOME_BASED = "居家式", "居家式"
    FARMING = "种养式", "种养式"
    TRADE = "商贸式", "商贸式"
    TOURISM = "旅游式", "旅游式"


class CourseType(models.TextChoices):
    SKILLS = "职业技能培训", "职业技能培训"
    ENTREPRENEURSHIP = "创业培训", "创业培训"
    FARMING = "农业实用技术培训", "农业实用技术培训"
    SALES = "电商销售培训", "电商销售培训"
    OTHER = "其他", "其他"


class Certificate(models.TextChoices):
    NONE = "", _("No certificate")
    QUALIFICATION = "职业资格证书", "职业资格证书"
    SKILL_LEVEL = "职业技能等级证书", "职业技能等级证书"
    SPECIAL = "专项职业能力证书", "专项职业能力证书"
    COMPLETION = "培训合格证书", "培训合格证书"


class PostFunding(models.TextChoices):
    """What pays a public-welfare post: a PV station's income (the first use of its 6:3:1
    split), the public-welfare post subsidy, or another named source."""

    PV_INCOME = "光伏收益", "光伏收益"
    POST_SUBSIDY = "公益岗补助资金", "公益岗补助资金"
    PROJECT_INCOME = "产业帮扶项目收益", "产业帮扶项目收益"
    OTHER = "其他", "其他"
