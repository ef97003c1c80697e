"""The review and library steps of a project's page (``STEPS``): the township's review, the
sector department's, the county's joint review and decision, admission, the funded plan,
withdrawal, adjustment and roll-over."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.forms import reviews as forms
from projects.forms.steps import ReasonForm
from projects.models import Project
from projects.services import reviews as services
from projects.views.steps import PageStep

Status = Project.Status
WHO_TOWNSHIP = gettext_lazy("the township's reviewer")
WHO_BUREAU = gettext_lazy("the county bureau")


def _who_reviews_sector(project: Project) -> str:
    return _("the sector department (%(department)s)") % {
        "department": project.get_sector_display()
    }


def _own_sector(project: Project, user) -> bool:
    return not project.sector or user.department == project.sector


def _version(form) -> int:
    return form.cleaned_data["version"]


def _township(project, form, user):
    services.township_review(
        project=project,
        decision=form.cleaned_data["decision"],
        reason=form.cleaned_data["reason"],
        expected_version=_version(form),
        actor=user,
    )


def _department(project, form, user):
    services.department_review(
        project=project,
        passed=form.cleaned_data["passed"],
        opinion=form.cleaned_data["opinion"],
        expected_version=_version(form),
        actor=user,
    )


def _joint(project, form, user):
    services.joint_review(
        project=project,
        opinion=form.cleaned_data["opinion"],
        expected_version=_version(form),
        actor=user,
    )


def _decide(project, form, user):
    services.county_decide(
        project=project,
        approved=form.cleaned_data["approved"],
        reason=form.cleaned_data["reason"],
        expected_version=_version(form),
        actor=user,
    )


def _admit(project, form, user):
    services.project_admit(project=project, expected_version=_version(form), actor=user)


def _plan(project, form, user):
    services.project_plan(
        project=project,
        plan_year=form.cleaned_data["plan_year"],
        expected_version=_version(form),
        actor=user,
    )


def _withdraw(project, form, user):
    services.project_withdraw(
        project=project,
        reason=form.cleaned_data["reason"],
        expected_version=_version(form),
        actor=user,
    )


def _adjust(project, form, user):
    services.project_adjust(
        project=project,
        values=form.values(),
        reason=form.cleaned_data["reason"],
        expected_version=_version(form),
        actor=user,
    )


def _roll_over(project, form, user):
    """The next year's project is where the user goes on."""
    return services.project_roll_over(project=project, expected_version=_version(form), actor=user)


STEPS = (
    PageStep(
        "township_review",
        gettext_lazy("Township review"),
        forms.TownshipReviewForm,
        (Status.TOWNSHIP_REVIEW,),
        _township,
        action="township_pass",
        who=WHO_TOWNSHIP,
        main=True,
        confirm=True,
    ),
    PageStep(
        "department_review",
        gettext_lazy("Sector department review"),
        forms.DepartmentReviewForm,
        (Status.SECTOR_REVIEW,),
        _department,
        action="department_pass",
        allowed=_own_sector,
        who=_who_reviews_sector,
        main=True,
        confirm=True,
    ),
    PageStep(
        "joint_review",
        gettext_lazy("County joint review"),
        forms.JointReviewForm,
        (Status.COUNTY_REVIEW,),
        _joint,
        action="joint_review",
        who=WHO_BUREAU,
    ),
    PageStep(
        "county_decide",
        gettext_lazy("County decision"),
        forms.DecisionForm,
        (Status.COUNTY_REVIEW,),
        _decide,
        action="county_decide",
        who=WHO_BUREAU,
        main=True,
        confirm=True,
    ),
    PageStep(
        "admit",
        gettext_lazy("Take into the library"),
        forms.ConfirmForm,
        (Status.COUNTY_ANNOUNCED,),
        _admit,
        action="admit",
        who=WHO_BUREAU,
        main=True,
        confirm=True,
    ),
    PageStep(
        "plan",
        gettext_lazy("Put in the year's funded plan"),
        forms.PlanForm,
        (Status.IN_LIBRARY,),
        _plan,
        action="plan",
        who=WHO_BUREAU,
        main=True,
        confirm=True,
    ),
    PageStep(
        "adjust",
        gettext_lazy("Adjust the project"),
        forms.AdjustForm,
        (Status.IN_LIBRARY, Status.PLANNED, Status.IMPLEMENTING),
        _adjust,
        action="adjust",
        who=WHO_BUREAU,
        confirm=True,
    ),
    PageStep(
        "roll_over",
        gettext_lazy("Roll over to the next year's library"),
        forms.ConfirmForm,
        (Status.IN_LIBRARY,),
        _roll_over,
        action="roll_over",
        who=WHO_BUREAU,
        confirm=True,
    ),
    PageStep(
        "withdraw",
        gettext_lazy("Withdraw from the library"),
        ReasonForm,
        (Status.COUNTY_DECIDED, Status.COUNTY_ANNOUNCED, Status.IN_LIBRARY, Status.PLANNED),
        _withdraw,
        action="withdraw",
        who=WHO_BUREAU,
        confirm=True,
    ),
)
