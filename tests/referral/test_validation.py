"""Every question's error messages: what they say, and that the summary links to the field."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from tests.referral.journey import errors_on

TOMORROW = dt.date.today() + dt.timedelta(days=1)


@pytest.fixture
def client(module_app):
    client = module_app.test_client()  # a new browser, so a new draft, for each test
    # Begun, as a person has by any later question (a later question's form posted with no
    # draft at all is the browser's history sending it again: not shown back).
    assert client.post("/refer/who", data={"who": "self"}).status_code == 302
    return client


WANTS_CONTACT = {"help": ["not_sure"], "contact": "yes"}

# Answers that make a page apply (posted before the page under test).
SETUP = {
    "when-date": [("when-where", {"when": "date", "where": "not_sure"})],
    "when-month": [("when-where", {"when": "month", "where": "not_sure"})],
    "where-place": [("when-where", {"when": "not_sure", "where": "place"})],
    "about-other": [("about", {"about": ["other"]})],
    "police-reference": [("police", {"police": "yes"})],
    "police-consent": [("police", {"police": "pass_on"})],
    "contact-details": [("help", WANTS_CONTACT)],
    "needs": [("help", WANTS_CONTACT)],
    "contact-safety": [
        ("help", WANTS_CONTACT),
        (
            "contact-details",
            {
                "methods": ["phone", "email", "post"],
                "phone": "07700 900982",
                "email": "sam@example.org",
                "address": "1 Example Street",
            },
        ),
    ],
}

REAL_DATE = "Enter a real date, for example 27 3 2026"
PHONE_FORMAT = "Enter a phone number, like 07700 900 982"
EMAIL_FORMAT = "Enter an email address in the right format, like name@example.com"
SAFETY = {
    "phone_message": "no",
    "phone_say_who": "no",
    "email_say_who": "yes",
    "post_say_who": "yes",
}

# (page, what was sent, where the summary must link, the message)
CASES = [
    # Required questions.
    ("who", {}, "who-0", "Select who is filling in this form"),
    ("what", {"what": ""}, "what", "Tell us what happened"),
    ("what", {"what": " \r\n\t \x00 "}, "what", "Tell us what happened"),
    ("when-where", {"where": "place"}, "when-0", "Select when it happened"),
    (
        "when-date",
        {"when_day": "", "when_month": "3", "when_year": "2025"},
        "when_day",
        "Enter the day, month and year, for example 27 3 2026",
    ),
    (
        "when-date",
        {"when_day": "", "when_month": "", "when_year": ""},
        "when_day",
        "Enter the day, month and year, for example 27 3 2026",
    ),
    (
        "when-date",
        {"when_day": "3", "when_month": "", "when_year": "2025"},
        "when_day",
        "Enter the day, month and year, for example 27 3 2026",
    ),
    (
        "when-month",
        {"when_month_year": str(dt.date.today().year)},
        "when_month_name-0",
        "Select the month",
    ),
    ("when-month", {"when_month_name": "2"}, "when_month_year-0", "Select the year"),
    ("when-where", {"when": "date"}, "where-0", "Select where it happened"),
    ("about", {}, "about-0", "Select what you think it was about, or select I'm not sure"),
    (
        "about-other",
        {"about_other": "  "},
        "about_other",
        "Tell us what else you think it was about",
    ),
    ("police", {}, "police-0", "Select whether you have told the police"),
    (
        "police-consent",
        {},
        "pass_on_consent",
        "Tick the box to agree, or go back and choose another answer",
    ),
    ("help", {}, "help-0", "Select what would help, or select I'm not sure"),
    (
        "help",
        {"help": ["not_sure"]},
        "contact-0",
        "Select whether you would like someone to contact you",
    ),
    ("contact-details", {"name": "Sam"}, "methods-0", "Select at least one way to contact you"),
    ("contact-safety", {**SAFETY, "phone_message": ""}, "phone_message-0", "Select yes or no"),
    ("contact-safety", {**SAFETY, "phone_say_who": ""}, "phone_say_who-0", "Select yes or no"),
    ("contact-safety", {**SAFETY, "email_say_who": ""}, "email_say_who-0", "Select yes or no"),
    ("contact-safety", {**SAFETY, "post_say_who": ""}, "post_say_who-0", "Select yes or no"),
    # Missing consent.
    (
        "consent",
        {},
        "consent",
        "Tick the box to agree, so that we can share your answers with the organisation",
    ),
    (
        "consent",
        {"confirmation": "y"},
        "consent",
        "Tick the box to agree, so that we can share your answers with the organisation",
    ),
    # A date that is not real, or in the future.
    (
        "when-date",
        {"when_day": "31", "when_month": "2", "when_year": "2025"},
        "when_day",
        REAL_DATE,
    ),
    ("when-date", {"when_day": "0", "when_month": "1", "when_year": "2025"}, "when_day", REAL_DATE),
    (
        "when-date",
        {"when_day": "1", "when_month": "13", "when_year": "2025"},
        "when_day",
        REAL_DATE,
    ),
    (
        "when-date",
        {"when_day": "one", "when_month": "2", "when_year": "2025"},
        "when_day",
        REAL_DATE,
    ),
    ("when-date", {"when_day": "1", "when_month": "1", "when_year": "1850"}, "when_day", REAL_DATE),
    # A year too large for a date at all (an OverflowError, not a ValueError).
    (
        "when-date",
        {"when_day": "1", "when_month": "1", "when_year": "9" * 30},
        "when_day",
        REAL_DATE,
    ),
    (
        "when-date",
        {
            "when_day": str(TOMORROW.day),
            "when_month": str(TOMORROW.month),
            "when_year": str(TOMORROW.year),
        },
        "when_day",
        "The date must be today or in the past",
    ),
    (
        "when-date",
        {"when_day": "1", "when_month": "1", "when_year": "2999"},
        "when_day",
        "The date must be today or in the past",
    ),
    # A postcode in the wrong format (the example is a real district of the area).
    (
        "where-place",
        {"where_postcode": "XYZ 123"},
        "where_postcode",
        "Enter a postcode in the right format, like DE1",
    ),
    (
        "where-place",
        {"where_postcode": "DE1 1ABX"},
        "where_postcode",
        "Enter a postcode in the right format, like DE1",
    ),
    # A method ticked without its detail.
    (
        "contact-details",
        {"methods": ["phone"], "phone": ""},
        "phone",
        "Enter a phone number, or untick Phone",
    ),
    (
        "contact-details",
        {"methods": ["email"], "email": ""},
        "email",
        "Enter an email address, or untick Email",
    ),
    (
        "contact-details",
        {"methods": ["post"], "address": " \n "},
        "address",
        "Enter a postal address, or untick Post",
    ),
    # A phone number or email address in the wrong format.
    ("contact-details", {"methods": ["phone"], "phone": "call me after 6"}, "phone", PHONE_FORMAT),
    ("contact-details", {"methods": ["phone"], "phone": "12345"}, "phone", PHONE_FORMAT),
    ("contact-details", {"methods": ["phone"], "phone": "0" * 16}, "phone", PHONE_FORMAT),
    ("contact-details", {"methods": ["email"], "email": "sam.example.org"}, "email", EMAIL_FORMAT),
    ("contact-details", {"methods": ["email"], "email": "sam@"}, "email", EMAIL_FORMAT),
    ("contact-details", {"methods": ["email"], "email": "sam @example.org"}, "email", EMAIL_FORMAT),
    # "Not sure" together with other choices.
    (
        "about",
        {"about": ["not_sure", "race"]},
        "about-0",
        "Select I'm not sure on its own, or the things you think it was about",
    ),
    (
        "help",
        {"help": ["not_sure", "emotional_support"]},
        "help-0",
        "Select I'm not sure on its own, or the things that would help",
    ),
    # Too long.
    ("what", {"what": "x" * 5001}, "what", "Use 5,000 characters or fewer"),
    ("where-place", {"where_place": "x" * 301}, "where_place", "Use 300 characters or fewer"),
    (
        "police-reference",
        {"crime_reference": "x" * 51},
        "crime_reference",
        "Use 50 characters or fewer",
    ),
    (
        "contact-details",
        {"methods": ["post"], "address": "x" * 501},
        "address",
        "Use 500 characters or fewer",
    ),
    ("needs", {"language": "x" * 101}, "language", "Use 100 characters or fewer"),
    (
        "consent",
        {"consent": "y", "heard": "other", "heard_other": "x" * 201},
        "heard_other",
        "Use 200 characters or fewer",
    ),
]


def _case_id(case) -> str:
    slug, _data, anchor, message = case
    return f"{slug}:{anchor}:{re.sub(r'[^a-z]+', '-', message.lower())[:30]}"


@pytest.mark.parametrize(
    ("slug", "data", "anchor", "message"), CASES, ids=[_case_id(c) for c in CASES]
)
def test_an_error_is_explained_and_linked_to_its_field(client, slug, data, anchor, message):
    for earlier, answer in SETUP.get(slug, []):
        assert client.post(f"/refer/{earlier}", data=answer).status_code == 302, earlier
    response = client.post(f"/refer/{slug}", data=data)
    assert response.status_code == 200, "the answer was accepted"
    body = response.get_data(as_text=True)

    title = html.unescape(re.search(r"<title>(.*?)</title>", body, re.DOTALL).group(1))
    assert title.startswith("Error: "), title
    assert message in errors_on(response)
    summary_link = re.search(
        rf'<a href="#([^"]+)">{re.escape(html.escape(message, quote=True))}</a>', body
    ) or re.search(rf'<a href="#([^"]+)">{re.escape(_jinja_escaped(message))}</a>', body)
    assert summary_link, f"no summary link for {message!r}"
    assert summary_link.group(1) == anchor
    assert re.search(rf'\bid="{re.escape(anchor)}"', body), f"nothing on the page has id={anchor!r}"


def _jinja_escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_the_message_is_also_shown_beside_the_field(client):
    response = client.post("/refer/what", data={"what": ""})
    body = response.get_data(as_text=True)
    assert re.search(r'<p class="error-message" id="what-error">.*Tell us what happened</p>', body)
    assert 'aria-describedby="what-hint what-error"' in body


def test_a_page_without_errors_has_no_error_title_or_summary(client):
    body = client.get("/refer/what").get_data(as_text=True)
    assert "<title>Error:" not in body and "error-summary" not in body


def test_several_errors_are_all_listed_in_page_order(client):
    client.post("/refer/help", data=WANTS_CONTACT)
    response = client.post(
        "/refer/contact-details",
        data={"methods": ["phone", "email", "post"], "phone": "", "email": "nope", "address": ""},
    )
    assert errors_on(response) == [
        "Enter a phone number, or untick Phone",
        EMAIL_FORMAT,
        "Enter a postal address, or untick Post",
    ]


def test_an_answer_with_an_error_is_not_saved(client):
    client.post("/refer/who", data={"who": "self"})
    client.post("/refer/what", data={"what": "First version"})
    client.post("/refer/what", data={"what": "x" * 5001})
    assert "First version" in client.get("/refer/what").get_data(as_text=True)


def test_checkbox_groups_do_not_mark_every_box_required(client):
    """A screen reader would otherwise say "required" for each box of the group."""
    import re

    client.post("/refer/who", data={"who": "self"})
    for slug, name in [("about", "about"), ("help", "help")]:
        body = client.get(f"/refer/{slug}").data.decode()
        boxes = re.findall(rf'<input[^>]*name="{name}"[^>]*>', body)
        assert len(boxes) >= 5, slug
        assert not [box for box in boxes if "required" in box], slug
