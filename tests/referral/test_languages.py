"""The whole journey in every language the site offers, with the right language and direction."""

from __future__ import annotations

import re

import pytest

from againsthate.i18n import LANGUAGES
from tests.referral.journey import EVERY_BRANCH, complete_journey, reference_of, send, visible_text

# The branches EVERY_BRANCH does not take.
OTHER_BRANCHES = {
    "when": {"when": "month"},
    "where": {"where": "online"},
    "police": {"police": "pass_on"},
}


def _assert_in_language(response, code: str, what: str) -> None:
    assert response.status_code == 200, (what, response.status_code)
    match = re.search(r"<html\b[^>]*>", response.get_data(as_text=True))
    assert match, what
    tag = match.group(0)
    assert f'lang="{code}"' in tag and f'dir="{LANGUAGES[code].dir}"' in tag, (what, tag)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_every_page_of_the_journey_answers_in_every_language(module_app, code):
    prefix = f"/{code}"
    client = module_app.test_client()
    start = client.get(f"{prefix}/refer")
    _assert_in_language(start, code, "start")

    journey = complete_journey(client, EVERY_BRANCH, prefix=prefix, visit=True)
    for slug, page in journey.pages.items():
        _assert_in_language(page, code, slug)
        back = re.search(r'<a class="back-link" href="([^"]+)"', page.get_data(as_text=True))
        assert back and back.group(1).startswith(f"{prefix}/refer"), slug  # Back keeps the language
    _assert_in_language(journey.check, code, "check")
    changes = re.findall(r'<a class="change" href="([^"]+)"', journey.text)
    assert changes and all(href.startswith(f"{prefix}/refer/") for href in changes)

    sent = send(client, journey)
    assert sent.status_code == 303
    done_url = sent.headers["Location"]
    assert done_url.startswith(f"{prefix}/refer/done/")
    done = client.get(done_url)
    _assert_in_language(done, code, "done")
    assert reference_of(done_url) in visible_text(done)
    _assert_in_language(module_app.test_client().get(done_url), code, "done, neutral")

    other = module_app.test_client()
    complete_journey(other, OTHER_BRANCHES, prefix=prefix)
    for slug in ("when-month", "where-online", "police-consent"):
        _assert_in_language(other.get(f"{prefix}/refer/{slug}"), code, slug)
    _assert_in_language(other.get(f"{prefix}/refer/check"), code, "check (other branches)")


def test_the_languages_include_right_to_left_ones():
    assert {"ur", "ar"} <= set(LANGUAGES)
    assert LANGUAGES["ur"].dir == LANGUAGES["ar"].dir == "rtl"
