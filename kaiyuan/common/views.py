"""View mixins that apply area scoping, so that a class-based view cannot forget it."""

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
