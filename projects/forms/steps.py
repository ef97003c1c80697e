"""What every step form of a project's page shares (the version the user saw, the project it is
for, files), and the forms of the proposal's own steps and of its documents."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.forms import DateInput, VersionedForm
from monitoring.forms.cases import AttachmentField
from projects.models import ProjectAttachment

DATE = DateInput()
REQUIRED_YES_NO = [("", "—"), ("true", "是"), ("false", "否")]


def yes_no_required(label, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=REQUIRED_YES_NO, coerce=lambda value: value == "true", **kwargs
    )


def text_field(label, *, max_length: int = 500, rows: int = 2, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class StepForm(VersionedForm):
    """A step's form: the version of the project the user opened (a stale page is told that
    someone else acted), and the project, for the choices that depend on it."""

    def __init__(self, *args, project, **kwargs) -> None:
        self.project = project
        super().__init__(*args, **kwargs)


class ReasonForm(StepForm):
    reason = text_field(_("reason"), max_length=300)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(AttachmentField):
    """Several scanned documents or photos at once (each a PDF or an image, at most 10 MB);
    cleans to a list, empty when none was chosen."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        upload = single(data, initial)
        return [upload] if upload else []


class DocumentForm(StepForm):
    kind = forms.ChoiceField(label=_("document"), choices=ProjectAttachment.Kind.choices)
    file = AttachmentField(label=_("file"), help_text=_("A PDF or a photo (JPG or PNG)."))
