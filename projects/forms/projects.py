"""The proposal form: every field of a proposal (``services.projects.PROPOSAL_FIELDS``) in its
fieldsets, with the villages and the performance targets as rows. It parses input only; the
rules (funding, shares, PRJ-5, credit code, sub-category) are the service's, shown in the same
round as the form's own errors (``save_with_every_error``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from kaiyuan.areas.models import Area
from kaiyuan.areas.picker import village_field
from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput
from projects.codes import (
    INDICATOR_KINDS,
    INDUSTRY_CATEGORIES,
    SUBCATEGORIES,
    Category,
    Direction,
    IndicatorGroup,
    Mechanism,
    ProposerLevel,
    Subcategory,
)
from projects.models import ConstructionListItem, FourHavesItem, Project
from projects.models.projects import FUNDING_FIELDS
from projects.services.projects import PROPOSAL_FIELDS, Indicator, Proposal, VillageShare

DATE = DateInput()
PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal("0"), "max_value": 100}
# The fields the model gives as they are (labels, lengths, choices); the lists and the
# check boxes are declared on the form.
MODEL_FIELDS = [
    name
    for name in PROPOSAL_FIELDS
    if name not in ("year", "subcategory", "mechanisms", "four_haves")
]

# The fieldsets of the page, in order: (key, legend, fields). The villages, the targets and the
# two checklists are rows or boxes of their own, placed by the template.
FIELDSETS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "basic",
        _("Basic information"),
        ("proposer_level", "name", "year", "category", "subcategory", "finance_mode", "sector"),
    ),
    ("location", _("Location and villages"), ("location", "beneficiary_entity")),
    (
        "entity",
        _("Implementing entity"),
        (
            "entity_name",
            "entity_type",
            "entity_uscc",
            "responsible_person",
            "responsible_phone",
            "operating_mode",
            "asset_owner",
        ),
    ),
    (
        "content",
        _("Content, scale and dates"),
        ("content", "scale", "start_date", "end_date", "subsidy_standard"),
    ),
    ("funding", _("Investment and funding by level"), ("total_investment", *FUNDING_FIELDS)),
    (
        "prework",
        _("Pre-work (land use, environmental assessment)"),
        ("land_status", "environment_status"),
    ),
    ("linkage", _("Farmer-linking (联农带农)"), ("mechanisms", "mechanism_note")),
)
FOUR_HAVES_FIELDSET = ("four_haves",)
CONSTRUCTION_FIELDSET = ("construction_items",)
FOUR_BATCHES_FIELDSET = ("four_batches", "four_batches_on", "four_batches_reason")

ProposalModelFields = type(
    "ProposalModelFields",
    (forms.Form,),
    {
        "__module__": __name__,
        **fields_for_model(
            Project,
            fields=MODEL_FIELDS,
            widgets={
                "content": forms.Textarea(attrs={"rows": 3}),
                "start_date": DATE,
                "end_date": DATE,
                "four_batches_on": DATE,
            },
        ),
    },
)


# The sub-categories grouped under their category, as the county's table reads (a list of
# optgroups; the rule checks the pair).
SUBCATEGORY_GROUPS = [
    (category.label, [(sub, Subcategory(sub).label) for sub in SUBCATEGORIES[category]])
    for category in Category
]


def _subcategory_choices() -> list:
    return [("", "---------"), *SUBCATEGORY_GROUPS]


def _kind_choices() -> list:
    return [
        ("", "---------"),
        *(
            (group.label, [(kind, kind) for kind in INDICATOR_KINDS[group]])
            for group in IndicatorGroup
        ),
    ]


class ProposalForm(ProposalModelFields):
    """A proposal, new (``project=None``) or a draft being edited. ``levels`` are the proposer
    levels the user may choose from (a township clerk: village or township); one level is fixed
    and not asked."""

    year = forms.IntegerField(label=_("library year"), min_value=2020, max_value=2100)
    subcategory = forms.ChoiceField(label=_("sub-category"), choices=_subcategory_choices)
    mechanisms = forms.MultipleChoiceField(
        label=_("farmer-linking mechanisms"),
        choices=Mechanism.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    four_haves = forms.MultipleChoiceField(
        label=_("四有 checklist: the project has"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For industry projects: tick each item the project meets."),
    )
    construction_items = forms.ModelMultipleChoiceField(
        label=_("rural-construction list items"),
        queryset=ConstructionListItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "For model-village projects: the positive-list items the project builds; none of "
            "the negative list may be chosen."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, user, levels, project: Project | None = None, initial=None):
        self.user = user
        self.project = project
        super().__init__(data, initial=initial or (_initial_of(project) if project else None))
        for name in FUNDING_FIELDS:
            self.fields[name].required = False
        if project is None:
            # Proposals are gathered in the year before the library they are for (PRJ-6).
            self.fields["year"].initial = today().year + 1
        if len(levels) > 1:
            self.fields["proposer_level"] = forms.ChoiceField(
                label=_("proposed as"),
                choices=[(level, ProposerLevel(level).label) for level in levels],
                widget=forms.RadioSelect,
                initial=levels[0],
                help_text=_(
                    "A village's proposal is for one of the township's villages; a township's "
                    "proposal is the township's own (township-scale or across villages)."
                ),
            )
        self.level = levels[0] if len(levels) == 1 else None
        self.items = list(FourHavesItem.objects.filter(active=True))
        self.fields["four_haves"].choices = [(item.code, item.label) for item in self.items]
        # The items in use, and those this project chose before they were retired.
        chosen = [item.pk for item in project.construction_items.all()] if project else []
        offered = ConstructionListItem.objects.filter(Q(active=True) | Q(pk__in=chosen))
        lists = list(offered.order_by("kind", "order", "id"))
        self.fields["construction_items"].queryset = offered
        self.fields["construction_items"].choices = [
            (kind.label, [(item.pk, item.text) for item in lists if item.kind == kind])
            for kind in ConstructionListItem.Kind
        ]
        if project is None:
            self.fields.pop("version")
        else:
            self.fields["version"].required = True
        self.villages = VillageFormSet(
            data, prefix="villages", initial=_village_rows(project, user), user=user
        )
        self.indicators = IndicatorFormSet(
            data,
            prefix="indicators",
            initial=_indicator_rows(project),
            suggest=project is None,
        )

    # ---- the fieldsets as the template lays them out -------------------------------------

    # The answers for which the two checklists apply (the page shows them only then).
    industry_values = "|".join(INDUSTRY_CATEGORIES)
    model_village_value = Subcategory.MODEL_VILLAGE.value

    @property
    def level_label(self) -> str:
        return ProposerLevel(self.level).label if self.level else ""

    def fieldsets(self) -> list[tuple[str, Any, list]]:
        return [
            (key, legend, [self[name] for name in names if name in self.fields])
            for key, legend, names in FIELDSETS
        ]

    def group(self, names) -> list:
        return [self[name] for name in names]

    @property
    def four_haves_fields(self):
        return self.group(FOUR_HAVES_FIELDSET)

    @property
    def construction_fields(self):
        return self.group(CONSTRUCTION_FIELDSET)

    @property
    def four_batches_fields(self):
        return self.group(FOUR_BATCHES_FIELDSET)

    # ---- validity: the form and its rows -----------------------------------------------------

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.villages.is_valid() & self.indicators.is_valid() & valid

    def clean(self):
        data = super().clean()
        for name in FUNDING_FIELDS:
            if name in data and data[name] is None:
                data[name] = Decimal("0")
        return data

    @property
    def proposer_level(self) -> str:
        return self.level or self.cleaned_data.get("proposer_level", "")

    def proposal(self) -> Proposal:
        """The proposal as parsed (on a form with errors, what parsed), for the service and for
        its ``proposal_problems``."""
        self.villages.errors  # noqa: B018 - cleans every row
        self.indicators.errors  # noqa: B018
        data = self.cleaned_data
        fields = {name: data[name] for name in PROPOSAL_FIELDS if name in data}
        category = data.get("category", "")
        # The checklists that do not apply to the project are not kept (the page hides them).
        stored = dict(self.project.four_haves) if self.project else {}
        active = {item.code for item in self.items}
        four_haves = {code: met for code, met in stored.items() if code not in active}
        if category in INDUSTRY_CATEGORIES:
            ticked = set(data.get("four_haves", []))
            four_haves.update({code: code in ticked for code in active})
        fields["four_haves"] = four_haves
        items = list(data.get("construction_items", []))
        if data.get("subcategory") != Subcategory.MODEL_VILLAGE:
            items = []
        return Proposal(
            fields=fields,
            villages=self.villages.shares(),
            indicators=self.indicators.targets(),
            construction_items=items,
        )


def _initial_of(project: Project) -> dict:
    values = {name: getattr(project, name) for name in PROPOSAL_FIELDS}
    values["four_haves"] = [code for code, met in (project.four_haves or {}).items() if met]
    values["construction_items"] = [item.pk for item in project.construction_items.all()]
    values["version"] = project.version
    return values


# =============================================================================================
# The rows: villages and performance targets
# =============================================================================================


class VillageRowForm(forms.Form):
    village = forms.ModelChoiceField(label=_("village"), queryset=Area.objects.none())
    share_percent = forms.DecimalField(label=_("share of the project (%)"), **PERCENT)
    asset_share_percent = forms.DecimalField(label=_("share of the assets (%)"), **PERCENT)
    duties = forms.CharField(label=_("the village's duties"), max_length=300, required=False)

    def __init__(self, *args, villages: forms.ModelChoiceField, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["village"]
        field.queryset = villages.queryset
        field.label_from_instance = villages.label_from_instance
        field.choices = villages.choices


class BaseVillageFormSet(forms.BaseFormSet):
    def __init__(self, *args, user, **kwargs):
        # The villages the user may place a project in, read once for every row.
        prototype = forms.ModelChoiceField(queryset=Area.objects.none())
        village_field(prototype, user)
        prototype.choices = list(prototype.choices)
        self.prototype = prototype
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"villages": self.prototype}

    def shares(self) -> list[VillageShare]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if data.get("DELETE") or not all(
                data.get(key) is not None
                for key in ("village", "share_percent", "asset_share_percent")
            ):
                continue
            rows.append(
                VillageShare(
                    village=data["village"],
                    share_percent=data["share_percent"],
                    asset_share_percent=data["asset_share_percent"],
                    duties=data.get("duties", ""),
                )
            )
        return rows


VillageFormSet = forms.formset_factory(
    VillageRowForm, formset=BaseVillageFormSet, extra=1, can_delete=True, max_num=100
)


def _village_rows(project: Project | None, user) -> list[dict]:
    if project is not None:
        return [
            {
                "village": row.village_id,
                "share_percent": row.share_percent,
                "asset_share_percent": row.asset_share_percent,
                "duties": row.duties,
            }
            for row in project.villages.all()
        ]
    if user.area is not None and user.area.level == Area.Level.VILLAGE:
        # A grid worker proposes for their village: the row is filled in.
        return [{"village": user.area_id, "share_percent": 100, "asset_share_percent": 100}]
    return []


class IndicatorRowForm(forms.Form):
    group = forms.ChoiceField(
        label=_("indicator group"), choices=[("", "---------"), *IndicatorGroup.choices]
    )
    kind = forms.ChoiceField(label=_("indicator kind"), choices=_kind_choices)
    name = forms.CharField(label=_("indicator"), max_length=100)
    unit = forms.CharField(label=_("unit"), max_length=16)
    direction = forms.ChoiceField(
        label=_("direction"), choices=Direction.choices, initial=Direction.AT_LEAST
    )
    target = forms.DecimalField(label=_("target value"), max_digits=14, decimal_places=2)

    def __init__(self, *args, group: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if group:
            # A suggestion, not an answer: a row left as it is stays empty.
            self.fields["group"].initial = group


class BaseIndicatorFormSet(forms.BaseFormSet):
    def __init__(self, *args, suggest: bool = False, **kwargs):
        self.suggest = suggest
        if suggest:
            self.extra = len(IndicatorGroup)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        # A new proposal starts with a row for each of the three groups PRJ-4 asks for.
        groups = list(IndicatorGroup)
        if self.suggest and index is not None and index < len(groups):
            return {"group": groups[index]}
        return {}

    def targets(self) -> list[Indicator]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            needed = ("group", "kind", "name", "unit", "target")
            if data.get("DELETE") or not all(data.get(key) not in (None, "") for key in needed):
                continue
            rows.append(
                Indicator(
                    group=data["group"],
                    kind=data["kind"],
                    name=data["name"],
                    unit=data["unit"],
                    target=data["target"],
                    direction=data.get("direction") or Direction.AT_LEAST,
                )
            )
        return rows


IndicatorFormSet = forms.formset_factory(
    IndicatorRowForm, formset=BaseIndicatorFormSet, extra=1, can_delete=True, max_num=100
)


def _indicator_rows(project: Project | None) -> list[dict]:
    if project is None:
        return []
    return [
        {
            "group": row.group,
            "kind": row.kind,
            "name": row.name,
            "unit": row.unit,
            "direction": row.direction,
            "target": row.target,
        }
        for row in project.indicators.all()
    ]
