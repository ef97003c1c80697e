"""View mixins that apply area scoping, so that a class-based view cannot forget it, and the
FilterSets pages share with the API."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from kaiyuan.accounts.capabilities import require
from kaiyuan.common.scoping import CHANGE, VIEW, user_may_write


class ScopedQuerysetMixin:
    """For ListView/DetailView/UpdateView: the queryset is always ``visible_to(request.user)``;
    a detail view of a hidden object therefore answers 404 through Django's own lookup.

    Views that change data set ``scope_action = CHANGE``; read-only roles then get 403.
    """

    model = None
    scope_action = VIEW

    def get_base_queryset(self):
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model")
        return self.model._default_manager.all()

    def get_queryset(self):
        return self.get_base_queryset().visible_to(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and self.scope_action == CHANGE
            and not user_may_write(request.user)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CapabilityRequiredMixin:
    """Restrict a view to the roles holding ``capability`` (checked before anything is read)."""

    capability = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(request.user, self.capability)
        return super().dispatch(request, *args, **kwargs)


def lenient_filterset(filterset_class, data, **kwargs):
    """A page's FilterSet, the same class its API endpoint uses: a value that does not check
    is left out (a page follows an old or hand-edited link rather than refuse it; the API
    answers 400 for the same value). ``kwargs`` go to the FilterSet (``queryset``, ``user``,
    ``request``)."""
    data = data.copy() if hasattr(data, "copy") else dict(data or {})
    for _attempt in range(len(filterset_class.base_filters) + 1):
        filterset = filterset_class(data, **kwargs)
        if filterset.is_valid():
            return filterset
        bad = [name for name in filterset.errors if name in data]
        if not bad:
            break
        for name in bad:
            data.pop(name, None)
    filterset = filterset_class({}, **kwargs)
    filterset.is_valid()
    return filterset


def filter_page_context(filterset) -> dict:
    """The current filter values as the page's form shows them."""
    return {name: filterset.form.data.get(name, "") for name in filterset.filters}
