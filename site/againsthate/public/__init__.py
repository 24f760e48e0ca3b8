"""The public site: information, support near you, news and events, settings."""

from . import views
from .blueprint import bp

__all__ = ["bp", "views"]
