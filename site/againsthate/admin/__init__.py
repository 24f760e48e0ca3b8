"""The commissioning office's administration: staff, organisations, routing, news and
events, the outbox, the audit log and statistics. Administrators only."""

from . import news, organisations, staff, views
from .blueprint import bp

__all__ = ["bp", "news", "organisations", "staff", "views"]
