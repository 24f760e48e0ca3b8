"""Portal fixtures: an app, staff of every role, signed-in clients and referrals.

`staff(role, organisation)` makes an active account (password and authenticator set up,
as the invitation would) and `signed_in(user)` gives a test client with a live session.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import secrets

import pytest

from againsthate import clock
from againsthate.db.models import Referral, StaffUser
from againsthate.extensions import db
from againsthate.services import accounts, passwords, search, staff_sessions, two_factor
from againsthate.services.accounts import Policy
from againsthate.services.sending import characteristics_of
from tests.conftest import ROOMY, make_app

PASSWORD = "correct horse battery staple"

# Two organisations of the demonstration pack (areas/derbyshire.toml).
ORG_A = "derbyshire-victim-services"
ORG_B = "disability-direct"

ANSWERS = {
    "who": "self",
    "what": "Someone shouted at me at the bus stop.",
    "when": "date",
    "when_day": "3",
    "when_month": "10",
    "when_year": "2026",
    "where": "place",
    "where_postcode": "DE22 1AB",
    "where_place": "The bus stop on the high street",
    "about": ["race"],
    "police": "no",
    "help": ["emotional_support"],
    "contact": "yes",
    "name": "Sam",
    "methods": ["phone"],
    "phone": "07700 900 982",
    "phone_message": "no",
    "phone_times": "weekdays between 10am and 2pm",
    "phone_say_who": "no",
    "language": "Polish",
    "interpreter": "yes",
    "consent": True,
}


@pytest.fixture
def portal_app(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, **ROOMY)
    yield app
    with app.app_context():
        db.engine.dispose()


_emails = itertools.count(1)


def make_staff(
    app,
    role: str = "caseworker",
    organisation: str | None = ORG_A,
    *,
    email: str | None = None,
    name: str = "Alex Example",
    password: str = PASSWORD,
) -> tuple[StaffUser, str]:
    """An active account and its authenticator secret."""
    if role == "admin":
        organisation = None
    email = email or f"{role}{next(_emails)}@example.org"
    now = clock.now()
    with app.app_context():
        keyring = app.extensions["againsthate.keyring"]
        user, _token = accounts.invite(
            db.session,
            email=email,
            name=name,
            role=role,
            organisation=organisation,
            by=None,
            now=now,
            policy=Policy(),
        )
        user.password_hash = passwords.hash_password(password)
        secret = accounts.start_two_factor(keyring, user)
        user.activated_at = now
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
    return user, secret


def session_token(app, user: StaffUser) -> str:
    """A live staff session for `user`, made directly (not through the forms): the value of
    its cookie, for a test client or a browser."""
    with app.app_context():
        token = staff_sessions.start(db.session, db.session.get(StaffUser, user.id), clock.now())
        db.commit()
    return token


def session_client(app, user: StaffUser):
    """A test client signed in as `user` (a session made directly, not through the forms)."""
    client = app.test_client()
    client.set_cookie(staff_sessions.COOKIE, session_token(app, user))
    return client


@pytest.fixture
def staff(portal_app):
    def factory(role: str = "caseworker", organisation: str | None = ORG_A, **kwargs):
        return make_staff(portal_app, role, organisation, **kwargs)[0]

    return factory


@pytest.fixture
def signed_in(portal_app):
    return lambda user: session_client(portal_app, user)


def add_referral(
    app,
    organisation: str = ORG_A,
    answers: dict | None = None,
    *,
    status: str = "new",
    created_at: dt.datetime | None = None,
    reference: str | None = None,
) -> str:
    """A stored referral, sealed and indexed for search as the site stores one (sending.py);
    returns its reference."""
    answers = dict(ANSWERS if answers is None else answers)
    created_at = created_at or clock.now()
    reference = reference or "R" + secrets.token_hex(4).upper()
    with app.app_context():
        keyring = app.extensions["againsthate.keyring"]
        row = Referral(
            reference=reference,
            submission_key=secrets.token_hex(16),
            organisation=organisation,
            status=status,
            created_at=created_at,
            received_at=created_at,
            characteristics=" ".join(sorted(characteristics_of(answers))),
            content=keyring.seal(json.dumps(answers)),
        )
        db.session.add(row)
        search.index(db.session, keyring, row, answers)
        db.session.commit()
    return reference


@pytest.fixture
def referral(portal_app):
    return lambda organisation=ORG_A, answers=None, **kwargs: add_referral(
        portal_app, organisation, answers, **kwargs
    )


def code_now(secret: str, at: dt.datetime | None = None) -> str:
    return two_factor.code_at(secret, at or clock.now())
