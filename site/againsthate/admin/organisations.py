"""Organisations and routing, shown from the area pack: read only here, changed in the file."""

from __future__ import annotations

import re

from flask import render_template

from ..areas import current_pack
from ..extensions import db
from ..services import statistics
from ..services.vocabulary import FILLED_IN_BY_STAFF, HELP, RELIGIONS
from .blueprint import bp


def _district_order(district: str) -> tuple[str, int, str]:
    """DE2 before DE10: letters, then the number, then anything after it."""
    match = re.match(r"([A-Z]+)(\d+)(.*)", district)
    return (match.group(1), int(match.group(2)), match.group(3)) if match else (district, 0, "")


@bp.get("/organisations")
def organisations():
    pack = current_pack()
    return render_template(
        "admin/organisations.html",
        organisations=pack.organisations,
        districts={o.slug: sorted(o.areas, key=_district_order) for o in pack.organisations},
        active_staff=statistics.active_staff(db.session),
        open_referrals=statistics.open_referrals(db.session),
        pack_file=pack.path.name,
    )


@bp.get("/routing")
def routing():
    pack = current_pack()
    return render_template(
        "admin/routing.html",
        rules=[(rule, pack.organisation(rule.organisation)) for rule in pack.routing],
        fallback=pack.organisation(pack.fallback_organisation or ""),
        HELP=HELP,
        RELIGIONS=RELIGIONS,
        WHO=FILLED_IN_BY_STAFF,
        pack_file=pack.path.name,
    )
