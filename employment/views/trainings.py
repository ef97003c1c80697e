"""Skills training (乡村振兴技能提升培训, DOMAIN.md §6.2 item 4): the courses a user sees with
their trainees counted, a new course for the user's area or one below it, the course's page with
the trainees of the user's area (each with completion, certificate and whether they now hold a
job counted under "乡村振兴技能提升培训一批"), a person put on it found by name, a trainee's
certificate corrected or the trainee removed, and the course corrected.

A county course is seen from each village whose people it trained, and changed only by the
county: a township clerk sees their own people on it and changes nothing (403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employment.codes import Batch, CourseType
from employment.filters import TrainingFilter
from employment.forms import trainings as forms
from employment.models import Trainee, Training
from employment.selectors.trainings import people_to_train, trainees_of, trainings_for
from employment.services import trainings as services
from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.errors import DomainError
from kaiyuan.common.idcard import looks_like_id_number
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form
from kaiyuan.common.scoping import get_for_user, may_change, user_may_write
from kaiyuan.common.views import lenient_filterset


def _may_write(user, training: Training | None = None) -> bool:
    if not user_can(user, "employment.training") or not user_may_write(user):
        return False
    return training is None or may_change(user, training)


def _training(user, pk: int, *, write: bool = False) -> Training:
    """The course, or 404 (hidden and missing alike); a change by someone who sees it but may
    not change it (a reader; a township clerk on a county course) is 403."""
    training = get_for_user(Training.objects.select_related("area__parent"), user, pk=pk)
    if write and not _may_write(user, training):
        raise PermissionDenied
    return training


def _trainee(user, pk: int) -> Trainee:
    trainee = get_for_user(
        Trainee.objects.select_related("training__area__parent", "member__household__area__parent"),
        user,
        pk=pk,
    )
    if not _may_write(user, trainee.training):
        raise PermissionDenied
    return trainee


# =============================================================================================
# The list and a new course
# =============================================================================================


@capability_required("employment.use")
def training_list(request):
    """The courses the user sees with the list's filters (the API's ``TrainingFilter``), each
    with its trainees of the user's area; one query for the rows whatever their number."""
    user = request.user
    filterset = lenient_filterset(
        TrainingFilter, request.GET, queryset=trainings_for(user), user=user
    )
    page = probe_page(filterset.qs.order_by("-start_date", "id"), request.GET.get("page"))
    return render(
        request,
        "employment/trainings/training_list.html",
        {
            "page": page,
            "pick": filterset.pick,
            "chosen": filterset.form.cleaned_data,
            "course_types": CourseType.choices,
            "query": query_without_page(request),
            "may_create": _may_write(user),
        },
    )


@capability_required("employment.use")
def training_new(request):
    user = request.user
    require(user, "employment.training")
    if not user_may_write(user):
        raise PermissionDenied
    form = forms.TrainingForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_create(
                area=form.cleaned_data["area"], details=form.details(), actor=user
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=user)
        else:
            messages.success(request, _("The course was recorded."))
            return redirect(training)
    return render(
        request,
        "employment/trainings/training_form.html",
        {"form": form, "title": _("A new skills course")},
        status=400 if form.errors else 200,
    )


@capability_required("employment.use")
def training_edit(request, pk: int):
    """The course corrected over the version the user opened."""
    user = request.user
    require(user, "employment.training")
    training = _training(user, pk, write=True)
    initial = {name: getattr(training, name) for name in services.FIELDS}
    form = forms.TrainingEditForm(
        request.POST or None, initial={**initial, "version": training.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.training_change(
                training=training,
                details=form.details(),
                expected_version=form.cleaned_data["version"],
                actor=user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=user)
        else:
            messages.success(request, _("The course was saved."))
            return redirect(training)
    return render(
        request,
        "employment/trainings/training_form.html",
        {"form": form, "training": training, "title": _("Edit the course")},
        status=400 if form.errors else 200,
    )


# =============================================================================================
# The course's page and its trainees
# =============================================================================================


def _people_found(request, training: Training):
    """The search (``?q=``) of people to put on the course, by name; an ID number is not
    searched from the address, where it would stay in the history."""
    search = forms.PersonSearchForm(request.GET or None)
    found, id_in_address = None, False
    if search.is_valid() and search.cleaned_data["q"]:
        query = search.cleaned_data["q"]
        if looks_like_id_number(query):
            id_in_address = True
        else:
            found = people_to_train(training, request.user, query)
    return search, found, id_in_address


def _detail_page(request, training: Training, *, trainee_form=None):
    user = request.user
    trainees = list(trainees_of(training, user))
    may_write = _may_write(user, training)
    context = {
        "training": training,
        "trainees": trainees,
        "in_job": sum(1 for trainee in trainees if trainee.in_job),
        "training_batch": Batch.TRAINING,
        "may_write": may_write,
    }
    if may_write:
        search, found, id_in_address = _people_found(request, training)
        context.update(
            search=search,
            found=found,
            id_in_address=id_in_address,
            trainee_form=trainee_form
            or forms.TraineeForm(user=user, people=found.members if found else ()),
        )
        if request.headers.get("HX-Request") and "q" in request.GET:
            # The search, redrawn in place: only the people found.
            return render(request, "employment/trainings/_people_found.html", context)
    return render(
        request,
        "employment/trainings/training_detail.html",
        context,
        status=400 if trainee_form is not None else 200,
    )


@capability_required("employment.use")
def training_detail(request, pk: int):
    return _detail_page(request, _training(request.user, pk))


@require_POST
@capability_required("employment.use")
def trainee_add(request, pk: int):
    user = request.user
    require(user, "employment.training")
    training = _training(user, pk, write=True)
    form = forms.TraineeForm(request.POST, user=user)
    if form.is_valid():
        data = form.cleaned_data
        form.chosen(data["member"])
        try:
            services.trainee_add(
                training=training,
                member=data["member"],
                completed=data["completed"],
                certificate=data["certificate"],
                number=data["certificate_number"],
                actor=user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=user)
        else:
            messages.success(
                request, _("%(name)s was put on the course.") % {"name": data["member"].name}
            )
            return redirect(training)
    return _detail_page(request, training, trainee_form=form)


def _trainee_page(request, trainee: Trainee, *, form=None, remove_form=None):
    return render(
        request,
        "employment/trainings/trainee_form.html",
        {
            "trainee": trainee,
            "training": trainee.training,
            "form": form
            or forms.TraineeEditForm(
                initial={
                    "completed": trainee.completed,
                    "certificate": trainee.certificate,
                    "certificate_number": trainee.certificate_number,
                }
            ),
            "remove_form": remove_form or forms.RemoveForm(),
        },
        status=400 if (form is not None and form.errors) or remove_form is not None else 200,
    )


@capability_required("employment.use")
def trainee_edit(request, pk: int):
    """A trainee's completion and certificate corrected; the page also offers the removal."""
    user = request.user
    require(user, "employment.training")
    trainee = _trainee(user, pk)
    if request.method != "POST":
        return _trainee_page(request, trainee)
    form = forms.TraineeEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.trainee_change(
                trainee=trainee,
                completed=data["completed"],
                certificate=data["certificate"],
                number=data["certificate_number"],
                actor=user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=user)
        else:
            messages.success(request, _("The trainee was saved."))
            return redirect(trainee.training)
    return _trainee_page(request, trainee, form=form)


@require_POST
@capability_required("employment.use")
def trainee_remove(request, pk: int):
    user = request.user
    require(user, "employment.training")
    trainee = _trainee(user, pk)
    form = forms.RemoveForm(request.POST)
    if form.is_valid():
        training, name = trainee.training, trainee.member.name
        try:
            services.trainee_remove(trainee=trainee, reason=form.cleaned_data["reason"], actor=user)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=user)
        else:
            messages.success(request, _("%(name)s was taken off the course.") % {"name": name})
            return redirect(training)
    return _trainee_page(request, trainee, remove_form=form)
