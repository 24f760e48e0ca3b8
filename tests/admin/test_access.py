"""Who reaches the administrators' pages: administrators only; everyone else gets 404 (so a
route's existence is not confirmed), and someone signed out is sent to sign in. Routes are
taken from the app's URL map, so a new page is covered without anyone listing it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.admin.conftest import ORG_A, admin_urls, pages, sample_rows

MENU = (
    "admin.home",
    "admin.staff",
    "admin.organisations",
    "admin.news",
    "admin.outbox",
    "admin.audit",
)


def test_the_menu_endpoints_exist_and_the_admin_has_its_pages(portal_app):
    endpoints = {
        endpoint for endpoint, _url, _methods in admin_urls(portal_app, sample_rows(portal_app))
    }
    assert set(MENU) <= endpoints
    assert {
        "admin.staff_invite",
        "admin.staff_remove",
        "admin.routing",
        "admin.news_new",
        "admin.news_edit",
        "admin.news_delete",
        "admin.event_new",
        "admin.event_edit",
        "admin.event_delete",
    } <= endpoints


def test_every_admin_page_renders_for_an_administrator(portal_app, admin_client):
    values = sample_rows(portal_app)
    urls = pages(portal_app, values)
    assert len(urls) >= 15
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        assert response.headers["Cache-Control"] == "no-store", url


@pytest.mark.parametrize("role", ["caseworker", "manager"])
def test_every_admin_route_is_not_found_for_organisation_staff(portal_app, staff, signed_in, role):
    values = sample_rows(portal_app)
    client = signed_in(staff(role, ORG_A))
    for _endpoint, url, methods in admin_urls(portal_app, values):
        for method in methods:
            response = client.open(url, method=method, data={})
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"


def test_every_admin_route_sends_someone_signed_out_to_sign_in(portal_app):
    values = sample_rows(portal_app)
    client = portal_app.test_client()
    for _endpoint, url, methods in admin_urls(portal_app, values):
        for method in methods:
            response = client.open(url, method=method, data={})
            assert response.status_code == 302, f"{method} {url} answered {response.status_code}"
            target = urlsplit(response.location)
            assert target.path == "/portal/sign-in"
            # Back to the page after signing in; a button's action (POST only) would be a
            # "page not found" then, so it comes back to the portal's start instead.
            expected = url if "GET" in methods else "/portal/"
            assert parse_qs(target.query)["next"] == [expected]


def test_nothing_was_changed_by_the_refused_requests(portal_app, staff, signed_in):
    """A caseworker posting to every admin route changes nothing (no new audit record but
    the sample's own, no removed account)."""
    from tests.admin.conftest import audit_rows

    values = sample_rows(portal_app)
    before = len(audit_rows(portal_app))
    client = signed_in(staff("caseworker", ORG_A))
    after_sign_in = len(audit_rows(portal_app))
    for _endpoint, url, methods in admin_urls(portal_app, values, methods={"POST"}):
        client.post(url, data={"email": "x@example.org", "name": "X", "role": "admin"})
    assert len(audit_rows(portal_app)) == after_sign_in >= before


def test_the_audit_log_has_no_route_that_changes_it(portal_app, admin_client):
    values = sample_rows(portal_app)
    audit_routes = [
        (url, methods)
        for endpoint, url, methods in admin_urls(portal_app, values)
        if "audit" in endpoint or "/audit" in url
    ]
    assert audit_routes, "the audit page is missing"
    for url, methods in audit_routes:
        assert methods == {"GET"}, f"{url} answers {methods}"
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            assert admin_client.open(url, method=method).status_code == 405
