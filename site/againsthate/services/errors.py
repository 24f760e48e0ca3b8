"""The one base for errors a person can put right."""

from __future__ import annotations


class ServiceError(Exception):
    """Something a person can put right; `reason` is a short code ("link", "slug_taken",
    "purged") the view turns into words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
