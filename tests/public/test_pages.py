"""Every page, in every language, answers and says which language it is in."""

from __future__ import annotations

import re

import pytest

from againsthate.i18n import LANGUAGES
from tests.pages import in_language, public_paths

HTML_TAG = re.compile(rb'<html lang="([a-z]+)" dir="(ltr|rtl)"')


def _lang_dir(body: bytes) -> tuple[str, str]:
    match = HTML_TAG.search(body)
    assert match, "no <html lang dir> on the page"
    return match.group(1).decode(), match.group(2).decode()


def test_every_page_in_every_language(app, client):
    paths = public_paths(app)
    assert len(paths) >= 15
    failures = []
    for code, language in LANGUAGES.items():
        for path in paths:
            url = in_language(path, code)
            response = client.get(url)
            if response.status_code != 200:
                failures.append(f"{url}: {response.status_code}")
            elif _lang_dir(response.data) != (code, language.dir):
                failures.append(f"{url}: lang/dir {_lang_dir(response.data)}")
    assert not failures, "\n".join(failures)


def test_unprefixed_pages_are_english(app, client):
    for path in public_paths(app):
        assert _lang_dir(client.get(path).data) == ("en", "ltr"), path


def test_links_keep_the_language(client):
    body = client.get("/ur/report").data.decode()
    assert 'href="/ur/support"' in body
    assert 'href="/ur/exit"' in body
    # Static files are shared by all languages, so one cached copy serves everyone.
    assert re.search(r'href="/static/css/site\.css\?v=[0-9a-f]{10}"', body)


def test_language_switcher_stays_on_the_same_page(client):
    body = client.get("/pl/witness").data.decode()
    for code in LANGUAGES:
        assert f'href="/{code}/witness" hreflang="{code}" lang="{code}"' in body
    assert 'hreflang="pl" lang="pl" dir="ltr" aria-current="true"' in body


def test_the_site_name_is_english_and_marked_so_in_every_language(client):
    # README, "Adding a language": the name is not translated, and is marked as English.
    for code in LANGUAGES:
        body = client.get(f"/{code}/").data.decode()
        assert re.search(r"<title>[^<]* – Against Hate [^<]+</title>", body), code
        assert (
            f'<a class="site-name" href="/{code}/"><span lang="en" dir="ltr">Against Hate <span'
            in body
        ), code


def test_unchecked_translation_says_so(client):
    for code, language in LANGUAGES.items():
        body = client.get(f"/{code}/").data.decode()
        has_notice = 'class="notice unchecked"' in body
        assert has_notice == (not language.checked), code


def test_accept_language_is_offered_not_forced(client):
    response = client.get("/report", headers={"Accept-Language": "ur-PK,ur;q=0.9,en;q=0.5"})
    body = response.data.decode()
    assert _lang_dir(response.data) == ("en", "ltr")  # the same URL always shows the same page
    assert 'class="notice offer" lang="ur" dir="rtl"' in body
    assert 'href="/ur/report"' in body
    assert "Accept-Language" in response.headers["Vary"]


def test_no_offer_for_english_speakers_or_prefixed_pages(client):
    assert b"notice offer" not in client.get("/", headers={"Accept-Language": "en-GB"}).data
    assert b"notice offer" not in client.get("/pl/", headers={"Accept-Language": "ur"}).data


@pytest.mark.parametrize("path", ["/", "/report", "/support", "/settings", "/no-such-page"])
def test_every_page_has_quick_exit_999_and_skip_links(client, path):
    body = client.get(path).data.decode()
    assert body.index("Leave this site quickly") < body.index("Skip to main content")
    assert 'class="exit-button" href="/exit"' in body
    assert "In danger now? Call 999." in body
    assert 'href="/staying-safe"' in body


def test_example_data_is_announced_on_every_page(app, client):
    for path in public_paths(app) + ["/no-such-page"]:
        assert b"Example data" in client.get(path).data, path


def test_unknown_organisation_and_news_are_404(client):
    assert client.get("/support/nobody").status_code == 404
    assert client.get("/news/nothing-here").status_code == 404
    assert client.get("/ur/support/nobody").status_code == 404


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
