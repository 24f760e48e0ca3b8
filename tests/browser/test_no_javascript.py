"""With JavaScript switched off, everything still works: pages, filters, settings, quick exit."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from againsthate.areas import current_pack

from .conftest import EXIT_URL, RTL_LANGUAGE, paths_in, route_exit_destination

# What a page shows, the same whichever database is behind it: not repeated on PostgreSQL.
pytestmark = [pytest.mark.browser, pytest.mark.looks]


def test_context_really_has_no_javascript(nojs_page, live_server):
    nojs_page.goto(live_server("/"))
    # The script would unhide the Shift hint; with no JavaScript it stays hidden.
    assert nojs_page.locator("[data-exit-hint]").is_hidden()


@pytest.mark.parametrize("language", ["en", RTL_LANGUAGE])
def test_every_page_loads_with_exit_and_999(nojs_page, live_server, pages_to_visit, language):
    prefix = "" if language == "en" else f"/{language}"
    problems = []
    for path in paths_in(language, pages_to_visit):
        response = nojs_page.goto(live_server(path))
        if response is None or response.status != 200:
            problems.append(f"{path}: answered {response and response.status}")
            continue
        exit_link = nojs_page.locator("a.exit-button")
        if exit_link.count() != 1 or not exit_link.is_visible():
            problems.append(f"{path}: no visible 'Leave this site' link")
        elif exit_link.get_attribute("href") != f"{prefix}/exit":
            problems.append(f"{path}: the exit link goes to {exit_link.get_attribute('href')}")
        elif language == "en" and exit_link.inner_text().strip() != "Leave this site":
            problems.append(f"{path}: the exit link says {exit_link.inner_text()!r}")
        emergency = nojs_page.locator(".emergency")
        if not emergency.is_visible() or "999" not in emergency.inner_text():
            problems.append(f"{path}: no visible 999 message")
        elif language == "en" and "In danger now? Call 999." not in emergency.inner_text():
            problems.append(f"{path}: the 999 message reads {emergency.inner_text()!r}")
    assert not problems, "\n".join(problems)


def _organisation_names(page) -> list[str]:
    return [n.strip() for n in page.locator("main .card h3 a").all_inner_texts()]


def test_support_filter_by_characteristic(nojs_page, live_server):
    with live_server.app.app_context():
        pack = current_pack()
        everyone = [o.name for o in pack.organisations]
        disability = [o.name for o in pack.organisations if "disability" in o.characteristics]
    assert 0 < len(disability) < len(everyone), "the pack no longer lets this test tell a change"

    nojs_page.goto(live_server("/support"))
    assert _organisation_names(nojs_page) == everyone
    nojs_page.get_by_label("Support for").select_option("disability")
    nojs_page.get_by_role("button", name="Show results").click()
    nojs_page.wait_for_load_state()
    assert parse_qs(urlsplit(nojs_page.url).query).get("characteristic") == ["disability"]
    assert _organisation_names(nojs_page) == disability
    assert nojs_page.get_by_label("Support for").input_value() == "disability"


@pytest.mark.parametrize("path", ["/support", "/places"])
def test_postcode_filter_keeps_only_the_district(nojs_page, live_server, path):
    nojs_page.goto(live_server(path))
    nojs_page.get_by_label("Postcode (optional)").fill("DE22 1AB")
    nojs_page.get_by_role("button", name="Show results").click()
    nojs_page.wait_for_load_state()
    url = urlsplit(nojs_page.url)
    assert url.path == path
    assert parse_qs(url.query).get("postcode") == ["DE22"], nojs_page.url
    assert "1AB" not in nojs_page.url.upper()
    assert nojs_page.get_by_label("Postcode (optional)").input_value() == "DE22"
    assert "1AB" not in nojs_page.content()
    results = nojs_page.locator("main .card")
    assert results.count() > 0, "no results for DE22"
    assert nojs_page.locator(".error-summary").count() == 0


def test_settings_form_saves_text_size(nojs_page, live_server):
    nojs_page.goto(live_server("/settings"))
    assert nojs_page.evaluate("document.documentElement.className") == "text-default"
    token = nojs_page.locator("form[method=post] input[name=csrf_token]")
    assert token.count() == 1 and len(token.get_attribute("value")) > 20, (
        "no CSRF token in the form"
    )
    nojs_page.get_by_label("Largest").check()
    with nojs_page.expect_response(lambda r: r.request.method == "POST") as posted:
        nojs_page.get_by_role("button", name="Save settings").click()
    assert posted.value.status in (302, 303), f"the POST answered {posted.value.status}"
    nojs_page.wait_for_load_state()
    assert urlsplit(nojs_page.url).path == "/settings"
    assert nojs_page.evaluate("document.documentElement.className") == "text-largest"
    assert nojs_page.get_by_text("Your settings have been saved.").is_visible()
    assert nojs_page.get_by_label("Largest").is_checked()
    nojs_page.goto(live_server("/report"))
    assert nojs_page.evaluate("document.documentElement.className") == "text-largest"


def test_settings_form_without_csrf_token_is_refused(nojs_page, live_server):
    """CSRF is really on in the live server, so the test above proves the token works."""
    nojs_page.goto(live_server("/settings"))
    response = nojs_page.request.post(
        live_server("/settings"), form={"text_size": "largest"}, max_redirects=0
    )
    assert response.status == 400
    nojs_page.goto(live_server("/settings"))
    assert nojs_page.evaluate("document.documentElement.className") == "text-default"


def test_quick_exit_link_goes_through_exit(nojs_page, live_server):
    fulfilled = route_exit_destination(nojs_page)
    nojs_page.goto(live_server("/settings/text-size/large?next=/support"))
    assert nojs_page.context.cookies(live_server.url), "no cookie to clear"
    requested = []
    nojs_page.on(
        "request", lambda r: requested.append(r.url) if r.is_navigation_request() else None
    )
    nojs_page.get_by_role("button", name="Leave this site").click()
    nojs_page.wait_for_url(EXIT_URL)
    assert requested[:2] == [live_server("/exit"), EXIT_URL], requested
    assert fulfilled[0] == EXIT_URL
    assert nojs_page.context.cookies(live_server.url) == [], "this site's cookies survived the exit"
