"""The visit form: one column of big choices, made to be filled in on a phone within a minute."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kaiyuan.common import dates
from monitoring.models import Visit
from monitoring.services.visits import MAX_DAYS_BACK

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}

YES_NO = [("true", _("Yes")), ("false", _("No"))]
# The check box of "still at the same job" of a member's job: this prefix and the job's id.
STILL_WORKING_PREFIX = "still_working_"


def _to_bool(value: str) -> bool:
    return value == "true"


class YesNoField(forms.TypedChoiceField):
    """A required yes/no question shown as two large buttons (True = the problem exists)."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=YES_NO, coerce=_to_bool, empty_value=None, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, bool):
            return "true" if value else "false"
        return value


class VisitForm(forms.Form):
    """Input of ``monitoring.services.visits.visit_record`` (the service checks the rules)."""

    # The submission's own key: the same form sent twice records one visit.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
    no_change = forms.BooleanField(label=_("No change since the last visit"), required=False)
    visited_on = forms.DateField(
        label=_("Date of visit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    method = forms.ChoiceField(
        label=_("Method"), choices=Visit.Method.choices, widget=forms.RadioSelect
    )
    child_out_of_school = YesNoField(
        label=_("Is any child of compulsory-school age out of school or dropped out?")
    )
    housing_unsafe = YesNoField(label=_("Is the housing unsafe?"))
    member_uninsured = YesNoField(
        label=_("Is any member without basic medical insurance (residents' or employees')?")
    )
    water_unsafe = YesNoField(label=_("Is the drinking water unsafe?"))
    income_change = forms.ChoiceField(
        label=_("Income change"),
        choices=Visit.IncomeChange.choices,
        initial=Visit.IncomeChange.NONE,
        widget=forms.RadioSelect,
    )
    new_risk = forms.BooleanField(label=_("New risk found"), required=False)
    risk_note = forms.CharField(
        label=_("What risk?"),
        max_length=200,
        required=False,
        help_text=_("A new risk opens a risk lead for verification."),
    )
    note = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.ImageField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, jobs=(), **kwargs) -> None:
        """``jobs``: the members' jobs the visit may confirm as still held (employment's
        ``selectors.records.jobs_to_confirm``), each a check box of its own."""
        super().__init__(*args, **kwargs)
        self.jobs = {}
        for job in jobs:
            name = f"{STILL_WORKING_PREFIX}{job.pk}"
            self.jobs[name] = job
            self.fields[name] = forms.BooleanField(
                label=_("%(name)s still at the same job (%(job)s)")
                % {"name": job.member.name, "job": job.employer or job.place or job.job_type},
                required=False,
            )
        today = dates.today()
        self.fields["visited_on"].widget.attrs.update(
            max=today.isoformat(),
            min=(today - datetime.timedelta(days=MAX_DAYS_BACK)).isoformat(),
        )
        if not self.is_bound and "visited_on" not in self.initial:
            self.initial["visited_on"] = today

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size > MAX_PHOTO_BYTES:
            raise ValidationError(_("The photo is larger than 5 MB."), code="photo_too_large")
        image = getattr(photo, "image", None)
        if image is None or image.format not in PHOTO_FORMATS:
            raise ValidationError(
                _("The photo must be a JPEG, PNG or WebP image."), code="photo_type"
            )
        return photo

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_risk") and not (cleaned.get("risk_note") or "").strip():
            self.add_error("risk_note", _("Describe the new risk that was found."))
        return cleaned

    def service_arguments(self) -> dict:
        """The visit's own answers (``visit_record``'s arguments), without the jobs."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.jobs}
        data["photo"] = data.get("photo") or None
        return data

    def jobs_still_held(self) -> list[tuple[str, object]]:
        """The jobs ticked as still held, each with the name of its check box."""
        return [(name, job) for name, job in self.jobs.items() if self.cleaned_data.get(name)]

    def job_fields(self) -> list:
        return [self[name] for name in self.jobs]


def parse_month(raw: str | None, *, today: datetime.date) -> datetime.date:
    """The first day of the month ``YYYY-MM``; the current month for anything else, including
    months that have not begun."""
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        day = datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)
    if day > today or year < 2000:
        return today.replace(day=1)
    return day
