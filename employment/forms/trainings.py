"""The input shapes of the skills-training pages: a course (the area it is for, what, who runs
it, where and when), its correction, a trainee put on it with their completion and certificate,
the search of the people it may take, and a trainee's removal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from employment.codes import Certificate, CourseType
from employment.services.trainings import FIELDS, CourseDetails
from kaiyuan.areas.models import Area
from kaiyuan.common.forms import DateInput, VersionedForm
from monitoring.models import Member


def area_label(area: Area) -> str:
    """The county, a township, or a village after its township."""
    if area.level == Area.Level.VILLAGE and area.parent_id:
        return f"{area.parent.name} · {area.name}"
    return area.name


class CourseForm(forms.Form):
    course = forms.CharField(label=_("course"), max_length=120)
    course_type = forms.ChoiceField(label=_("course type"), choices=CourseType.choices)
    organiser = forms.CharField(label=_("organiser"), max_length=100)
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    start_date = forms.DateField(label=_("from"), widget=DateInput())
    end_date = forms.DateField(label=_("until"), widget=DateInput())
    hours = forms.IntegerField(label=_("class hours"), min_value=1, max_value=2000, required=False)

    def details(self) -> CourseDetails:
        return CourseDetails(**{name: self.cleaned_data.get(name) for name in FIELDS})


class TrainingForm(CourseForm):
    """A new course, for the user's own area or a township or village below it."""

    area = forms.ModelChoiceField(
        label=_("organised for"),
        queryset=Area.objects.none(),
        help_text=_("The township or village whose people it trains, or the county."),
    )

    field_order = ["area", "course", "course_type", "organiser", "place", "start_date"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        area.queryset = (
            Area.objects.visible_to(user)
            .filter(level__in=[Area.Level.COUNTY, Area.Level.TOWNSHIP, Area.Level.VILLAGE])
            .select_related("parent")
            .order_by("path")
        )
        area.label_from_instance = area_label
        if user.area_id is not None:
            self.initial.setdefault("area", user.area_id)


class TrainingEditForm(CourseForm, VersionedForm):
    pass


def person_label(member: Member) -> str:
    household = member.household
    kind = (
        household.get_monitoring_category_display()
        if household.is_monitored
        else household.get_household_type_display()
    )
    village = household.area
    where = f"{village.parent.name if village.parent_id else ''}{village.name}"
    return f"{member.name} · {member.id_masked} · {where} · {kind}"


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("name of the person"), max_length=40, required=False)


class CertificateForm(forms.Form):
    completed = forms.BooleanField(label=_("completed the course"), required=False, initial=True)
    certificate = forms.ChoiceField(
        label=_("certificate"), choices=Certificate.choices, required=False
    )
    certificate_number = forms.CharField(
        label=_("certificate number"), max_length=40, required=False
    )


class TraineeForm(CertificateForm):
    """A person put on the course. Only the people the search found are drawn; any person the
    user sees is accepted, and the service says why one may not be trained here."""

    prefix = "trainee"
    member = forms.ModelChoiceField(
        label=_("person"),
        queryset=Member.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": _("No such person.")},
    )

    field_order = ["member", "completed", "certificate", "certificate_number"]

    def __init__(self, *args, user, people=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        member.queryset = Member.objects.visible_to(user).select_related("household__area__parent")
        member.widget.choices = [(person.pk, person_label(person)) for person in people]
        member.help_text = _(
            "Search above by name among the 脱贫 and monitored households of the course's area."
        )

    def chosen(self, person: Member) -> None:
        """Draw the person chosen again, should the service refuse them."""
        self.fields["member"].widget.choices = [(person.pk, person_label(person))]


class TraineeEditForm(CertificateForm):
    prefix = "trainee"


class RemoveForm(forms.Form):
    prefix = "remove"
    reason = forms.CharField(label=_("reason for removing the trainee"), max_length=200)
