"""Forms of the disposal procedure: the proposal, the owner's decision (to dispose or to keep),
the bureau's approval or refusal, and the disposal carried out with its proceeds. Each step's
form carries the version of the disposal the user saw."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assets.codes import DisposalMethod
from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput, VersionedForm

MONEY = {"max_digits": 14, "decimal_places": 2}


def _text(label, *, required: bool = True, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=300,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DisposalForm(forms.Form):
    method = forms.ChoiceField(
        label=_("method"), choices=DisposalMethod.choices, widget=forms.RadioSelect
    )
    reason = _text(_("reason"))


class DecisionForm(VersionedForm):
    """The owner's decision, to dispose (``owner_decide``) or to keep (``owner_keep``)."""

    decided_on = forms.DateField(label=_("owner decided on"), widget=DateInput(), initial=today)
    decision = _text(
        _("owner's decision"),
        help_text=_("The meeting and its resolution, for example the villagers' representatives."),
    )


class ApprovalForm(VersionedForm):
    reason = _text(_("note"), required=False)


class RefusalForm(VersionedForm):
    reason = _text(_("why the disposal is not approved"))


class CompletionForm(VersionedForm):
    completed_on = forms.DateField(label=_("disposed on"), widget=DateInput(), initial=today)
    proceeds = forms.DecimalField(
        label=_("proceeds (yuan)"),
        min_value=0,
        required=False,
        help_text=_("0 for a write-off or a scrapping without proceeds."),
        **MONEY,
    )
    proceeds_use = forms.CharField(
        label=_("proceeds go to"),
        max_length=200,
        required=False,
        help_text=_("For a collective's asset: back to the collective, for consolidation."),
    )
