"""Forms of the warnings pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import DeptWarning

Result = DeptWarning.Result


class ListUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Screening list (.xlsx)"),
        allow_empty_file=True,  # refused by the service with its own message
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class VerifyForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Verification result"),
        choices=[
            (Result.RISK, _("Risk confirmed: open a risk lead")),
            (Result.NO_RISK, _("No risk")),
            (Result.ALREADY_MONITORED, _("Already monitored")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for “no risk”: what the verification found."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
