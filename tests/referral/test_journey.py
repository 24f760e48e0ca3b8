"""The journey end to end: questions, check page, sending, and what is stored."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from flask_babel import force_locale, gettext

from againsthate.db.models import Draft, Referral
from againsthate.extensions import db
from againsthate.paths import AREAS
from againsthate.services import statistics
from tests.packs import derbyshire_with_a_bsl_rule
from tests.referral.journey import (
    EVERY_BRANCH,
    SHORT,
    complete_journey,
    count,
    organisation_choices,
    reference_of,
    rows,
    send,
    slug_of,
    suggested_organisation,
)

BSL_REASON = "We chose %(organisation)s because you use British Sign Language (BSL)."


def test_the_start_page_offers_to_start(client):
    response = client.get("/refer")
    assert response.status_code == 200
    assert 'href="/refer/who"' in response.get_data(as_text=True)


def test_every_page_of_the_journey_is_never_stored_by_the_browser(client):
    journey = complete_journey(client, EVERY_BRANCH, visit=True)
    for slug, page in journey.pages.items():
        assert page.headers["Cache-Control"] == "no-store", slug
    assert journey.check.headers["Cache-Control"] == "no-store"
    done = client.get(send(client, journey).headers["Location"])
    assert done.headers["Cache-Control"] == "no-store"


def test_the_short_journey_asks_only_the_questions_that_apply(client):
    journey = complete_journey(client, SHORT)
    assert list(journey.answers) == [
        "who",
        "what",
        "when-where",
        "about",
        "police",
        "help",
        "consent",
    ]


def test_every_branch_asks_its_follow_up_questions(client):
    journey = complete_journey(client, EVERY_BRANCH)
    assert list(journey.answers) == [
        "who",
        "what",
        "when-where",
        "when-date",
        "where-place",
        "about",
        "about-other",
        "religion",
        "police",
        "police-reference",
        "help",
        "contact-details",
        "contact-safety",
        "needs",
        "consent",
    ]


def test_the_check_page_shows_the_answers_in_words(client):
    journey = complete_journey(client, EVERY_BRANCH)
    text = journey.text
    for answer in (
        "Someone shouted at me at the bus stop.",
        "I am the person it happened to",
        "The bus stop on the high street",
        "DE22 1AB",
        "Religion or belief",
        "Something else",
        "My accent",
        "Jewish",
        "CR-12345",
        "Emotional support",
        "Sam",
        "07700 900982",
        "sam@example.org",
        "Weekdays, 10am to 2pm",
        "A neighbour",
    ):
        assert answer in text, answer
    assert "Jewish" in text and ">jewish<" not in text  # labels, not codes


def test_a_later_question_before_the_earlier_ones_sends_you_back(client):
    response = client.get("/refer/check")
    assert response.status_code == 302
    client.post("/refer/who", data={"who": "self"})
    response = client.get("/refer/check")
    assert slug_of(response.headers["Location"]) == "what"


def test_a_question_that_does_not_apply_redirects(client):
    client.post("/refer/who", data={"who": "self"})
    response = client.get("/refer/police-reference")  # only after "yes, I told the police"
    assert response.status_code == 302
    assert slug_of(response.headers["Location"]) == "what"


def test_an_unknown_question_is_not_found(client):
    assert client.get("/refer/no-such-question").status_code == 404


@pytest.mark.parametrize(
    ("about", "postcode", "organisation"),
    [
        (["disability"], "DE22 1AB", "disability-direct"),
        (["race"], "DE22 1AB", "multi-faith-centre"),
        (["race"], "S40 1AB", "derbyshire-victim-services"),
        (["transgender"], "", "derbyshire-lgbt"),
        (["not_sure"], "", "derbyshire-victim-services"),
    ],
)
def test_the_check_page_suggests_the_routed_organisation(client, about, postcode, organisation):
    journey = complete_journey(
        client, {"about": {"about": about}, "where-place": {"where_postcode": postcode}}
    )
    assert suggested_organisation(journey.check) == organisation
    assert organisation_choices(journey.check)[0] == organisation


def test_religion_answer_routes_anti_muslim_hate_to_tell_mama(client):
    journey = complete_journey(
        client, {"about": {"about": ["religion"]}, "religion": {"religion": "muslim"}}
    )
    assert suggested_organisation(journey.check) == "tell-mama"
    assert "Tell MAMA" in journey.text


def test_asking_only_for_restorative_justice_suggests_remedi(client):
    journey = complete_journey(client, {"help": {"help": ["restorative_justice"]}})
    assert suggested_organisation(journey.check) == "remedi"
    assert "because of the help you asked for" in journey.text


def test_the_check_page_offers_the_fallback_as_an_alternative(client):
    journey = complete_journey(client, {"about": {"about": ["disability"]}})
    choices = organisation_choices(journey.check)
    assert choices[0] == "disability-direct"
    assert "derbyshire-victim-services" in choices
    assert len(choices) == len(set(choices))


def test_the_check_page_says_why_the_organisation_was_chosen(client):
    journey = complete_journey(client, {"about": {"about": ["disability", "race"]}})
    text = journey.text
    assert (
        "We chose Disability Direct because it specialises in supporting people targeted because of:"
        in text
    )
    reason = text.split("specialises in supporting", 1)[1].split("</ul>", 1)[0]
    assert "<li>Disability</li>" in reason and "Race" not in reason


def test_the_check_page_names_who_or_the_interpreter_when_a_rule_chose_by_them(new_app):
    """A rule by who fills in the form, or by the need for an interpreter (walsall.toml has
    both), says so, rather than "because of:" over an empty list of strands."""
    app = new_app(WTF_CSRF_ENABLED=False, AREA_PACK=AREAS / "walsall.toml")
    witness = complete_journey(
        app.test_client(), {"who": {"who": "witness"}, "about": {"about": ["transgender"]}}
    ).text
    assert "We chose Black Country Innovate CIC because of who is filling in this form:" in witness
    assert "<li>I saw it happen to someone else</li>" in witness
    interpreter = complete_journey(
        app.test_client(), {"about": {"about": ["race"]}, "needs": {"interpreter": "yes"}}
    ).text
    assert (
        "We chose Example Community Languages Service (fictional) because you asked for an "
        "interpreter." in interpreter
    )
    for text in (witness, interpreter):
        assert "specialises in supporting" not in text


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_the_check_page_names_bsl_when_a_rule_chose_by_it(new_app, tmp_path, lang):
    """Issue 14: a pack's rule by British Sign Language suggests its organisation to someone
    who ticked "I use British Sign Language (BSL)", and says that is why, in their language;
    without the tick the referral routes as before."""
    pack = derbyshire_with_a_bsl_rule(tmp_path)
    app = new_app(tmp_path / "instance", WTF_CSRF_ENABLED=False, AREA_PACK=pack)
    prefix = "" if lang == "en" else f"/{lang}"
    answers = {"about": {"about": ["disability"]}, "needs": {"bsl": "y"}}
    check = complete_journey(app.test_client(), answers, prefix=prefix).check
    with app.test_request_context(), force_locale(lang):
        reason = gettext(BSL_REASON, organisation="Derbyshire Victim Services")
    assert lang == "en" or reason != BSL_REASON % {"organisation": "Derbyshire Victim Services"}
    text = check.get_data(as_text=True)
    assert suggested_organisation(check) == "derbyshire-victim-services"
    assert f"<p>{reason}</p>" in text
    assert "specialises in supporting" not in text
    answers["needs"] = {"bsl": None}
    without = complete_journey(app.test_client(), answers, prefix=prefix).check
    assert suggested_organisation(without) == "disability-direct"
    assert reason not in without.get_data(as_text=True)


def test_a_rule_by_religions_alone_names_religion_on_the_check_page(new_app, tmp_path):
    rule = 'characteristics = ["religion"]\nreligions = ["muslim"]\n'
    text = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
    assert rule in text
    pack = tmp_path / "pack.toml"
    pack.write_text(text.replace(rule, 'religions = ["muslim"]\n'), encoding="utf-8")
    app = new_app(tmp_path / "instance", WTF_CSRF_ENABLED=False, AREA_PACK=pack)
    answers = {"about": {"about": ["religion"]}, "religion": {"religion": "muslim"}}
    text = complete_journey(app.test_client(), answers).text
    reason = text.split("We chose Tell MAMA because it specialises", 1)[1].split("</ul>", 1)[0]
    assert "<li>Religion or belief</li>" in reason


def test_sending_stores_one_referral_and_deletes_the_draft(app, client):
    journey = complete_journey(client, EVERY_BRANCH)
    assert count(app, Draft) == 1
    response = send(client, journey)
    assert response.status_code == 303
    reference = reference_of(response.headers["Location"])
    assert count(app, Draft) == 0
    [referral] = rows(app, Referral)
    assert referral.reference == reference and referral.status == "new"
    assert referral.organisation == suggested_organisation(journey.check)
    content = json.loads(app.extensions["againsthate.keyring"].open(referral.content))
    assert content["what"] == journey.answers["what"]["what"]
    assert content["name"] == "Sam" and content["methods"] == ["phone", "email", "post"]
    assert "steps_done" not in content and "_submission_key" not in content


def test_sending_counts_anonymous_statistics_without_personal_details(app, client):
    send(client, complete_journey(client, {"about": {"about": ["race", "disability"]}}))
    month = dt.datetime.now(dt.UTC).strftime("%Y-%m")
    with app.app_context():
        found = statistics.counts(db.session, month, month)
    assert found == {
        (month, "disability-direct", dimension, value): 1
        for dimension, value in [
            ("referrals", ""),
            ("characteristic", "disability"),
            ("characteristic", "race"),
            ("who", "self"),
            ("help", "emotional_support"),
            ("police", "no"),
            ("heard", "friend"),
            ("contact", "contact"),
        ]
    }


def test_the_person_can_choose_another_organisation(app, client):
    journey = complete_journey(client, {"about": {"about": ["disability"]}})
    send(client, journey, organisation="derbyshire-victim-services")
    assert rows(app, Referral)[0].organisation == "derbyshire-victim-services"


@pytest.mark.parametrize("organisation", ["tell-mama", "no-such-organisation", ""])
def test_an_organisation_that_was_not_offered_is_not_used(app, client, organisation):
    journey = complete_journey(client, {"about": {"about": ["disability"]}})
    assert organisation not in organisation_choices(journey.check)
    assert send(client, journey, organisation=organisation).status_code == 303
    assert rows(app, Referral)[0].organisation == "disability-direct"


def test_the_done_address_names_only_the_reference(client):
    response = send(client, complete_journey(client))
    assert re.fullmatch(r"/refer/done/[A-Z0-9]{4}-[A-Z0-9]{4}", response.headers["Location"])
