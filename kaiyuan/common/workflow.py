"""The one way a workflow object changes state (DESIGN.md §5 "Workflows", STYLE.md).

An app describes its workflow once, beside its model: the transition map and the steps, each step
with the capability that may take it and the level whose act it is. Its services then call:

    case = workflow.lock(MonitoringCase.objects, pk, expected_state=..., expected_version=...)
    ... the step's own rules ...
    workflow.transition(case, action="township_pass", actor=actor, to=Status.COUNTY_APPROVAL)

``lock`` takes the row lock and says exactly what changed when the user's view is stale (another
person acted, or the object is at another step). ``transition`` checks the transition map, the
actor's capability and level and the separation of duties, saves the state and version, writes the
app's step row and the ``AuditEvent`` in the same transaction, and schedules on-commit work.

Separation of duties (DESIGN.md §5, DOMAIN.md §7): one person never takes steps of two different
levels on the same object (a clerk who entered the village's publicity result for the village
committee does not also pass the township review), no level approves its own proposal, and a
superuser gets no bypass. Background work acts as the system, with no actor, only in the steps
declared as system steps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.common.errors import ConcurrentUpdate, TransitionNotAllowed
from kaiyuan.common.scoping import area_lookup_of, area_of

VILLAGE, TOWNSHIP, COUNTY = "village", "township", "county"
LEVEL_LABELS = {
    VILLAGE: gettext_lazy("village"),
    TOWNSHIP: gettext_lazy("township"),
    COUNTY: gettext_lazy("county"),
}


class StepChanged(ConcurrentUpdate):
    """The object is no longer as the user saw it."""


class DutiesNotSeparated(TransitionNotAllowed):
    code = "separation_of_duties"


class WrongRole(TransitionNotAllowed):
    code = "wrong_role"


@dataclass(frozen=True)
class Step:
    """One step of a workflow.

    ``capability`` may take it (None: only background work, as the system). ``level`` is the
    level whose act it is, for the separation of duties (None: not a level's act, such as
    recording an objection). ``by`` are the levels of the users who may enter it (a township clerk
    may enter a village step for the village committee); by default the step's own level.
    ``approves`` marks a decision on a proposal: it may not be taken at the proposal's level.
    ``notifies_proposer``: taking the step leaves a notice in the 待办 inbox of the user who
    proposed the object (a case returned, approved or not approved at a later level).
    """

    action: str
    label: Any
    capability: str | None
    level: str | None = None
    by: tuple[str, ...] = ()
    approves: bool = False
    notifies_proposer: bool = False

    @property
    def entered_by(self) -> tuple[str, ...]:
        return self.by or ((self.level,) if self.level else ())


@dataclass(frozen=True)
class Workflow:
    """A model's workflow: its transition map (``state → allowed next states``, or a function of
    the object for models with several kinds), its steps, and how it records a step.

    ``record_step(obj, step, actor, before, after, reason, data)`` writes the app's own history
    row (``CaseStep``), if it keeps one. ``step_rows(obj)`` is the queryset of the steps taken
    on an object (``obj`` may be an instance, a pk or ``OuterRef("pk")``), oldest first, each
    with ``actor`` and ``level``: the separation of duties reads it, row by row for one object and
    as a subquery for a list (``exclude_separated``); by default it is the audit trail's events
    that carry a step level.
    ``proposal_level(obj)`` is the level that proposed the object, for ``approves`` steps.
    ``describe(obj)`` gives the (subject, link) a notice shows: the household or project and
    the page of the object; ``proposer(obj)`` the id of the user a notice goes to, by default
    whoever took the first step at the proposal level (the village's, if none is declared).
    """

    name: Any
    steps: tuple[Step, ...]
    transitions: dict[str, set[str]] | Callable[[Any], dict[str, set[str]]]
    state_field: str = "status"
    version_field: str | None = "version"
    record_step: Callable[..., Any] | None = None
    step_rows: Callable[[Any], models.QuerySet] | None = None
    proposal_level: Callable[[Any], str | None] | None = None
    describe: Callable[[Any], tuple[str, str]] | None = None
    proposer: Callable[[Any], int | None] | None = None
    _by_action: dict[str, Step] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for step in self.steps:
            if step.action in self._by_action:
                raise ValueError(f"step {step.action} declared twice")
            self._by_action[step.action] = step

    def step(self, action: str) -> Step:
        return self._by_action[action]

    def _map(self, obj) -> dict[str, set[str]]:
        return self.transitions(obj) if callable(self.transitions) else self.transitions

    def state_label(self, obj, state: str | None = None) -> str:
        value = getattr(obj, self.state_field) if state is None else state
        choices = dict(obj._meta.get_field(self.state_field).flatchoices)
        return str(choices.get(value, value))

    # ---- reading the row ---------------------------------------------------------------------

    def lock(
        self,
        queryset: models.QuerySet,
        pk: Any,
        *,
        expected_state: str | Iterable[str] | None = None,
        expected_version: int | None = None,
        action: str | None = None,
    ):
        """The row, locked until the transaction ends. Raises ``StepChanged`` when it is not in
        ``expected_state`` or not at ``expected_version``, with a message that says which: the
        object is at another step (naming it), or someone else changed it since it was opened."""
        obj = queryset.select_for_update().get(pk=pk)
        states = (
            None
            if expected_state is None
            else {expected_state}
            if isinstance(expected_state, str)
            else set(expected_state)
        )
        version = getattr(obj, self.version_field) if self.version_field else None
        stale = expected_version is not None and version != expected_version
        elsewhere = states is not None and getattr(obj, self.state_field) not in states
        if elsewhere:
            step = self._by_action.get(action) if action else None
            where = {"what": self.name, "state": self.state_label(obj)}
            if step is not None:
                message = _(
                    "The %(what)s is at the step “%(state)s”, so “%(step)s” cannot be taken now."
                ) % {**where, "step": step.label}
            else:
                message = _("The %(what)s is at the step “%(state)s”.") % where
            if stale:
                message += " " + _("Someone else has acted on it since you opened it.")
            raise StepChanged(message + " " + _("Reload the page to see where it stands."))
        if stale:
            raise StepChanged(
                _(
                    "The %(what)s has changed since you opened it (someone else has just acted "
                    "on it). Reload the page to see where it stands."
                )
                % {"what": self.name}
            )
        return obj

    # ---- who may take a step -------------------------------------------------------------------

    def lock_for(
        self,
        actor,
        obj,
        action: str,
        queryset: models.QuerySet,
        *,
        expected_state: str | Iterable[str] | None = None,
        expected_version: int | None = None,
    ):
        """``ensure_may_take`` on the object as the user saw it (a refusal says why before
        anything is locked), then ``lock`` it for ``action``: how every service starts a step."""
        self.ensure_may_take(obj, action, actor)
        return self.lock(
            queryset,
            obj.pk,
            expected_state=expected_state,
            expected_version=expected_version,
            action=action,
        )

    def refusal(self, obj, action: str, actor) -> TransitionNotAllowed | None:
        """Why ``actor`` may not take ``action`` on ``obj`` (regardless of its state), or None.
        ``obj`` may be None (or unsaved) for the step that creates it: then only the capability
        and the level are checked."""
        step = self.step(action)
        if actor is None:
            if step.capability is None:
                return None
            return WrongRole(
                _("Background work may not take the step “%(step)s”.") % {"step": step.label}
            )
        if step.capability is None or not user_can(actor, step.capability):
            return WrongRole(
                _("Your role may not take the step “%(step)s”.") % {"step": step.label}
            )
        if step.entered_by and actor.level not in step.entered_by:
            return WrongRole(
                _("The step “%(step)s” is taken at %(level)s level.")
                % {"step": step.label, "level": LEVEL_LABELS[step.level]}
            )
        if step.level is None or obj is None or obj.pk is None:
            return None
        for actor_id, level in self._history(obj):
            if actor_id == actor.pk and level and level != step.level:
                return DutiesNotSeparated(
                    _(
                        "You took a %(earlier)s-level step of this %(what)s, so its "
                        "%(level)s-level step “%(step)s” must be taken by someone else."
                    )
                    % {
                        "earlier": LEVEL_LABELS[level],
                        "what": self.name,
                        "level": LEVEL_LABELS[step.level],
                        "step": step.label,
                    }
                )
        if step.approves and self.proposal_level is not None:
            proposed = self.proposal_level(obj)
            if proposed == step.level:
                return DutiesNotSeparated(
                    _("A level does not approve its own proposal: “%(step)s” needs another level.")
                    % {"step": step.label}
                )
        return None

    def may_take(self, obj, action: str, actor) -> bool:
        return self.refusal(obj, action, actor) is None

    def ensure_may_take(self, obj, action: str, actor) -> None:
        refusal = self.refusal(obj, action, actor)
        if refusal is not None:
            raise refusal

    def _step_rows(self, model, pk) -> tuple[models.QuerySet, str]:
        """The steps taken on the object ``pk`` of ``model`` (a value or ``OuterRef("pk")``),
        and the name of their level in that query."""
        if self.step_rows is not None:
            return self.step_rows(pk), "level"
        from kaiyuan.audit.models import AuditEvent

        object_id = Cast(pk, models.CharField()) if isinstance(pk, OuterRef) else str(pk)
        events = AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=object_id,
            data__step_level__isnull=False,
        ).order_by("at", "id")
        return events, "data__step_level"

    def _history(self, obj) -> Iterable[tuple[int | None, str | None]]:
        rows, level = self._step_rows(type(obj), obj.pk)
        return rows.values_list("actor_id", level)

    def exclude_separated(self, queryset: models.QuerySet, actor, level: str) -> models.QuerySet:
        """The objects of ``queryset`` on which ``actor`` may take a ``level`` step as far as the
        separation of duties goes (those where they took no step of another level): the query
        form of the check in ``refusal``, for lists that offer only the steps a user may take
        (the 待办 inbox)."""
        rows, level_field = self._step_rows(queryset.model, OuterRef("pk"))
        other_level = (
            rows.filter(actor=actor)
            .exclude(**{f"{level_field}__isnull": True})
            .exclude(**{f"{level_field}__in": ("", level)})
        )
        return queryset.exclude(Exists(other_level))

    def proposer_of(self, obj) -> int | None:
        """The id of the user who proposed ``obj``: ``proposer`` if declared, else whoever took
        its first step at the proposal level (the history is oldest first)."""
        if self.proposer is not None:
            return self.proposer(obj)
        level = (self.proposal_level(obj) if self.proposal_level else None) or VILLAGE
        for actor_id, step_level in self._history(obj):
            if step_level == level and actor_id is not None:
                return actor_id
        return None

    def _notify_proposer(self, obj, step: Step, actor, reason: str) -> None:
        """A notice to the proposer, in the step's transaction: the two commit or roll back
        together (an on-commit callback could be lost between the commit and the callback;
        mail and webhooks on top of the inbox are on-commit work)."""
        from kaiyuan.inbox.services import notice_send

        recipient = self.proposer_of(obj)
        if recipient is None or recipient == getattr(actor, "pk", None):
            return
        subject, link = self.describe(obj) if self.describe else (str(obj), "")
        notice_send(
            recipient_id=recipient,
            actor=actor,
            obj=obj,
            what=str(step.label),
            subject=subject,
            link=link,
            reason=reason,
        )

    # ---- the change ----------------------------------------------------------------------------

    def transition(
        self,
        obj,
        *,
        action: str,
        actor,
        to: str | None = None,
        reason: str = "",
        data: dict[str, Any] | None = None,
        fields: Iterable[str] = (),
        on_commit: Callable[[], Any] | None = None,
    ):
        """Take ``action`` on the locked ``obj``: to state ``to`` (None keeps the state, for steps
        such as recording an objection). Saves ``fields`` too, bumps the version, writes the step
        row and the audit event, and runs ``on_commit`` once the transaction commits."""
        from kaiyuan.audit import record

        step = self.step(action)
        self.ensure_may_take(obj, action, actor)
        before = getattr(obj, self.state_field)
        after = before if to is None else to
        if to is not None and to not in self._map(obj).get(before, set()):
            raise TransitionNotAllowed(
                _("A %(what)s at the step “%(from)s” cannot move to “%(to)s”.")
                % {
                    "what": self.name,
                    "from": self.state_label(obj),
                    "to": self.state_label(obj, to),
                }
            )
        setattr(obj, self.state_field, after)
        update = [self.state_field, *fields]
        if self.version_field:
            setattr(obj, self.version_field, F(self.version_field) + 1)
            update.append(self.version_field)
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            update.append("updated_at")
        obj.save(update_fields=list(dict.fromkeys(update)))
        if self.version_field:
            obj.refresh_from_db(fields=[self.version_field])
        trail = {**(data or {}), **({"step_level": step.level} if step.level else {})}
        if self.record_step is not None:
            self.record_step(obj, step, actor, before, after, reason, data or {})
        record(
            obj,
            action=action,
            actor=actor,
            from_state=before if to is not None else "",
            to_state=after if to is not None else "",
            note=reason,
            data=trail,
            source="task" if actor is None else None,
        )
        if step.notifies_proposer:
            self._notify_proposer(obj, step, actor, reason)
        if on_commit is not None:
            transaction.on_commit(on_commit)
        return obj

    def flag_many(
        self,
        queryset: models.QuerySet,
        *,
        action: str,
        changes: dict[str, Any],
        unchanged: dict[str, Any],
    ) -> int:
        """A background step over many rows at once (the daily overdue mark): a compare-and-swap
        UPDATE of the rows still ``unchanged``, and one audit event per changed row, as the
        system. Returns how many changed. Running it twice changes nothing the second time."""
        from kaiyuan.audit.models import AuditEvent

        step = self.step(action)
        if step.capability is not None:
            raise WrongRole(
                _("Only background work takes the step “%(step)s”.") % {"step": step.label}
            )
        lookup = area_lookup_of(queryset.model)
        rows = list(queryset.filter(**unchanged).select_for_update().select_related(lookup))
        if not rows:
            return 0
        model = queryset.model
        changed = model.objects.filter(pk__in=[row.pk for row in rows], **unchanged).update(
            **changes
        )
        content_type = ContentType.objects.get_for_model(model)
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    action=action,
                    content_type=content_type,
                    object_id=str(row.pk),
                    object_repr=str(row)[:200],
                    area=area_of(row),
                    data={key: str(value) for key, value in changes.items()},
                    source=AuditEvent.Source.TASK,
                )
                for row in rows
            ],
            batch_size=1000,
        )
        return changed
