"""Text size, postcode and the quick exit: preferences live in one cookie, nothing else."""

from __future__ import annotations

from againsthate.services.preferences import COOKIE


def _cookie(client):
    return client.get_cookie(COOKIE)


def test_text_size_link_sets_a_session_cookie_and_returns(client):
    response = client.get("/settings/text-size/largest?next=/ur/report")
    assert response.status_code == 302
    assert response.headers["Location"] == "/ur/report"
    cookie = _cookie(client)
    assert cookie.value.startswith("largest|")
    assert cookie.expires is None  # a session cookie unless "remember" is ticked
    assert cookie.http_only
    assert b'class="text-largest"' in client.get("/ur/report").data


def test_text_size_link_never_redirects_elsewhere(client):
    for target in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ]:
        location = client.get(f"/settings/text-size/large?next={target}").headers["Location"]
        assert location == "/", target


def test_text_size_link_answer_is_never_stored(client):
    """Issue 12, item 7: it changes state, so no browser or proxy may replay it; it was
    marked `public, max-age=300` for a visitor with no cookie yet."""
    response = client.get("/settings/text-size/large?next=/report")
    assert response.headers["Set-Cookie"]
    assert response.headers["Cache-Control"] == "no-store"
    again = client.get("/settings/text-size/default?next=/report")  # now with a cookie
    assert again.headers["Cache-Control"] == "no-store"


def test_unknown_text_size_is_404(client):
    assert client.get("/settings/text-size/huge").status_code == 404


def test_settings_keep_only_the_outward_code(client):
    response = client.post("/settings", data={"text_size": "large", "postcode": "de22 1ab"})
    assert response.status_code == 302
    assert _cookie(client).value == "large|DE22|0"
    page = client.get("/settings").data.decode()
    assert 'value="DE22"' in page and "1AB" not in page


def test_remember_makes_the_cookie_last(client):
    client.post("/settings", data={"text_size": "large", "postcode": "", "remember": "y"})
    assert _cookie(client).expires is not None


def test_default_settings_remove_the_cookie(client):
    client.get("/settings/text-size/large")
    client.post("/settings", data={"text_size": "default", "postcode": ""})
    assert _cookie(client) is None


def test_bad_postcode_gives_a_kind_error_and_keeps_the_answer(client):
    response = client.post("/settings", data={"text_size": "large", "postcode": "not a postcode"})
    body = response.data.decode()
    assert response.status_code == 200
    assert "<title>Error: Settings" in body
    assert "Enter a postcode in the right format" in body
    assert 'href="#postcode"' in body  # the error summary links to the field
    assert 'value="not a postcode"' in body
    assert _cookie(client) is None


def test_postcode_outside_the_area_points_to_national_services(client):
    client.post("/settings", data={"text_size": "default", "postcode": "SW1A 1AA"})
    body = client.get("/support").data.decode()
    assert "SW1A is outside Derbyshire." in body
    assert "0800 138 1625" in body


def test_set_postcode_personalises_the_directory(client):
    everywhere = client.get("/support").data.decode()
    assert "Multi Faith Centre" in everywhere
    client.post("/settings", data={"text_size": "default", "postcode": "S40 1AA"})
    near = client.get("/support").data.decode()
    # The Multi Faith Centre serves Derby's districts only, not Chesterfield (S40).
    assert "Multi Faith Centre" not in near
    assert "Showing results for S40" in near


def test_full_postcode_in_the_filter_is_cut_from_the_address(client):
    response = client.get("/support?characteristic=disability&postcode=DE22+1AB")
    assert response.status_code == 302
    assert "postcode=DE22" in response.headers["Location"]
    assert "1AB" not in response.headers["Location"]


def test_filter_by_characteristic(client):
    body = client.get("/support?characteristic=disability").data.decode()
    assert "Disability Direct" in body and "Derbyshire LGBT+" not in body
    body = client.get("/support?characteristic=transgender").data.decode()
    assert "Derbyshire LGBT+" in body and "Disability Direct" not in body


def test_bad_filter_input_is_an_error_not_a_crash(client):
    response = client.get("/places?postcode=%3Cscript%3E")
    assert response.status_code == 200
    assert b"Enter a postcode in the right format" in response.data
    assert b"<script>" not in response.data.split(b"</head>")[1]
    assert client.get("/support?characteristic=nonsense").status_code == 200


def test_exit_clears_cookies_and_goes_somewhere_neutral(client):
    client.get("/settings/text-size/large")
    client.get("/settings")  # sets the session cookie through the CSRF token
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == "https://www.bbc.co.uk/weather"
    assert _cookie(client) is None
    assert response.headers["Cache-Control"] == "no-store"
    assert "cookies" in response.headers["Clear-Site-Data"]
