"""The bureau's lists: a 四有 item, a rural-construction list item. Input shape only; the
service (``services.checklists``) decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import ConstructionListItem


class FourHavesItemForm(forms.Form):
    label = forms.CharField(label=_("item"), max_length=100)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=999)
    active = forms.BooleanField(
        label=_("in use"),
        required=False,
        help_text=_("An item not in use is no longer asked of new or edited proposals."),
    )


class ConstructionItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("list"), choices=ConstructionListItem.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("item"), max_length=200)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=999, initial=0)
    active = forms.BooleanField(
        label=_("in use"),
        required=False,
        initial=True,
        help_text=_("Untick to retire the item: proposals that chose it keep it, new ones cannot."),
    )

    def __init__(self, *args, item: ConstructionListItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            # An item stays on its list; a line of the other list is a new item.
            self.fields.pop("kind")
