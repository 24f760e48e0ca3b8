"""The self-referral journey: its pages. The questions, the journey through them and
the check page's words are in ..answers (the portal shows them too)."""

from . import views
from .blueprint import bp

__all__ = ["bp", "views"]
