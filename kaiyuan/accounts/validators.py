from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CharacterClassValidator:
    """A password must mix letters and digits (or other symbols): county accounts are shared over
    phones and notes, and all-letter or all-digit passwords fall first to guessing."""

    def validate(self, password: str, user=None) -> None:
        has_letter = any(ch.isalpha() for ch in password)
        has_other = any(not ch.isalpha() for ch in password)
        if not (has_letter and has_other):
            raise ValidationError(
                _("The password must contain both letters and digits or symbols."),
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return str(_("Your password must contain both letters and digits or symbols."))
