"""How people heard of the service: the area's own campaign channels, asked, shown and
counted (issue 14). Derbyshire's pack lists its Step Up Beat Hate channels; Hertfordshire's
lists none, so it offers the site's general list."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from againsthate.areas import current_pack
from againsthate.extensions import db
from againsthate.paths import AREAS
from againsthate.services import statistics
from againsthate.services.vocabulary import HEARD, HEARD_OTHER
from tests.conftest import ROOMY

from .journey import complete_journey, errors_on, send


def offered(response) -> list[str]:
    return re.findall(r'name="heard" type="radio" value="([^"]+)"', response.get_data(as_text=True))


def label_of(response, value: str) -> str:
    body = response.get_data(as_text=True)
    match = re.search(
        rf'id="(heard-\d+)"[^>]*value="{value}"|value="{value}"[^>]*id="(heard-\d+)"', body
    )
    assert match, f"no radio for {value!r}"
    ident = match.group(1) or match.group(2)
    label = re.search(rf'<label class="radio-label" for="{ident}">(.*?)</label>', body, re.DOTALL)
    assert label
    return label.group(1)


@pytest.fixture
def derbyshire(new_app):
    return new_app(WTF_CSRF_ENABLED=False, AREA_PACK=AREAS / "derbyshire.toml", **ROOMY)


def test_the_question_offers_the_areas_own_channels_in_the_page_language(derbyshire):
    with derbyshire.test_request_context():
        pack = current_pack()
    assert pack.heard, "test setup: the Derbyshire pack lists its campaign's channels"
    client = derbyshire.test_client()
    complete_journey(client)
    page = client.get("/refer/consent")
    assert offered(page) == [*[o.slug for o in pack.heard], HEARD_OTHER]
    assert label_of(page, "workshop") == pack.heard[3].label.source
    urdu = client.get("/ur/refer/consent")
    assert label_of(urdu, "bus") == pack.heard[0].label.get("ur") != pack.heard[0].label.source


def test_a_pack_without_channels_offers_the_sites_list(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, AREA_PACK=AREAS / "hertfordshire.toml", **ROOMY)
    client = app.test_client()
    complete_journey(client)
    assert offered(client.get("/refer/consent")) == [*HEARD, HEARD_OTHER]


def test_a_channel_missing_in_a_language_is_marked_as_the_packs_own(new_app, tmp_path):
    shipped = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
    text = shipped.replace('label.ur = "بس پر لگا اشتہار"\n', "")
    assert text != shipped, "test setup: the bus advert's Urdu label is in the pack"
    (tmp_path / "pack.toml").write_text(text, encoding="utf-8")
    app = new_app(
        tmp_path / "instance", WTF_CSRF_ENABLED=False, AREA_PACK=tmp_path / "pack.toml", **ROOMY
    )
    client = app.test_client()
    complete_journey(client)
    label = label_of(client.get("/ur/refer/consent"), "bus")
    assert label == '<span lang="en" dir="ltr">An advert on the side of a bus</span>'


@pytest.mark.parametrize(
    ("prefix", "message"),
    [("", "Choose one of the answers shown"), ("/ur", "دکھائے گئے جوابات میں سے ایک چنیں")],
)
def test_an_answer_the_area_does_not_offer_is_refused_kindly(derbyshire, prefix, message):
    client = derbyshire.test_client()
    complete_journey(client)
    # The site's general list says "social_media"; Derbyshire's own slug is "social-media".
    response = client.post(
        f"{prefix}/refer/consent", data={"consent": "y", "heard": "social_media"}
    )
    assert response.status_code == 200
    assert errors_on(response) == [message]


def test_the_answer_is_shown_in_words_and_counted_under_the_areas_channel(derbyshire):
    client = derbyshire.test_client()
    journey = complete_journey(client, {"consent": {"heard": "workshop"}})
    assert "A workshop at a school, college, refugee centre or leisure centre" in journey.text
    urdu = client.get("/ur/refer/check").get_data(as_text=True)
    assert "کسی اسکول، کالج، پناہ گزین مرکز یا تفریحی مرکز میں ورکشاپ" in urdu
    assert send(client, journey).status_code == 303
    with derbyshire.app_context():
        figures = statistics.figures(db.session, dt.datetime.now(dt.UTC).date())
    assert figures.heard_from == {"workshop": 1}
