"""Job kinds and the functions that run them. Apps register their handlers at import time of
their ``jobs.py`` module (loaded in AppConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable

from kaiyuan.jobs.models import Job

Handler = Callable[[Job, "ProgressReporter"], None]
_HANDLERS: dict[str, Handler] = {}


class ProgressReporter:
    """Writes progress to the job row with a single UPDATE, at most once per ``every`` steps."""

    def __init__(self, job: Job, every: int = 500) -> None:
        self.job = job
        self.every = every
        self._last = 0

    def total(self, total: int) -> None:
        self.job.total = total
        Job.objects.filter(pk=self.job.pk).update(total=total)

    def step(self, done: int, *, force: bool = False) -> None:
        if force or done - self._last >= self.every:
            self._last = done
            self.job.progress = done
            Job.objects.filter(pk=self.job.pk).update(progress=done)


def register(kind: str) -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        return handler

    return decorator


def handler_for(kind: str) -> Handler:
    return _HANDLERS[kind]
