"""Forms of the assistance-measure pages (帮扶措施, §2.4.5): input shape only; the service
(monitoring.services.measures) checks the rules (MON-ID-5) and writes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kaiyuan.common import dates
from monitoring.models import AssistanceMeasure

Group = AssistanceMeasure.Group

# Suggestions for the free-text measure (sub-type) of each group: the usual national sub-items
# and local programmes. A clerk may type anything else.
MEASURE_SUGGESTIONS: dict[str, tuple[str, ...]] = {
    Group.INDUSTRY: ("种植业", "养殖业", "庭院经济", "产业奖补", "资产收益分红", "入股分红"),
    Group.EMPLOYMENT: ("外出务工", "就近务工", "就业帮扶车间", "技能培训", "务工交通补贴"),
    Group.FINANCE: ("脱贫人口小额信贷", "创业担保贷款", "防贫保险"),
    Group.WELFARE_JOB: ("护林员", "护路员", "保洁员", "护水员", "护理员", "村务管理员"),
    Group.HOUSING: ("危房改造", "农房抗震改造", "住房安全鉴定"),
    Group.WATER: ("供水工程", "管网延伸", "水质提升"),
    Group.HEALTH: ("医疗救助", "参保资助", "慢性病签约服务", "家庭医生签约"),
    Group.COMPULSORY_EDUCATION: ("控辍保学", "学生资助", "营养改善计划"),
    Group.OTHER_EDUCATION: ("雨露计划", "生源地助学贷款", "高中阶段资助"),
    Group.SOCIAL_PROTECTION: ("低保", "特困供养", "临时救助", "残疾人两项补贴", "养老保险代缴"),
    Group.SOCIAL_ASSISTANCE: ("社会捐赠", "企业帮扶", "消费帮扶", "万企兴万村"),
    Group.RELOCATION: ("易地扶贫搬迁", "搬迁后续扶持"),
    Group.LIVING_CONDITIONS: ("改厨改厕", "庭院整治", "农机具配置"),
    Group.INFRASTRUCTURE: ("道路硬化", "入户路", "电网改造"),
}

DEPARTMENT_SUGGESTIONS = (
    "乡村振兴局",
    "农业农村局",
    "人社局",
    "民政局",
    "医保局",
    "卫健局",
    "教育局",
    "住建局",
    "水利局",
    "残联",
    "应急管理局",
    "乡镇人民政府",
)

FIRST_YEAR = 2014  # the filed-card register began in 2014


class MeasureForm(forms.Form):
    """Input of ``measure_create``."""

    year = forms.IntegerField(label=_("year"), min_value=FIRST_YEAR)
    group = forms.ChoiceField(label=_("measure group"), choices=Group.choices)
    subtype = forms.CharField(
        label=_("measure"),
        max_length=64,
        help_text=_("Choose a suggestion or type the measure."),
        widget=forms.TextInput(attrs={"list": "measure-suggestions", "autocomplete": "off"}),
    )
    description = forms.CharField(label=_("description"), max_length=300, required=False)
    department = forms.CharField(
        label=_("responsible department"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "department-suggestions", "autocomplete": "off"}),
    )
    amount = forms.DecimalField(
        label=_("amount (yuan)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    start_date = forms.DateField(
        label=_("start date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(
        label=_("status"),
        choices=AssistanceMeasure.Status.choices,
        initial=AssistanceMeasure.Status.PLANNED,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = dates.today()
        self.fields["year"].initial = today.year
        self.fields["year"].widget.attrs["max"] = today.year + 1
        self.fields["start_date"].initial = today

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > dates.today().year + 1:
            raise ValidationError(_("Measures are recorded for this year or the next."))
        return year

    def chosen_group(self) -> str:
        """The group whose suggestions the datalist shows."""
        raw = self.data.get("group") if self.is_bound else self.initial.get("group")
        return raw if raw in MEASURE_SUGGESTIONS else Group.INDUSTRY


class MeasureStatusForm(forms.Form):
    """Mark a measure implemented or back to planned, with the version the page showed."""

    status = forms.ChoiceField(choices=AssistanceMeasure.Status.choices)
    version = forms.IntegerField(min_value=1)
