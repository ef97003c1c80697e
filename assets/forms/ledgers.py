"""The export forms of the asset ledger: the area (the township → village picker's ids, checked
against the user's area by ``kaiyuan.areas.picker.area_pick``) and the income year."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assets.exports.ledgers import FIRST_YEAR, default_year
from kaiyuan.common import dates
from kaiyuan.common.api_filters import as_id


def year_choices() -> list[tuple[int, int]]:
    return [(year, year) for year in range(dates.today().year, FIRST_YEAR - 1, -1)]


class ExportForm(forms.Form):
    """What every export of the page posts: the picked area and, for the ledger and the
    rosters, the income year (the rosters take every year when it is left empty)."""

    township = forms.CharField(required=False)
    village = forms.CharField(required=False)
    year = forms.TypedChoiceField(
        label=_("Income year"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "—"), *year_choices()]

    def clean_township(self) -> int | None:
        return self._id("township")

    def clean_village(self) -> int | None:
        return self._id("village")

    def _id(self, name: str) -> int | None:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None
        value = as_id(raw)
        if value is None:
            raise forms.ValidationError(_("Choose the area from the list."), code="area")
        return value

    def year_or_default(self) -> int:
        return self.cleaned_data.get("year") or default_year()
