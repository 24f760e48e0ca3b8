"""Fixtures for the services' tests: the portal's (an app, staff, signed-in clients, stored
referrals), for the services whose tests also go through the pages (accounts, retention)."""

from tests.portal.conftest import (  # noqa: F401  (fixtures, used by name)
    portal_app,
    referral,
    signed_in,
    staff,
)
