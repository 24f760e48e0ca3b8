"""The pack's own words in the visitor's language where the pack gives them; otherwise the
pack's (English) text, marked lang="en", and dir="ltr" inside a right-to-left page."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from againsthate.areas import current_pack
from againsthate.paths import AREAS
from againsthate.services.areapack import load
from tests.conftest import SHIPPED_PACKS, make_app

DERBYSHIRE = AREAS / "derbyshire.toml"
URDU = "معذور افراد کی ایک تنظیم (ٹیسٹ کے لیے)۔"
HOURS_EN, HOURS_PL = "Weekdays, 9am to 5pm (test)", "W dni robocze, 9:00–17:00 (test)"


@pytest.fixture
def client(tmp_path):
    """Derbyshire with Disability Direct's description in English and Urdu only, and its
    hours in English and Polish only."""
    text = DERBYSHIRE.read_text(encoding="utf-8")
    description = re.search(
        r"^description(?:\.en)? = .*A disabled people.*$(?:\ndescription\.[a-z]{2} = .*$)*",
        text,
        re.MULTILINE,
    )[0]
    text = text.replace(
        description,
        f'description = {{ en = "A disabled people\'s organisation (test).", '
        f'ur = "{URDU}" }}\nhours = {{ en = "{HOURS_EN}", pl = "{HOURS_PL}" }}',
    )
    path = tmp_path / "pack.toml"
    path.write_text(text, encoding="utf-8")
    return make_app(tmp_path, WTF_CSRF_ENABLED=False, AREA_PACK=path).test_client()


def test_a_translated_description_is_shown_unmarked(client):
    body = client.get("/ur/support/disability-direct").data.decode()
    assert f'<p class="lead">{URDU}</p>' in body
    assert "A disabled people&#39;s organisation (test)." not in body
    # The same text on the list of organisations (the card).
    assert f"<p>{URDU}</p>" in client.get("/ur/support").data.decode()


def test_a_missing_translation_falls_back_to_english_marked_and_left_to_right(client):
    body = client.get("/ur/support/disability-direct").data.decode()
    assert f'<span lang="en" dir="ltr">{HOURS_EN}</span>' in body
    # The organisation's name too: English in an Urdu page, so "LGBT+" keeps its "+" at the end.
    assert '<h1 lang="en" dir="ltr">Disability Direct</h1>' in body


def test_a_left_to_right_page_marks_the_language_but_not_the_direction(client):
    body = client.get("/pl/support/disability-direct").data.decode()
    assert '<p class="lead" lang="en">A disabled people&#39;s organisation (test).</p>' in body
    assert f"{HOURS_PL}</li>" in body and f'<span lang="en">{HOURS_PL}' not in body
    assert 'dir="ltr"' not in body.split("<h1", 1)[1]  # (the "Read in English" link has one)


def test_the_english_page_needs_no_marks(client):
    body = client.get("/support/disability-direct").data.decode()
    assert '<p class="lead">A disabled people&#39;s organisation (test).</p>' in body
    assert "<h1>Disability Direct</h1>" in body
    assert 'lang="' not in body.split("<h1", 1)[1]


@pytest.mark.parametrize("code", ["pl", "ro", "pa", "ur", "ar", "gu"])
@pytest.mark.parametrize("name", SHIPPED_PACKS)
def test_shipped_packs_describe_every_organisation_in_every_language(name, code):
    pack = load(AREAS / f"{name}.toml")
    for org in pack.organisations:
        assert org.description.has(code), f"{name}: {org.slug} has no {code} description"


def test_the_shipped_packs_show_their_urdu_descriptions(any_pack_app):
    client = any_pack_app.test_client()
    with any_pack_app.app_context():
        organisations = current_pack().organisations
    for org in organisations:
        body = client.get(f"/ur/support/{org.slug}").data.decode()
        assert f'<p class="lead">{escape(org.description.get("ur"))}</p>' in body, org.slug


NEWS_TITLE = "Campaign led to more reports and more people asking for support"
NEWS_TITLE_UR = "مہم کے بعد زیادہ رپورٹیں (ٹیسٹ)"


@pytest.fixture
def news_client(tmp_path):
    """Derbyshire with its news story's title and its event's place in Urdu as well."""
    text = DERBYSHIRE.read_text(encoding="utf-8")
    text = text.replace(
        f'title = "{NEWS_TITLE}"', f'title = {{ en = "{NEWS_TITLE}", ur = "{NEWS_TITLE_UR}" }}'
    )
    text = text.replace(
        'location = "Example Community Library, Derby (fictional)"',
        'location.en = "Example Community Library, Derby (fictional)"\n'
        'location.ur = "مثالی لائبریری (ٹیسٹ)"',
    )
    path = tmp_path / "pack.toml"
    path.write_text(text, encoding="utf-8")
    return make_app(tmp_path, WTF_CSRF_ENABLED=False, AREA_PACK=path).test_client()


def test_news_from_the_pack_keeps_its_translations(news_client):
    body = news_client.get("/ur/news/step-up-beat-hate-results").data.decode()
    assert f"<h1>{NEWS_TITLE_UR}</h1>" in body
    assert f"<title>{NEWS_TITLE_UR}" in body
    assert '<div lang="en" dir="ltr"><p>The Step Up Beat Hate campaign' in body  # no Urdu body
    assert f">{NEWS_TITLE_UR}</a>" in news_client.get("/ur/news").data.decode()
    assert f">{NEWS_TITLE_UR}</a>" in news_client.get("/ur/").data.decode()
    english = news_client.get("/news/step-up-beat-hate-results").data.decode()
    assert f"<h1>{NEWS_TITLE}</h1>" in english and NEWS_TITLE_UR not in english


def test_events_from_the_pack_keep_their_translations(news_client):
    body = news_client.get("/ur/events").data.decode()
    assert "<dd>مثالی لائبریری (ٹیسٹ)</dd>" in body
    assert '<h2 class="heading-m" lang="en" dir="ltr">Example event: hate crime awareness' in body


@pytest.mark.parametrize("html", [False, True])
def test_numbers_in_a_right_to_left_translation_are_isolated(tmp_path, html):
    """A pack's or a staff member's Urdu text with a phone number and opening times: the
    numbers go between the isolates (LRI ... PDI) that keep their groups in order."""
    from againsthate.services.areapack import Text
    from againsthate.templating import pack_text

    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    urdu = "فون \u20660800 138 1625\u2069 یا 01632 960 555، اوقات 10:00–16:00"
    value = Text("Phone 0800 138 1625", (("ur", f"<p>{urdu}</p>" if html else urdu),))
    with app.test_request_context("/support", environ_base={"againsthate.lang": "ur"}):
        shown = str(pack_text(value, html=html))
    assert "\u206601632 960 555\u2069" in shown and "\u206610:00–16:00\u2069" in shown, shown
    assert "\u2066\u20660800" not in shown  # already isolated: left as it was
    with app.test_request_context("/support", environ_base={"againsthate.lang": "pl"}):
        assert "\u2066" not in str(
            pack_text(Text("Tel. 01632 960 555", (("pl", "Tel. 01632 960 555"),)))
        )


def test_the_accessibility_statement_says_what_a_page_does_with_the_packs_words(client):
    """The known problems list said organisations' words were shown in English only, which
    stopped being true when packs gave them in every language: it says what a page does."""
    page = client.get("/accessibility").get_data(as_text=True)
    assert "shown in English only" not in page
    assert "wherever they have not given a translation" in page
    assert "marked with its language" in page
    # ...which is what a page does (test_a_missing_translation_falls_back_to_english_marked…)
    urdu = client.get("/ur/support").get_data(as_text=True)
    assert URDU in urdu and 'lang="en" dir="ltr"' in urdu


def test_the_partnerships_name_in_a_right_to_left_sentence_is_marked_as_its_language(client):
    """ "Run by the Derbyshire hate crime partnership (example)" in Urdu: the English name
    inside the Urdu sentence is marked English and left to right (it was not marked)."""
    marked = '<span lang="en" dir="ltr">the Derbyshire hate crime partnership (example)</span>'
    for path in ("/ur/", "/ur/privacy", "/ur/accessibility", "/ur/contact"):
        assert marked in client.get(path).get_data(as_text=True), path
    english = client.get("/privacy").get_data(as_text=True)
    assert "run by the Derbyshire hate crime partnership (example)." in english
