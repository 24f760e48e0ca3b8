"""Every page of the self-referral journey is valid HTML and keeps our page rules, in
English and Urdu (right to left): every step in steps.STEPS (each reached by answering
the steps before it, so it applies), each step in an error state, the start page with
answers in progress, the check page, the done page and the neutral done page.

The checks are tests/test_html_valid.py's own, run over these pages: the Nu HTML Checker
once over all the saved files, then one h1, a title starting with it ("Error: " first
when the page shows errors), unique ids, a label for every field, lang and dir.
"""

from __future__ import annotations

import pytest

import tests.test_html_valid as html_valid
from againsthate.answers.steps import STEPS
from againsthate.extensions import db
from tests.conftest import ROOMY, make_app
from tests.referral.journey import (
    EVERY_BRANCH,
    page_data,
    reference_of,
    slug_of,
    submission_key,
    suggested_organisation,
)
from tests.test_html_valid import LANGUAGES, Rendered, save_page

# Two ways through the journey open every step between them.
ROUTES = {
    # date, place, something else + religion, police reference, every contact method
    "every branch": EVERY_BRANCH,
    # month, online, passed on to the police, anonymous
    "the other branches": {
        "when-where": {"when": "month", "where": "online"},
        "police": {"police": "pass_on"},
        "help": {"contact": "none"},
    },
    # the words for someone filling it in for another person
    "a witness": {"who": {"who": "witness"}, "police": {"police": "pass_on"}},
}

# What to post on each step to see it in an error state, as (what is wrong, form data).
# Pages whose every answer is optional can only go wrong with a forced answer (longer than
# the field's maxlength, or not one of the choices); they are rendered in that state too.
ERRORS: dict[str, list[tuple[str, dict]]] = {
    "who": [("empty", {})],
    "what": [("empty", {"what": ""})],
    "when-where": [("empty", {})],
    "when-date": [
        ("empty", {"when_day": "", "when_month": "", "when_year": ""}),
        ("a date that does not exist", {"when_day": "31", "when_month": "2", "when_year": "2024"}),
    ],
    "when-month": [("empty", {})],
    "where-place": [
        ("a postcode in the wrong format", {"where_postcode": "not-a-postcode", "where_place": ""})
    ],
    "where-online": [("forced: too long", {"where_platform": "x" * 201})],
    "about": [("empty", {}), ("I'm not sure and something else", {"about": ["not_sure", "race"]})],
    "about-other": [("empty", {"about_other": ""})],
    "religion": [("forced: not one of the choices", {"religion": "no-such-religion"})],
    "police": [("empty", {})],
    "police-reference": [("forced: too long", {"crime_reference": "x" * 51})],
    "police-consent": [("empty", {})],
    "help": [("empty", {})],
    "contact-details": [
        ("empty", {"name": "", "phone": "", "email": "", "address": ""}),
        (
            "an email address in the wrong format",
            {"name": "", "methods": ["email"], "phone": "", "email": "not-an-email", "address": ""},
        ),
    ],
    "contact-safety": [("empty", {})],
    "needs": [("forced: too long", {"language": "x" * 101, "access": ""})],
    "consent": [("empty", {}), ("forced: too long", {"consent": "y", "heard_other": "x" * 201})],
}


class JourneyPages:
    def __init__(self):
        self.pages: list[Rendered] = []
        self.problems: list[str] = []  # error states that showed no error
        self.steps: dict[str, set[str]] = {code: set() for code in LANGUAGES}
        self.error_steps: dict[str, set[str]] = {code: set() for code in LANGUAGES}


@pytest.fixture(scope="module")
def journey(tmp_path_factory) -> JourneyPages:
    instance = tmp_path_factory.mktemp("journey-html-instance")
    folder = tmp_path_factory.mktemp("journey-html-pages")
    app = make_app(instance, WTF_CSRF_ENABLED=False, **ROOMY)
    found = JourneyPages()

    def keep(label: str, language: str, response, expected: int = 200) -> None:
        save_page(folder, found.pages, label, language, response, expected)

    try:
        for code in LANGUAGES:
            prefix = "" if code == "en" else f"/{code}"
            for route, overrides in ROUTES.items():
                client = app.test_client()
                slug = "who"
                for _ in range(len(STEPS) + 1):
                    url = f"{prefix}/refer/{slug}"
                    first_time = slug not in found.steps[code]
                    if first_time:
                        keep(url, code, client.get(url))
                        found.steps[code].add(slug)
                        for what, data in ERRORS[slug]:
                            response = client.post(url, data=data)
                            if (
                                response.status_code == 200
                                and b"data-error-summary" in response.data
                            ):
                                keep(f"{url} (POST {what}, error)", code, response)
                                found.error_steps[code].add(slug)
                            else:
                                found.problems.append(
                                    f"{url} ({route}): posting {what} {data} showed no error: answered "
                                    f"{response.status_code} {response.headers.get('Location', '')}"
                                )
                    answer = page_data(slug, overrides)
                    response = client.post(url, data=answer)
                    assert response.status_code == 302, (
                        f"{url} refused {answer}: {response.status_code}"
                    )
                    slug = slug_of(response.headers["Location"], prefix)
                    if slug == "check":
                        break
                else:  # pragma: no cover - a loop in the journey
                    raise AssertionError(f"{route}: the journey never reached the check page")

                # Answers in progress: the start page offers to continue or clear them.
                start = client.get(f"{prefix}/refer")
                assert b"/refer/clear" in start.data, "the start page does not see the answers"
                keep(f"{prefix}/refer (answers in progress, {route})", code, start)
                keep(
                    f"{prefix}/refer/clear (are you sure?, {route})",
                    code,
                    client.get(f"{prefix}/refer/clear?from=who"),
                )

                check = client.get(f"{prefix}/refer/check")
                keep(f"{prefix}/refer/check ({route})", code, check)
                sent = client.post(
                    f"{prefix}/refer/check",
                    data={
                        "submission_key": submission_key(check),
                        "organisation": suggested_organisation(check),
                    },
                )
                assert sent.status_code == 303, f"sending answered {sent.status_code}"
                done = f"{prefix}/refer/done/{reference_of(sent.headers['Location'])}"
                keep(f"{done} ({route})", code, client.get(done))
                keep(f"{done} (another browser, {route})", code, app.test_client().get(done))
        yield found
    finally:
        with app.app_context():
            db.engine.dispose()


def test_every_step_is_rendered_with_and_without_errors(journey):
    every = {step.slug for step in STEPS}
    for code in LANGUAGES:
        assert journey.steps[code] == every, (
            f"{code}: steps never reached: {every - journey.steps[code]}"
        )
        assert journey.error_steps[code] == every, (
            f"{code}: steps never shown with an error: {every - journey.error_steps[code]}"
        )
    assert set(ERRORS) == every, "a step has no error state to show: add it to ERRORS"


def test_every_error_state_shows_an_error(journey):
    assert not journey.problems, (
        f"{len(journey.problems)} answers that should be refused were accepted:\n"
        + "\n".join(journey.problems)
    )


def test_every_journey_page_is_valid_html(journey):
    html_valid.test_every_page_is_valid_html(journey.pages)


def test_journey_page_rules(journey, tmp_path):
    html_valid.test_page_rules(journey.pages, tmp_path)
