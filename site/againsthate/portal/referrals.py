"""The organisation's referrals: inbox and one referral's page."""
from __future__ import annotations

from flask import render_template

from . import bp


@bp.get("/referrals")
def inbox():
    return render_template("portal/inbox.html")
