"""The one error ingestion raises: a file that cannot be read, and why, in Vietnamese."""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be ingested; the reason is short, polite Vietnamese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason
