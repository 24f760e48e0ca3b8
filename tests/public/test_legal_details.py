"""The privacy notice and the accessibility statement say the partnership's own legal
details, from its pack (issue 14): who the data controller is, its registration with the
Information Commissioner's Office, its data protection officer, and when the statement was
prepared. A pack that leaves them out claims none of them."""

from __future__ import annotations

import pytest

from againsthate.paths import AREAS
from againsthate.services.areapack import AreaPackError, load

PACK = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
LEGAL = """
[legal]
data_controller = "Testshire Borough Council"
ico_registration = "Z1234567"
dpo_email = "dpo@example.org"
accessibility_statement_date = 2027-03-04
"""


def _without_legal(text: str) -> str:
    start = text.index("[legal]")
    end = text.index("\n[", start + 1)
    return text[:start] + text[end + 1 :]


def test_the_packs_legal_details_are_in_its_notices(pack_app):
    client = pack_app(_without_legal(PACK) + LEGAL).test_client()
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "Testshire Borough Council" in privacy
    assert "Z1234567" in privacy
    assert 'href="mailto:dpo@example.org"' in privacy
    statement = client.get("/accessibility").get_data(as_text=True)
    assert "This statement was prepared on 4 March 2027." in statement
    polish = client.get("/pl/accessibility").get_data(as_text=True)
    assert "4 marca 2027" in polish


def test_a_pack_without_them_claims_none(pack_app):
    client = pack_app(_without_legal(PACK)).test_client()
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "registration number" not in privacy and "data protection officer" not in privacy
    assert "This statement was prepared on" not in client.get("/accessibility").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('ico_registration = "Z1234567"', "legal.ico_registration"),
        ('dpo_email = "dpo@example.org"', "legal.dpo_email"),
    ],
)
def test_a_wrong_legal_detail_is_named(pack_file, line, problem):
    broken = LEGAL.replace(line, line.split(" = ")[0] + ' = "not right"')
    with pytest.raises(AreaPackError) as caught:
        load(pack_file(_without_legal(PACK) + broken))
    assert f": {problem}" in str(caught.value)
