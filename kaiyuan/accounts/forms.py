from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from kaiyuan.accounts.exceptions import login_failed_message


class LoginForm(AuthenticationForm):
    """Django's login form, answering every refusal with the same message (see
    ``login_failed_message``): the lock-out of django-axes makes ``authenticate`` return None
    just as a wrong password does, and an inactive account is not told apart either."""

    def get_invalid_login_error(self) -> forms.ValidationError:
        return forms.ValidationError(login_failed_message(), code="invalid_login")

    def confirm_login_allowed(self, user) -> None:
        if not user.is_active:
            raise self.get_invalid_login_error()
