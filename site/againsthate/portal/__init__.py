"""The partner portal: staff of each organisation receive and handle their referrals.

Every route needs a signed-in member of staff unless it is marked @access.open_to_all;
the organisation check is in the services, which take the caller's organisation.
"""

from . import account, auth, casework, oversight, team
from .blueprint import bp

__all__ = ["account", "auth", "bp", "casework", "oversight", "team"]
