"""National services a partnership lists beyond True Vision and Stop Hate UK (issue 14),
shown with the national services on the support page, each with what it does."""

from __future__ import annotations

import pytest

from againsthate.paths import AREAS
from againsthate.services.areapack import AreaPackError, load

PACK = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
OTHERS = """
[[national.others]]
name = "An Example LGBT+ Helpline"
description = { en = "Support for LGBT+ people facing abuse.", pl = "Wsparcie dla osób LGBT+." }
characteristics = ["sexual_orientation", "transgender"]
phone = "0800 999 5428"
website = "https://www.example.org/lgbt-helpline"

[[national.others]]
name = "An Example Disability Helpline"
description = "Advice for disabled people."
website = "https://www.example.org/disability-helpline"
"""


def test_other_national_services_are_on_the_support_page(pack_app):
    app = pack_app(PACK + OTHERS)
    client = app.test_client()
    page = client.get("/support?characteristic=disability").get_data(as_text=True)
    national = page[page.index("National services") :]
    for fact in (
        "An Example LGBT+ Helpline",
        "Support for LGBT+ people facing abuse.",
        'href="tel:08009995428"',
        'href="https://www.example.org/lgbt-helpline"',
        "An Example Disability Helpline",
        "Advice for disabled people.",
    ):
        assert fact in national, fact
    assert "Wsparcie dla osób LGBT+." in client.get("/pl/support").get_data(as_text=True)


def test_a_pack_without_them_shows_the_two(pack_file):
    assert load(pack_file(PACK)).national_others == ()


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('description = "Advice for disabled people."\n', "", "national.others[1].description"),
        (
            'characteristics = ["sexual_orientation", "transgender"]',
            'characteristics = ["height"]',
            "national.others[0].characteristics",
        ),
    ],
)
def test_a_wrong_one_is_named(pack_file, old, new, key):
    with pytest.raises(AreaPackError) as caught:
        load(pack_file(PACK + OTHERS.replace(old, new)))
    assert f": {key}" in str(caught.value), str(caught.value)
