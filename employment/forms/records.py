"""Forms of a person's jobs (DOMAIN.md §6.4): the job itself (``services.records.JobDetails``),
its end, the review of an EMP-4 flag and the deletion of a mistake. They parse; the services
check the rules and write.

The job form is filled in on a phone at the household's door: a new job starts on the first of
this month, has worked the months since, in the county, and is known from the visit, so the
common case is the person's employer and place and one choice of the seven batches."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from employment.codes import Batch, JobType, PlaceCategory, Source
from employment.models import EmploymentRecord, Workshop
from employment.rules.records import months_spanned
from employment.services.records import FIELDS, JobDetails
from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput, VersionedForm
from monitoring.models import CodeItem

MONEY = {"max_digits": 12, "decimal_places": 2}


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


def _codes(table: str, current: str = "") -> list[tuple[str, str]]:
    """A code table's values, with the record's own value kept when the table no longer has it."""
    values = CodeItem.objects.values_of(table)
    if current and current not in values:
        values.append(current)
    return _blank((value, value) for value in values)


def months_since(start: datetime.date, day: datetime.date) -> int:
    """The months worked from ``start`` to ``day`` (the calendar months touched, at most 12)."""
    if day < start:
        return 0
    return min(months_spanned(start, day), 12)


def _money(label, help_text="") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, help_text=help_text, **MONEY
    )


class JobForm(forms.Form):
    """A job (``JobDetails``): new for a person, or the record's correction (with its version)."""

    start_date = forms.DateField(label=_("from"), widget=DateInput())
    end_date = forms.DateField(
        label=_("until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty while the person still works."),
    )
    months_worked = forms.IntegerField(
        label=_("months worked"),
        min_value=0,
        max_value=12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("In this year, 0 to 12."),
    )
    place_category = forms.ChoiceField(
        label=_("place category"),
        choices=PlaceCategory.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        label=_("place of work"),
        max_length=100,
        required=False,
        help_text=_("City or county and district, for example 沈阳市铁西区."),
    )
    employer = forms.CharField(label=_("employer"), max_length=100, required=False)
    employer_uscc = forms.CharField(
        label=_("employer's credit code"),
        max_length=22,
        required=False,
        help_text=_("18 characters, if the employer is a registered entity."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    job_type = forms.ChoiceField(
        label=_("job type"), choices=JobType.choices, widget=forms.RadioSelect
    )
    welfare_job_type = forms.ChoiceField(
        label=_("public-welfare job type"),
        required=False,
        help_text=_("Only for a public-welfare job."),
    )
    workshop = forms.ModelChoiceField(
        label=_("employment-assistance workshop"),
        queryset=Workshop.objects.none(),
        required=False,
        help_text=_("Only for a job in a workshop."),
    )
    batch = forms.ChoiceField(
        label=_("seven batches measure"), choices=_blank(Batch.choices), required=False
    )
    monthly_wage = _money(_("monthly wage (yuan)"))
    channel = forms.ChoiceField(label=_("employment channel"), required=False)
    source = forms.ChoiceField(label=_("source"), choices=Source.choices)
    transport_subsidy = _money(
        _("one-off transport subsidy (yuan)"),
        help_text=_("Only for work outside the province, once a year."),
    )
    transport_subsidy_paid_on = forms.DateField(
        label=_("transport subsidy paid on"), widget=DateInput(), required=False
    )
    note = forms.CharField(
        label=_("note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, record: EmploymentRecord | None = None, **kwargs) -> None:
        self.record = record
        if record is None:
            start = today().replace(day=1)
            defaults = {
                "start_date": start,
                "months_worked": months_since(start, today()),
                "place_category": PlaceCategory.IN_COUNTY,
                "job_type": JobType.WAGE,
                "source": Source.VISIT,
            }
        else:
            defaults = {name: getattr(record, name) for name in FIELDS if name != "post"}
            defaults["workshop"] = record.workshop_id
            defaults["version"] = record.version
        kwargs["initial"] = {**defaults, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        if record is None:
            del self.fields["version"]
        current = record or EmploymentRecord()
        self.fields["welfare_job_type"].choices = _codes(
            "welfare_job_type", current.welfare_job_type
        )
        self.fields["channel"].choices = _codes("employment_channel", current.channel)
        workshops = Workshop.objects.visible_to(user).filter(
            Q(closed_on__isnull=True) | Q(pk=current.workshop_id)
        )
        if workshops.exists():
            self.fields["workshop"].queryset = workshops.order_by("area__code", "name")
        else:
            del self.fields["workshop"]

    def details(self) -> JobDetails | None:
        """The job as parsed; None while the fields every rule needs do not parse (on a form
        with errors, the rules are checked over the fields that did)."""
        data = self.cleaned_data
        if data.get("start_date") is None or data.get("months_worked") is None:
            return None
        if not data.get("job_type") or not data.get("source"):
            return None
        values = {}
        for name in FIELDS:
            value = data.get(name) if name in self.fields else None
            if name == "post":
                value = self.record.post if self.record is not None else None
            if value is None and name in TEXT_FIELDS:
                value = ""
            values[name] = value
        return JobDetails(**values)


# The job's text fields: empty, not None, when not given.
TEXT_FIELDS = frozenset(
    {
        "place_category",
        "place",
        "employer",
        "employer_uscc",
        "welfare_job_type",
        "batch",
        "channel",
        "note",
    }
)


class EndForm(VersionedForm):
    """The person left the job: its last day and the months worked in the end."""

    end_date = forms.DateField(label=_("last day at work"), widget=DateInput())
    months_worked = forms.IntegerField(label=_("months worked"), min_value=0, max_value=12)

    def __init__(self, *args, record: EmploymentRecord, **kwargs) -> None:
        last = min(today(), datetime.date(record.year, 12, 31))
        kwargs["initial"] = {
            "end_date": last,
            "months_worked": max(record.months_worked, months_since(record.start_date, last)),
            "version": record.version,
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)


class ReviewForm(VersionedForm):
    """The township or county looked at a person registered without labour ability and working."""

    note = forms.CharField(
        label=_("what was checked"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: visited, the person does work; the labour category is corrected on "
            "the member's page."
        ),
    )


class DeleteForm(VersionedForm):
    reason = forms.CharField(
        label=_("reason for deleting"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A record entered by mistake. A job that ended is ended, not deleted."),
    )
