"""The input shapes of the public-welfare post pages: the village a new post is for, the post
itself (its type, duties, what pays for it, its holder, period, months and monthly pay), its
correction, its end, a month's pay and the reversal of a payment."""

from __future__ import annotations

import datetime
from dataclasses import fields

from django import forms
from django.utils.translation import gettext_lazy as _

from assets.models import Asset
from employment.codes import PostFunding
from employment.selectors.posts import holders_of, pv_stations_of
from employment.services.posts import PostDetails
from kaiyuan.areas.models import Area
from kaiyuan.areas.picker import village_field
from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput, VersionedForm
from monitoring.models import CodeItem, Member


def money_field(label) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, min_value=0)


class VillageForm(forms.Form):
    """The first step of a new post: its village, which decides the stations and the people
    the post may name."""

    village = forms.ModelChoiceField(label=_("village"), queryset=Area.objects.none())

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        village_field(self.fields["village"], user)


def holder_label(member: Member) -> str:
    household = member.household
    return f"{member.name} · {member.id_masked} · {household.head_name}户 · {member.labour_skill}"


def station_label(asset: Asset) -> str:
    return f"{asset.code} {asset.name}"


class PostForm(forms.Form):
    """A post of ``village``. The stations offered are the village's PV stations the user
    sees, the holders its 脱贫 and monitored people with labour ability; any person the user
    sees is accepted, and the service says why one may not hold the post."""

    post_type = forms.ChoiceField(label=_("public-welfare job type"))
    duties = forms.CharField(label=_("duties"), max_length=200, required=False)
    funding = forms.ChoiceField(label=_("funded by"), choices=PostFunding.choices)
    funding_asset = forms.ModelChoiceField(
        label=_("PV station"),
        queryset=Asset.objects.none(),
        required=False,
        help_text=_("For a post paid from a PV station's income: the station."),
    )
    funding_note = forms.CharField(
        label=_("funding source"),
        max_length=120,
        required=False,
        help_text=_("For another source: name it."),
    )
    holder = forms.ModelChoiceField(
        label=_("holder"),
        queryset=Member.objects.none(),
        error_messages={"invalid_choice": _("No such person.")},
    )
    start_date = forms.DateField(label=_("from"), widget=DateInput())
    end_date = forms.DateField(
        label=_("until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty while the post is held."),
    )
    months = forms.IntegerField(
        label=_("months employed"), min_value=0, max_value=99, help_text=_("1 to 12.")
    )
    monthly_pay = money_field(_("monthly pay (yuan)"))

    def __init__(self, *args, village: Area, user, post=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.village = village
        types = CodeItem.objects.values_of("welfare_job_type")
        current = post.post_type if post is not None else self.initial.get("post_type")
        if current and current not in types:
            types.append(current)
        self.fields["post_type"].choices = [("", "—"), *((value, value) for value in types)]
        station = self.fields["funding_asset"]
        station.queryset = pv_stations_of(
            user, village, keep=post.funding_asset if post is not None else None
        )
        station.label_from_instance = station_label
        holder = self.fields["holder"]
        holder.queryset = Member.objects.visible_to(user).select_related("household")
        holder.widget.choices = [
            ("", "—"),
            *((member.pk, holder_label(member)) for member in holders_of(user, village)),
        ]
        holder.help_text = _(
            "Members with labour ability of the village's 脱贫 and monitored households."
        )
        if post is None:
            self.initial.setdefault("start_date", today())

    def details(self, holder=None) -> PostDetails | None:
        """What was entered, when enough of it checks for the post's rules to be asked."""
        data = self.cleaned_data
        holder = holder or data.get("holder")
        needed = (data.get("start_date"), data.get("months"), data.get("monthly_pay"))
        if holder is None or any(value is None for value in needed):
            return None
        return PostDetails(
            post_type=data.get("post_type", ""),
            funding=data.get("funding", ""),
            holder=holder,
            start_date=data["start_date"],
            months=data["months"],
            monthly_pay=data["monthly_pay"],
            end_date=data.get("end_date"),
            funding_asset=data.get("funding_asset"),
            funding_note=data.get("funding_note", ""),
            duties=data.get("duties", ""),
        )


class PostEditForm(PostForm, VersionedForm):
    """The post corrected: its holder stays (a new holder is a new post)."""

    def __init__(self, *args, post, user, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                **{field.name: getattr(post, field.name) for field in fields(PostDetails)},
                "version": post.version,
            },
        )
        super().__init__(*args, village=post.area, user=user, post=post, **kwargs)
        del self.fields["holder"]
        self.post = post

    def details(self, holder=None) -> PostDetails | None:
        return super().details(holder=self.post.holder)


def month_label(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


class PayForm(forms.Form):
    """A month of the post paid: the months of its year are offered, the rule refuses those
    outside its period."""

    prefix = "pay"
    month = forms.TypedChoiceField(
        label=_("month paid for"), coerce=datetime.date.fromisoformat, empty_value=None
    )
    amount = money_field(_("amount (yuan)"))
    paid_on = forms.DateField(label=_("day paid"), widget=DateInput())

    def __init__(self, *args, post, open_month: datetime.date | None = None, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("amount", post.monthly_pay)
        kwargs["initial"].setdefault("paid_on", today())
        if open_month is not None:
            kwargs["initial"].setdefault("month", open_month.isoformat())
        super().__init__(*args, **kwargs)
        year = post.start_date.year
        self.fields["month"].choices = [
            (datetime.date(year, month, 1).isoformat(), month_label(datetime.date(year, month, 1)))
            for month in range(1, 13)
        ]


class ReverseForm(forms.Form):
    """The reversal of one payment; each row of the page has its own, so its controls are
    named after the payment."""

    prefix = "reverse"
    reason = forms.CharField(label=_("reason for the reversal"), max_length=300)

    def __init__(self, *args, payment_id: int, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"id_reverse_{payment_id}_%s")
        super().__init__(*args, **kwargs)


class EndForm(VersionedForm):
    prefix = "end"
    end_date = forms.DateField(label=_("last day in the post"), widget=DateInput())

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("end_date", today())
        super().__init__(*args, **kwargs)
