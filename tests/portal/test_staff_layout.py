"""The staff layout: signed-in portal pages carry a compact staff header (organisation, the
staff member's name, the portal's menu, a small quick exit, the example notice) instead of
the public frame; language and text size are on the account page and still apply."""

from __future__ import annotations

import dataclasses
from xml.etree.ElementTree import Element

import html5lib
import pytest

from againsthate.services.preferences import COOKIE, Preferences
from tests.portal.conftest import ORG_A, add_referral

PUBLIC_FRAME = {
    "the 999 bar": (None, "emergency"),
    "the public exit bar": (None, "exit-bar"),
    "the language row": ("nav", "languages"),
    "the text-size row": ("nav", "text-size"),
    "the public example banner": (None, "example-banner"),
    "the public footer's contacts": (None, "phone-alternatives"),
}


def _page(client, path: str) -> Element:
    response = client.get(path)
    assert response.status_code == 200, path
    return html5lib.parse(response.text, treebuilder="etree", namespaceHTMLElements=False)


def select(root: Element, tag: str | None = None, cls: str | None = None, **attrs) -> list:
    """Elements under `root` by tag, one of their classes and exact attribute values."""
    return [
        el
        for el in root.iter(tag)
        if (cls is None or cls in (el.get("class") or "").split())
        and all(
            el.get(name.rstrip("_").replace("_", "-")) == value for name, value in attrs.items()
        )
    ]


def one(root: Element, tag: str | None = None, cls: str | None = None, **attrs) -> Element:
    found = select(root, tag, cls, **attrs)
    assert len(found) == 1, f"{len(found)} of {tag}.{cls} {attrs}"
    return found[0]


def text(el: Element) -> str:
    return " ".join("".join(el.itertext()).split())


@pytest.fixture
def manager_client(staff, signed_in):
    return signed_in(staff("manager", name="Mina Manager"))


def _menu(page: Element) -> list[str]:
    header = one(page, "header", "staff-header")
    return [text(a) for a in select(one(header, "nav", "main-nav"), "a")]


@pytest.mark.parametrize("path", ["/portal/referrals", "/portal/account", "/portal/workload"])
def test_signed_in_pages_have_the_staff_frame_not_the_public_one(manager_client, path):
    page = _page(manager_client, path)
    for what, (tag, cls) in PUBLIC_FRAME.items():
        assert not select(page, tag, cls), f"{path} still shows {what}"
    header = one(page, "header", "staff-header")
    assert "Mina Manager" in text(one(header, "span", "staff-name"))
    assert text(one(header, "span", "staff-organisation")) == "Derbyshire Victim Services"
    assert _menu(page) == ["Referrals", "Search", "Workload", "Team", "Audit log", "Your account"]
    assert [text(b) for b in select(header, "button")] == ["Sign out", "Sign out"]


def test_a_caseworker_has_no_manager_links(staff, signed_in):
    page = _page(signed_in(staff("caseworker")), "/portal/referrals")
    assert _menu(page) == ["Referrals", "Search", "Your account"]


def test_the_quick_exit_is_first_and_on_every_staff_page(portal_app, staff, signed_in):
    client = signed_in(staff("manager"))
    reference = add_referral(portal_app, ORG_A)
    for path in ["/portal/referrals", f"/portal/referrals/{reference}", "/portal/account"]:
        page = _page(client, path)
        first = next(one(page, "body").iter("a"))
        assert first.get("data-quick-exit") is not None, f"{path}: the first link is {first.attrib}"
        assert first.get("href") == "/exit"
        header = one(page, "header", "staff-header")
        button = one(header, "a", "exit-button")
        assert button.get("data-quick-exit") is not None and button.get("href") == "/exit"
        assert text(button) == "Leave this site"
        # What the Shift-three-times script needs, or it does nothing.
        assert select(page, "div", role="status") and select(page, "div", "exit-overlay")


def test_the_example_notice_is_one_line_in_the_staff_header(manager_client):
    page = _page(manager_client, "/portal/referrals")
    header = one(page, "header", "staff-header")
    notice = select(header, "p", "staff-example")
    assert [text(n) for n in notice] == ["Example data — not for use by the public."]


def test_no_example_notice_for_a_pack_of_real_data(manager_client, monkeypatch, portal_app):
    pack = portal_app.extensions["againsthate.pack"]
    monkeypatch.setitem(
        portal_app.extensions, "againsthate.pack", dataclasses.replace(pack, example_data=False)
    )
    page = _page(manager_client, "/portal/referrals")
    assert not select(page, None, "staff-example")


def test_the_account_page_offers_language_and_text_size(manager_client):
    page = _page(manager_client, "/portal/account")
    main = one(page, "main")
    languages = select(one(main, "nav", aria_labelledby="language"), "a")
    assert sorted(a.get("hreflang") for a in languages) == [
        "ar",
        "en",
        "gu",
        "pa",
        "pl",
        "ro",
        "ur",
    ]
    assert {a.get("hreflang"): a.get("href") for a in languages}["ur"] == "/ur/portal/account"
    sizes = select(one(main, "nav", aria_labelledby="text-size"), "a")
    assert [a.get("href") for a in sizes] == [
        f"/settings/text-size/{size}?next=/portal/account"
        for size in ("default", "large", "largest")
    ]


def test_chosen_language_and_text_size_hold_on_portal_pages(manager_client):
    response = manager_client.get("/settings/text-size/largest?next=/portal/account")
    assert response.status_code == 302 and response.location.endswith("/portal/account")
    page = _page(manager_client, "/ur/portal/referrals")
    assert page.get("class") == "text-largest"
    assert page.get("lang") == "ur" and page.get("dir") == "rtl"
    # The menu keeps the language: the next page is in Urdu too.
    first = select(one(one(page, "header", "staff-header"), "nav", "main-nav"), "a")[0]
    assert first.get("href") == "/ur/portal/referrals"
    assert Preferences.decode(manager_client.get_cookie(COOKIE).value).text_size == "largest"


def test_signed_out_pages_keep_the_public_frame(portal_app):
    page = _page(portal_app.test_client(), "/portal/sign-in")
    assert select(one(page, "section", "exit-bar"), "a", "exit-button")
    assert select(page, "nav", "languages") and select(page, "nav", "text-size")
    assert not select(page, "header", "staff-header")


def test_administrators_have_the_staff_frame_too(staff, signed_in):
    page = _page(signed_in(staff("admin", name="Ada Admin")), "/portal/admin/")
    header = one(page, "header", "staff-header")
    assert "Ada Admin" in text(header)
    assert not select(page, None, "exit-bar")
