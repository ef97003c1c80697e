"""The one refusal of the import pipeline: the file cannot be imported at all."""

from __future__ import annotations

from kaiyuan.common.errors import DomainError


class ImportRefused(DomainError):
    """Nothing was read into the database and nothing was written. ``messages`` lists every
    reason, each a whole Chinese sentence that says what to do."""

    code = "import_refused"

    def __init__(self, messages: list[str] | str) -> None:
        self.messages = [str(m) for m in (messages if isinstance(messages, list) else [messages])]
        super().__init__("".join(self.messages))
