"""axe-core on every page: English and Urdu (right to left), default and largest text,
desktop and 320 px wide. Zero violations of WCAG 2.0-2.2 A/AA and axe's best practices.

One context per configuration, every page inside it, so a run takes minutes, not tens
of minutes; the failure message names each failing page and each rule.
"""

from __future__ import annotations

import pytest

from .bidi import numbers_out_of_order
from .conftest import RTL_LANGUAGE, paths_in
from .test_layout import OVERFLOW

# What a page shows, the same whichever database is behind it: not repeated on PostgreSQL.
pytestmark = [pytest.mark.browser, pytest.mark.looks]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
NOT_FOUND = "/no-such-page"

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


def axe_violations(page, axe_source: str) -> list[dict]:
    """Inject axe (page.evaluate, because the CSP refuses script tags) and run it."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(RUN_AXE, AXE_TAGS)


def describe(path: str, violations: list[dict]) -> str:
    lines = [f"{path}:"]
    for v in violations:
        lines.append(f"  [{v['id']}] ({v['impact']}) {v['help']} <{v['url']}>")
        for node in v["nodes"][:10]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"      at {node['target']}: {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"      … and {len(v['nodes']) - 10} more elements")
    return "\n".join(lines)


@pytest.mark.parametrize("width", ["desktop", "320"])
@pytest.mark.parametrize("text_size", ["default", "largest"])
@pytest.mark.parametrize("language", ["en", RTL_LANGUAGE])
def test_no_axe_violations(
    new_context, live_server, pages_to_visit, axe_source, language, text_size, width
):
    context = new_context(width=width, text_size=text_size)
    page = context.new_page()
    checked, failures = [], []
    for path in paths_in(language, pages_to_visit + [NOT_FOUND]):
        response = page.goto(live_server(path))
        expected = 404 if path.endswith(NOT_FOUND) else 200
        assert response is not None and response.status == expected, (
            f"{path} answered {response and response.status}, expected {expected}"
        )
        # The configuration really applies: right language, direction and text size.
        html = page.evaluate(
            "[document.documentElement.lang, document.documentElement.dir,"
            " document.documentElement.className]"
        )
        assert html == [
            language,
            "rtl" if language == RTL_LANGUAGE else "ltr",
            f"text-{text_size}",
        ], f"{path}: <html> has {html}"
        violations = axe_violations(page, axe_source)
        checked.append(path)
        if violations:
            failures.append(describe(path, violations))
    assert len(checked) == len(pages_to_visit) + 1
    assert not failures, (
        f"axe found violations ({language}, text {text_size}, {width} wide) "
        f"on {len(failures)} of {len(checked)} pages:\n" + "\n".join(failures)
    )


def audit_visits(page, visits, axe_source: str, *, language: str, width: str) -> list[str]:
    """Open each (name, load) of a signed-in journey in turn and check the page it shows:
    in `language`, one <h1>, an error summary when the name says "error" or "warning",
    zero axe violations, no sideways scrolling at 320 px, and on a right-to-left page every
    number in its written order (bidi.py). Returns what failed."""
    failures = []
    for name, load in visits:
        load()
        assert page.evaluate("document.documentElement.lang") == language, name
        assert page.locator("h1").count() == 1, f"{name}: {page.url}"
        if "error" in name or "warning" in name:
            assert page.locator("[data-error-summary]").count() == 1, f"{name}: no error summary"
            # The script focuses the error summary, which scrolls the page under the sticky
            # quick-exit bar; axe then counts the header links scrolled beneath the bar as
            # too small and the off-screen skip link as low contrast. That is the shared
            # layout's, not these pages': check them from the top, as they first appear.
            page.evaluate("window.scrollTo(0, 0)")
        violations = axe_violations(page, axe_source)
        if violations:
            failures.append(describe(f"{name} ({page.url})", violations))
        if width == "320":
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                failures.append(f"{name}: sideways scrolling at 320 px: {overflow}")
        if page.evaluate("document.documentElement.dir") == "rtl":
            failures += numbers_out_of_order(page, f"{name} ({page.url})")
    return failures


@pytest.mark.parametrize("width", ["desktop", "320"])
@pytest.mark.parametrize("language", ["en", RTL_LANGUAGE])
def test_too_large_page_has_no_axe_violations(
    new_context, live_server, axe_source, language, width
):
    """The kind page a form too big to read gets (413): reached as a person would, by
    sending a form, since no link leads there."""
    page = new_context(width=width, text_size="largest").new_page()
    prefix = "" if language == "en" else f"/{language}"
    page.goto(live_server(f"{prefix}/refer/who"))
    limit = live_server.app.config["MAX_CONTENT_LENGTH"]
    with page.expect_navigation() as navigation:
        page.evaluate(
            """(size) => {
              const form = document.querySelector("main form");
              const extra = document.createElement("textarea");
              extra.name = "who"; extra.hidden = true; extra.value = "Q".repeat(size);
              form.appendChild(extra); form.submit();
            }""",
            limit + 1,
        )
    assert navigation.value.status == 413
    failures = audit_visits(
        page, [("too large", lambda: None)], axe_source, language=language, width=width
    )
    assert not failures, "\n".join(failures)
