"""The step forms of a project's page, and its documents.

Each sub-domain's views module declares the steps a user takes on the page (``STEPS`` of
``views/publicity.py``, ``views/reviews.py``, ``views/implementation.py``, and the proposal's
own steps below): the states it is taken in, its form, the workflow step that decides who may
take it, and the service it calls. The page shows the forms of the steps the user may take
now, asked as the service will ask it (the workflow's capability, level and separation of
duties, the area, read-only roles), and otherwise says who acts next. Every form posts to the
page itself with the step's name and the version of the project the user saw; the service
decides, and its refusal lands on the form (a page opened before someone else acted is told so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.errors import DomainError
from kaiyuan.common.rules import add_refusal_to_form
from kaiyuan.common.scoping import ensure_may_change, get_for_user, may_change, user_may_write
from kaiyuan.common.workflow import DutiesNotSeparated
from projects.codes import ProposerLevel
from projects.forms import steps as forms
from projects.models import Announcement, FourHavesItem, Project, ProjectAttachment
from projects.models.projects import PROJECT_WORKFLOW
from projects.selectors.beneficiaries import beneficiaries_of
from projects.selectors.implementation import implementation_of
from projects.selectors.publicity import publicity_records
from projects.selectors.reviews import project_adjustments, project_history
from projects.services import projects as services

Status = Project.Status
EVERY_STATE = tuple(Status.values)


@dataclass(frozen=True)
class PageStep:
    """One step a user takes on a project's page.

    ``action`` is the workflow step that decides who may take it (a function of the project
    where it depends on who proposed it), or None for a record that is no workflow step (the
    管护 arrangements, the operating agreement, a document): then ``capability`` decides.
    ``applies`` narrows the states to the projects it fits (a rural-construction project, an
    objection still to handle); ``allowed`` narrows who sees it beyond the workflow (the sector's
    own department). ``run(project, form, user)`` calls the service and returns the page to go
    to next (None: the project's). ``main`` marks the step the page names when it tells who acts
    next; ``who`` says who that is; ``confirm`` asks before a decision is submitted.
    """

    name: str
    title: Any
    form_class: type
    states: tuple[str, ...]
    run: Callable[[Project, Any, Any], Any]
    action: str | Callable[[Project], str] | None = None
    capability: str | None = None
    applies: Callable[[Project], bool] | None = None
    allowed: Callable[[Project, Any], bool] | None = None
    who: Any = None
    main: bool = False
    confirm: bool = False
    template: str = "partials/form.html"
    section: str = "steps"

    def workflow_action(self, project: Project) -> str | None:
        return self.action(project) if callable(self.action) else self.action

    def who_for(self, project: Project) -> str:
        return str(self.who(project) if callable(self.who) else self.who or "")


# ---- the proposal's own steps and its documents ------------------------------------------------


def who_proposes(project: Project) -> str:
    if project.proposer_level == ProposerLevel.COUNTY:
        return _("the proposing department (%(department)s)") % {
            "department": project.get_proposer_department_display()
        }
    if project.proposer_level == ProposerLevel.TOWNSHIP:
        return _("the township")
    return _("the village (or the township's clerk for it)")


def _submit(project, form, user):
    services.project_submit(
        project=project, expected_version=form.cleaned_data["version"], actor=user
    )


def _recall(project, form, user):
    services.project_recall(
        project=project,
        expected_version=form.cleaned_data["version"],
        reason=form.cleaned_data["reason"],
        actor=user,
    )


def _document(project, form, user):
    services.attachment_add(
        project=project,
        kind=form.cleaned_data["kind"],
        upload=form.cleaned_data["file"],
        actor=user,
    )


STEPS = (
    PageStep(
        "submit",
        gettext_lazy("Submit the proposal"),
        forms.StepForm,
        (Status.IDEA,),
        _submit,
        action=lambda p: f"submit_{p.proposer_level}",
        who=who_proposes,
        main=True,
        confirm=True,
    ),
    PageStep(
        "recall",
        gettext_lazy("Recall the proposal to change it"),
        forms.ReasonForm,
        (Status.PROPOSED,),
        _recall,
        action=lambda p: f"recall_{p.proposer_level}",
        who=who_proposes,
        confirm=True,
    ),
)
DOCUMENT = PageStep(
    "document",
    gettext_lazy("Add a document"),
    forms.DocumentForm,
    EVERY_STATE,
    _document,
    capability="projects.use",
    section="documents",
)


def page_steps() -> tuple[PageStep, ...]:
    """Every step of the page, in the order the page shows them."""
    from projects.views import implementation, publicity, reviews

    return (*STEPS, *publicity.STEPS, *reviews.STEPS, *implementation.STEPS, DOCUMENT)


def present_steps(project: Project) -> list[PageStep]:
    """The steps the project is at, whoever takes them."""
    return [
        step
        for step in page_steps()
        if project.status in step.states and (step.applies is None or step.applies(project))
    ]


def may_take(step: PageStep, project: Project, user) -> bool:
    if not user_may_write(user) or not may_change(user, project):
        return False
    action = step.workflow_action(project)
    if action is not None and not PROJECT_WORKFLOW.may_take(project, action, user):
        return False
    if step.capability is not None and not user_can(user, step.capability):
        return False
    return step.allowed is None or step.allowed(project, user)


def waiting_note(project: Project, user, present: list[PageStep]) -> str:
    """Who takes the project's next step, when the user takes none of the workflow's: the
    separation of duties when that is the reason, else the main step and its taker."""
    if project.status == Status.COUNTY_DECIDED:
        # Announced with the year's other decided projects, from the announcements page.
        return _("Next: the county's announcement of the year's decided projects, by the bureau.")
    workflow_steps = [step for step in present if step.workflow_action(project)]
    if not workflow_steps:
        return ""
    for step in workflow_steps:
        refusal = PROJECT_WORKFLOW.refusal(project, step.workflow_action(project), user)
        if isinstance(refusal, DutiesNotSeparated):
            return refusal.message
    step = next((s for s in workflow_steps if s.main), workflow_steps[0])
    return _("Next: “%(step)s”, by %(who)s.") % {"step": step.title, "who": step.who_for(project)}


@dataclass
class StepForms:
    """The step forms of a page: those of the workflow and the document upload, and the note
    that says who acts next."""

    steps: list[tuple[PageStep, Any]]
    documents: list[tuple[PageStep, Any]]
    waiting: str
    offered: set[str]


def step_forms(request, project: Project) -> tuple[StepForms, Any]:
    """The forms of the steps ``request.user`` may take on ``project``; on a POST, the step
    posted is run. Returns the forms and the response to send instead of the page (a redirect
    once a step is done), or None.

    A workflow step posted that the page does not offer (the project moved on, or someone else
    acted, since the user opened it) is still handed to its service, which says what changed or
    why the user may not take it; any other step the page does not offer, or a post by a role
    that only reads, is refused (403): the services of the records that are no workflow step
    check the area, and the page checks the capability."""
    user = request.user
    present = present_steps(project)
    offered = [step for step in present if may_take(step, project, user)]
    posted = request.POST.get("step") if request.method == "POST" else None
    shown = list(offered)
    if posted is not None and posted not in {step.name for step in offered}:
        step = next((s for s in page_steps() if s.name == posted), None)
        if step is None or not user_may_write(user) or step.workflow_action(project) is None:
            raise PermissionDenied
        shown.append(step)
    pairs = []
    for step in shown:
        bound = step.name == posted
        form = step.form_class(
            request.POST if bound else None,
            request.FILES if bound else None,
            initial={"version": project.version},
            prefix=step.name,
            project=project,
        )
        if bound and form.is_valid():
            try:
                target = step.run(project, form, user)
            except DomainError as exc:
                add_refusal_to_form(form, exc, user=user)
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": step.title})
                return StepForms([], [], "", set()), redirect(target or project)
        pairs.append((step, form))
    workflow_offered = [s for s in offered if s.workflow_action(project)]
    return (
        StepForms(
            steps=[(s, f) for s, f in pairs if s.section == "steps"],
            documents=[(s, f) for s, f in pairs if s.section == "documents"],
            waiting="" if workflow_offered else waiting_note(project, user, present),
            offered={step.name for step in offered},
        ),
        None,
    )


@capability_required("projects.use")
def attachment_download(request, pk: int):
    """A document of a project, to whoever sees the project."""
    attachment = get_for_user(ProjectAttachment.objects.all(), request.user, pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# ---- what the page shows ---------------------------------------------------------------------


def _label(name: str) -> str:
    return str(Project._meta.get_field(name).verbose_name)


LEDGER_STATES = (Status.ACCEPTED, Status.HANDED_OVER, Status.OPERATING)


def _ledger(project: Project, user) -> dict[str, Any] | None:
    """The asset ledger's side of the handover: the project's assets on the ledger that the user
    may see, and whether they may hand (more of) its assets over there."""
    if project.status not in LEDGER_STATES or not user_can(user, "assets.use"):
        return None
    from assets.models import Asset
    from projects.models import Handover

    handover = Handover.objects.filter(project=project).first()
    may_hand_over = (
        user_can(user, "assets.record")
        and user_may_write(user)
        and (handover is None or handover.asset_formed)
    )
    if may_hand_over:
        try:
            ensure_may_change(user, project)
        except DomainError:
            may_hand_over = False
    assets = list(Asset.objects.visible_to(user).filter(project=project).order_by("code"))
    return {"assets": assets, "may_hand_over": may_hand_over}


def page_context(project: Project, user, forms_of_page: StepForms) -> dict[str, Any]:
    """Everything the project's page shows, in a fixed number of queries whatever the number of
    its villages, beneficiaries, publicities, reports and documents."""
    # views.beneficiaries asks this module who may change a project
    from projects.views.beneficiaries import may_name_beneficiaries

    four_haves = []
    if project.is_industry:
        four_haves = [
            {"label": item.label, "met": bool(project.four_haves.get(item.code)), "item": item}
            for item in FourHavesItem.objects.filter(active=True)
        ]
    records = publicity_records(project)
    announced = [r for r in records if r.announcement_id is not None]
    adjustments = [
        {
            "adjustment": adjustment,
            "changes": [
                {"label": _label(name), "before": before, "after": after}
                for name, (before, after) in adjustment.changes.items()
            ],
        }
        for adjustment in project_adjustments(project)
    ]
    return {
        "project": project,
        "villages": list(project.villages.select_related("village", "village__parent")),
        "indicators": list(project.indicators.all()),
        "funding": [
            {"label": _label(name), "amount": getattr(project, name)}
            for name in ("central_funds", "provincial_funds", "city_funds", "county_funds")
        ],
        "other_funding": [
            {"label": _label(name), "amount": getattr(project, name)}
            for name in ("other_funds", "self_raised")
        ],
        "four_haves": four_haves,
        "construction_items": (
            list(project.construction_items.order_by("kind", "order", "id"))
            if project.is_model_village
            else []
        ),
        "beneficiaries": beneficiaries_of(project, user=user),
        "may_name_beneficiaries": may_name_beneficiaries(user, project),
        "publicities": [r for r in records if r.announcement_id is None],
        "announced": announced,
        # The county's announcements are the county's records: a township sees that its project
        # was announced, and opens the announcement only if it is county-wide.
        "announcements_seen": set(
            Announcement.objects.visible_to(user)
            .filter(pk__in=[r.announcement_id for r in announced])
            .values_list("pk", flat=True)
        )
        if announced
        else set(),
        "implementation": implementation_of(project),
        "adjustments": adjustments,
        "documents": list(
            project.attachments.select_related("uploaded_by").order_by("uploaded_at")
        ),
        "history": project_history(project),
        "rolled_into": Project.objects.filter(rolled_from=project).first(),
        "ledger": _ledger(project, user),
        "step_forms": forms_of_page.steps,
        "document_forms": forms_of_page.documents,
        "waiting": forms_of_page.waiting,
        "may_edit": project.status in Project.EDITABLE_STATES and "submit" in forms_of_page.offered,
        "may_announce": project.status == Status.COUNTY_DECIDED
        and user_can(user, "projects.county_review")
        and user_may_write(user),
    }
