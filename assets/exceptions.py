from __future__ import annotations

from kaiyuan.common.errors import DomainError


class AssetsError(DomainError):
    code = "assets_error"
