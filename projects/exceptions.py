from __future__ import annotations

from kaiyuan.common.errors import DomainError


class ProjectError(DomainError):
    code = "project_error"


class ImportRefused(ProjectError):
    """The file cannot be taken as a township's proposals; nothing was stored."""

    code = "import_refused"
