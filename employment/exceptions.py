from __future__ import annotations

from kaiyuan.common.errors import DomainError


class EmploymentError(DomainError):
    code = "employment_error"
