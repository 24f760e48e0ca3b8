"""The portal inbox of an organisation holding 10,000 referrals, under load. `seed()`
stores them (one sealed content reused: their size matters, not their words) and a
signed-in caseworker; `check()` makes sure each URL answers the inbox, not the sign-in
page, before the load."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import urllib.error
import urllib.request

from flask import Flask

from againsthate import clock
from againsthate.db.models import Referral, StaffUser
from againsthate.extensions import db
from againsthate.services import staff_sessions

COUNT = 10_000
ORGANISATION = "derbyshire-victim-services"
URLS = [
    "/portal/referrals",
    "/portal/referrals?status=new&characteristic=race",
    "/portal/referrals?page=300",
    "/portal/referrals?sort=waiting&status=new&owner=unassigned",
]


def seed(app: Flask) -> str:
    """Store COUNT referrals and a signed-in caseworker; return the Cookie header value."""
    with app.app_context():
        keyring = app.extensions["againsthate.keyring"]
        what = {"who": "self", "what": "Someone shouted at me at the bus stop.", "about": ["race"]}
        how = {"help": ["emotional_support"], "methods": ["phone"], "phone": "07700 900 982"}
        rest = {"police": "no", "contact": "yes", "consent": True}
        sealed = keyring.seal(json.dumps({**what, **how, **rest}))
        start = clock.now() - dt.timedelta(days=400)
        rows = [
            {
                "reference": f"B{i:07d}",
                "submission_key": secrets.token_hex(16),
                "organisation": ORGANISATION,
                "status": ("new", "contacted", "in_support", "closed")[i % 4],
                "created_at": start + dt.timedelta(minutes=50 * i),
                "received_at": start + dt.timedelta(minutes=50 * i),
                "characteristics": ("race", "religion", "disability race")[i % 3],
                "content": sealed,
            }
            for i in range(COUNT)
        ]
        db.session.execute(Referral.__table__.insert(), rows)
        now = clock.now()
        user = StaffUser(email="bench@example.org", name="Bench", role="caseworker")
        user.organisation, user.created_at, user.activated_at = ORGANISATION, now, now
        user.failed_attempts = 0
        db.session.add(user)
        db.commit()
        token = staff_sessions.start(db.session, user, clock.now())
        db.commit()
        db.engine.dispose()
    return f"{staff_sessions.COOKIE}={token}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECT = urllib.request.build_opener(_NoRedirect)


def check(base: str, cookie: str) -> str:
    """One request to each URL: each must answer 200 with the inbox, not the sign-in page."""
    problems = []
    for url in URLS:
        request = urllib.request.Request(base + url, headers={"Cookie": cookie})
        try:
            with NO_REDIRECT.open(request, timeout=30) as response:
                body = response.read().decode()
                if response.status != 200 or "<h1" not in body or "sign-in" in response.url:
                    problems.append(f"{url}: {response.status}")
        except urllib.error.HTTPError as error:
            problems.append(f"{url}: {error.code}")
    return "; ".join(problems)
