"""The overview: figures from the anonymous statistics and from referrals' status columns,
matching known rows, in a fixed number of queries, and never any referral content."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import event

from againsthate import clock
from againsthate.extensions import db
from againsthate.services import statistics
from tests.admin.conftest import ANSWERS, ORG_A, ORG_B, add_stat, pages, sample_rows

TODAY = dt.date(2026, 3, 18)  # a Wednesday


def _table(page: str, caption: str) -> dict[str, list[str]]:
    """The rows of the table with this caption: row heading -> the other cells' text."""
    found = re.search(
        r"<table>\s*<caption[^>]*>" + re.escape(caption) + r".*?</table>", page, re.DOTALL
    )
    assert found, f"no table {caption!r}"
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", found.group(0), re.DOTALL):
        heading = re.search(r'<th scope="row">(.*?)</th>', row, re.DOTALL)
        if heading:
            text = html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))).strip()
            rows[text] = [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
            ]
    return rows


@pytest.fixture
def frozen(monkeypatch):
    moment = dt.datetime.combine(TODAY, dt.time(12, 0), tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


def test_the_last_12_months_run_across_the_new_year():
    months = statistics.last_months(dt.date(2026, 3, 31))
    assert months[0] == "2025-04" and months[-1] == "2026-03" and len(months) == 12
    assert statistics.last_months(dt.date(2026, 12, 1))[0] == "2026-01"


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (dt.date(2026, 3, 18), 2, dt.date(2026, 3, 16)),  # Wednesday -> Monday
        (dt.date(2026, 3, 17), 2, dt.date(2026, 3, 13)),  # Tuesday -> the Friday before
        (dt.date(2026, 3, 16), 1, dt.date(2026, 3, 13)),  # Monday -> Friday
        (dt.date(2026, 3, 21), 2, dt.date(2026, 3, 19)),  # Saturday -> Thursday
        (dt.date(2026, 3, 18), 5, dt.date(2026, 3, 11)),  # a whole week
    ],
)
def test_working_days_skip_weekends(day, days, expected):
    assert statistics.working_days_before(day, days) == expected


def test_figures_count_the_anonymous_statistics_of_the_last_12_months(portal_app):
    add_stat(portal_app, month="2026-03", characteristics="race religion", heard_from="bus")
    add_stat(
        portal_app,
        month="2026-03",
        organisation=ORG_B,
        characteristics="disability",
        heard_from="bus",
        anonymous=True,
    )
    add_stat(portal_app, month="2025-04", characteristics="race", heard_from="")
    add_stat(
        portal_app, month="2025-03", characteristics="transgender", heard_from="poster"
    )  # too old
    add_stat(portal_app, month="2026-04", characteristics="transgender")  # a month not yet begun
    with portal_app.app_context():
        figures = statistics.figures(db.session, TODAY)
    assert dict(figures.months) == {
        **dict.fromkeys(statistics.last_months(TODAY), 0),
        "2026-03": 2,
        "2025-04": 1,
    }
    assert (figures.total, figures.anonymous) == (3, 1)
    assert figures.characteristics == {"race": 2, "religion": 1, "disability": 1}
    assert figures.organisations == {ORG_A: 2, ORG_B: 1}
    assert figures.heard_from == {"bus": 2, "": 1}


def test_workload_counts_statuses_and_referrals_waiting_too_long(portal_app, referral, frozen):
    def at(*args) -> dt.datetime:
        return dt.datetime(*args, tzinfo=dt.UTC)

    referral(ORG_A, status="new", created_at=at(2026, 3, 13, 9))  # Friday: overdue by Wednesday
    referral(ORG_A, status="new", created_at=at(2026, 3, 15, 23))  # Sunday: Monday, Tuesday gone
    referral(ORG_A, status="new", created_at=at(2026, 3, 16, 0, 1))  # Monday: due today, not late
    referral(ORG_A, status="contacted", created_at=at(2026, 3, 1))  # old, but contacted
    referral(ORG_B, status="in_support", created_at=at(2026, 3, 1))
    referral(ORG_B, status="closed", created_at=at(2026, 2, 1))
    referral("an-old-organisation", status="new", created_at=at(2026, 1, 5))
    with portal_app.app_context():
        rows = {
            w.organisation: w
            for w in statistics.workload(db.session, [ORG_A, ORG_B, "derbyshire-lgbt"], TODAY, 2)
        }
        without_target = statistics.workload(db.session, [ORG_A], TODAY, None)
    assert list(rows) == [ORG_A, ORG_B, "derbyshire-lgbt", "an-old-organisation"]
    assert rows[ORG_A].by_status == {"new": 3, "contacted": 1} and rows[ORG_A].overdue == 2
    assert rows[ORG_B].by_status == {"in_support": 1, "closed": 1} and rows[ORG_B].overdue == 0
    assert rows["derbyshire-lgbt"].by_status == {} and rows["derbyshire-lgbt"].overdue == 0
    assert rows["an-old-organisation"].overdue == 1
    assert all(w.overdue == 0 for w in without_target)


def test_the_overview_shows_the_figures(portal_app, admin_client, referral, frozen):
    for _ in range(3):
        add_stat(portal_app, month="2026-03", characteristics="race", heard_from="social-media")
    add_stat(
        portal_app,
        month="2026-02",
        organisation=ORG_B,
        characteristics="disability not_sure",
        heard_from="",
        anonymous=True,
    )
    referral(ORG_A, status="new", created_at=frozen - dt.timedelta(days=10))
    referral(ORG_A, status="in_support", created_at=frozen - dt.timedelta(days=10))
    referral(ORG_B, status="closed", created_at=frozen - dt.timedelta(days=40))

    page = admin_client.get("/portal/admin/").get_data(as_text=True)
    months = _table(page, "Referrals by month")
    assert (
        len(months) == 12
        and next(iter(months)) == "April 2025"
        and list(months)[-1] == "March 2026"
    )
    assert (
        months["March 2026"] == ["3"]
        and months["February 2026"] == ["1"]
        and months["May 2025"] == ["0"]
    )
    about = _table(page, "What the hate was about")
    assert about["Race, ethnicity or nationality"] == ["3"] and about["Disability"] == ["1"]
    assert about["I'm not sure"] == ["1"] and about["Religion or belief"] == ["0"]
    sent_to = _table(page, "Where referrals were sent")
    assert sent_to["Derbyshire Victim Services"] == ["3"] and sent_to["Disability Direct"] == ["1"]
    heard = _table(page, "How people heard about the service")
    # The Derbyshire pack's own answers (its campaign's channels), in its order, then
    # the site's "somewhere else" and "not given".
    assert list(heard)[:2] == ["An advert on the side of a bus", "A poster or leaflet"]
    assert list(heard)[-2:] == ["Somewhere else", "Not given"]
    assert (
        heard["Social media"] == ["3"]
        and heard["Not given"] == ["1"]
        and heard["An advert on the side of a bus"] == ["0"]
        and heard["A film about restorative justice"] == ["0"]
    )
    assert "1, which is 25% of all referrals" in page
    load = _table(page, "Referrals by organisation and status")
    # New, Contacted, In support, Closed, New for more than 2 working days
    assert load["Derbyshire Victim Services"] == ["1", "0", "1", "0", "1"]
    assert load["Disability Direct"] == ["0", "0", "0", "1", "0"]
    assert "New for more than 2 working days" in page
    assert "<script" not in page.split("</head>", 1)[1]  # no charts, no scripts


def test_the_overview_takes_the_same_number_of_queries_for_few_or_many(
    portal_app, admin_client, referral
):
    def queries() -> int:
        counted = []
        with portal_app.app_context():
            engine = db.engine

        def count(*_args):
            counted.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert admin_client.get("/portal/admin/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(counted)

    add_stat(portal_app, month=clock.now().strftime("%Y-%m"))
    referral(ORG_A)
    few = queries()
    for number, organisation in enumerate(["derbyshire-lgbt", "tell-mama", "remedi", ORG_B] * 5):
        add_stat(
            portal_app,
            month=clock.now().strftime("%Y-%m"),
            organisation=organisation,
            characteristics="race religion disability",
            heard_from=f"place-{number}",
        )
        referral(organisation, status=["new", "contacted", "in_support", "closed"][number % 4])
    assert queries() == few


def test_no_admin_page_shows_what_a_referral_says(portal_app, admin_client, referral):
    secret = "Zebra-umbrella-4417 shouted at me"
    answers = {
        **ANSWERS,
        "what": secret,
        "name": "Quentin Uniquename",
        "phone": "07700 900 417",
        "where_place": "Behind the Xylophone Depot",
    }
    reference = referral(ORG_A, answers)
    add_stat(portal_app, month=clock.now().strftime("%Y-%m"))
    values = sample_rows(portal_app)
    seen = []
    for url in [*pages(portal_app, values), f"/portal/admin/audit?reference={reference}"]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        seen.append(url)
        for private in (
            secret,
            "Zebra-umbrella",
            "Quentin Uniquename",
            "07700 900 417",
            "Xylophone",
        ):
            assert private not in body, f"{url} shows {private!r}"
    assert "/portal/admin/" in seen and len(seen) >= 15
