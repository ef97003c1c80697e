from __future__ import annotations

from kaiyuan.common.errors import DomainError


class FundsError(DomainError):
    code = "funds_error"
