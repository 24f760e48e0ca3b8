"""Every public page the site has, for tests that must visit them all.

Built from the app's URL map, so a new page is checked without anyone remembering
to list it; routes with variables are filled from the area pack.
"""

from __future__ import annotations

from flask import Flask

from againsthate.areas import current_pack

# Endpoints that are not pages: they redirect or answer with data.
NOT_PAGES = {
    "static",
    "public.exit",
    "public.text_size",
    "public.healthz",
    # The referral's check page and the "clear my answers?" page need answers
    # first; send and clear are POSTs. tests/referral and tests/browser walk the
    # whole journey instead.
    "referral.check",
    "referral.send",
    "referral.clear",
    "referral.confirm_clear",
}

STAFF_BLUEPRINTS = {"portal", "admin"}


def public_paths(app: Flask) -> list[str]:
    """One URL per page (unprefixed, i.e. English), sorted."""
    with app.app_context():
        pack = current_pack()
        samples = {
            "public.organisation": [{"slug": pack.organisations[0].slug}],
            "public.news_item": [{"slug": n.slug} for n in pack.news[:1]],
            # The first question (later ones redirect until it is answered), and the
            # neutral page a "done" address shows to anyone but the sender.
            "referral.question": [{"slug": "who"}],
            "referral.done": [{"reference": "BCDF-GHJK"}],
        }
        paths = set()
        with app.test_request_context():
            from flask import url_for

            for rule in app.url_map.iter_rules():
                if rule.endpoint.split(".")[0] in STAFF_BLUEPRINTS:
                    continue  # staff pages: tests/portal and tests/admin walk those
                if rule.endpoint in NOT_PAGES or "GET" not in (rule.methods or set()):
                    continue
                if rule.arguments:
                    if rule.endpoint not in samples:
                        raise AssertionError(
                            f"No sample values for {rule.endpoint}: add them to tests/pages.py"
                        )
                    for values in samples[rule.endpoint]:
                        paths.add(url_for(rule.endpoint, **values))
                else:
                    paths.add(url_for(rule.endpoint))
    return sorted(paths)


def in_language(path: str, code: str) -> str:
    return f"/{code}{path}"
