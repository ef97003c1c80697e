"""Forms of 两公示一公告: a publicity posted, an objection received and how it was handled, the
end of a publicity, and the county's announcement of the year's decided projects."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.dates import today
from kaiyuan.policy.services import policy_for
from projects.codes import PublicityMedium
from projects.forms.steps import DATE, AttachmentsField, StepForm, text_field, yes_no_required
from projects.models import Project, PublicityObjection, PublicityRecord
from projects.services.publicity import BOARDS, _acting_level


def default_end(start: datetime.date) -> datetime.date:
    """The last day of a publicity that starts on ``start`` and lasts the policy's days."""
    return start + datetime.timedelta(days=policy_for(start.year).project_publicity_days - 1)


class PublicityRecordForm(StepForm):
    level = forms.ChoiceField(label=_("board"), choices=PublicityRecord.Level.choices)
    medium = forms.ChoiceField(label=_("medium"), choices=PublicityMedium.choices)
    place = forms.CharField(label=_("where it was posted"), max_length=200, required=False)
    start_date = forms.DateField(label=_("publicity starts"), widget=DATE)
    end_date = forms.DateField(label=_("publicity ends"), widget=DATE)
    photos = AttachmentsField(
        label=_("photos of the posted publicity"),
        help_text=_("One or more photos (JPG or PNG) or a PDF."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        boards = BOARDS[_acting_level(self.project)]
        labels = dict(PublicityRecord.Level.choices)
        self.fields["level"].choices = [(board, labels[board]) for board in boards]
        start = today()
        self.initial.setdefault("start_date", start)
        self.initial.setdefault("end_date", default_end(start))


def _open_records(project: Project):
    return project.publicity_records.filter(closed_on__isnull=True, announcement__isnull=True)


class ObjectionRecordForm(StepForm):
    record = forms.TypedChoiceField(label=_("publicity"), coerce=int)
    received_on = forms.DateField(label=_("received on"), widget=DATE, initial=today)
    text = text_field(_("objection"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.records = {record.pk: record for record in _open_records(self.project)}
        self.fields["record"].choices = [
            (pk, f"{record.get_level_display()} · {record.start_date} — {record.end_date}")
            for pk, record in self.records.items()
        ]

    def publicity(self) -> PublicityRecord:
        return self.records[self.cleaned_data["record"]]


class ObjectionHandleForm(StepForm):
    objection = forms.TypedChoiceField(label=_("objection"), coerce=int)
    upheld = yes_no_required(
        _("upheld"),
        help_text=_("An upheld objection ends the project's way to the library."),
    )
    handling = text_field(_("how it was handled"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.objections = {
            objection.pk: objection
            for objection in PublicityObjection.objects.filter(
                record__in=_open_records(self.project), upheld__isnull=True
            ).select_related("record", "record__project")
        }
        self.fields["objection"].choices = [
            (pk, f"{objection.received_on} · {objection.text[:60]}")
            for pk, objection in self.objections.items()
        ]

    def chosen(self) -> PublicityObjection:
        return self.objections[self.cleaned_data["objection"]]


class PublicityCloseForm(StepForm):
    pass


class ProjectChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, project: Project) -> str:
        area = project.area
        where = f"{area.parent.name}{area.name}" if area.parent_id else area.name
        return f"{project.code} {project.name} · {where} · {project.total_investment:,.2f}"


class AnnouncementForm(forms.Form):
    title = forms.CharField(
        label=_("title"),
        max_length=200,
        required=False,
        help_text=_("Left empty: “<year> county project library announcement”."),
    )
    number = forms.CharField(label=_("document number"), max_length=64, required=False)
    medium = forms.ChoiceField(
        label=_("medium"), choices=PublicityMedium.choices, initial=PublicityMedium.WEBSITE
    )
    start_date = forms.DateField(label=_("announced on"), widget=DATE)
    end_date = forms.DateField(label=_("announcement ends"), widget=DATE)
    projects = ProjectChoices(
        label=_("projects announced"),
        queryset=Project.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, decided, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = decided
        start = today()
        self.initial.setdefault("start_date", start)
        self.initial.setdefault("end_date", default_end(start))
        self.initial.setdefault("projects", [project.pk for project in decided])
