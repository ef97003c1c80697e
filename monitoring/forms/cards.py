"""Forms of the card pages: recording a delivery, and the print options."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from monitoring.exports.cards import A4, A5
from monitoring.models import CardDelivery
from monitoring.selectors.cards import NOTE_MAX_LENGTH


def _label(name: str):
    return capfirst(CardDelivery._meta.get_field(name).verbose_name)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CardDeliveryForm(forms.Form):
    """Input only: the dates are checked (not in the future, posted after delivered) by
    ``card_delivery_record``, which every caller goes through."""

    delivered_by = forms.CharField(label=_label("delivered_by"), max_length=64)
    delivered_on = forms.DateField(label=_label("delivered_on"), widget=_date_input())
    posted_on = forms.DateField(
        label=_label("posted_on"),
        required=False,
        widget=_date_input(),
        help_text=_("Leave empty until the card hangs on the wall."),
    )


class CardPrintForm(forms.Form):
    size = forms.ChoiceField(
        label=_("Paper size"), choices=[(A5, "A5"), (A4, "A4")], initial=A5, required=False
    )
    include_exited = forms.BooleanField(
        label=_("Also print the cards of all poverty-exited households of the village"),
        required=False,
    )
    note = forms.CharField(
        label=_("Extra line under the ways to apply"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        help_text=_("Optional, for example the township duty phone number."),
    )

    def options(self) -> dict:
        """The cleaned options, or the defaults when the input was not valid."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "size": data.get("size") or A5,
            "include_exited": bool(data.get("include_exited")),
            "note": (data.get("note") or "").strip(),
        }
