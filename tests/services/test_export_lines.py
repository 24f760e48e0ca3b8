"""services/export: each kind of history line in words, and a code with no words kept as
it is (so nothing is lost when a newer part of the portal writes a kind this has no
words for)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from againsthate.services.export import Words, _line, _local

WORDS = Words(
    statuses={"new": "New", "closed": "Closed"},
    outcomes={"supported": "Support given"},
    characteristics={},
    methods={},
    contact_methods={"phone": "Phone call", "text": "Text"},
    organisations={"b": "Organisation B"},
    tags={"police": "Passed to the police"},
    results={"answered": "They answered", "no_answer": "No answer"},
    phrases={
        "yes": "Yes",
        "no": "No",
        "nobody": "Nobody",
        "status": "Status: %(before)s to %(after)s",
        "outcome": "(outcome: %(outcome)s)",
        "assigned": "Who has it: %(before)s to %(after)s",
        "passed_on": "Passed to %(organisation)s",
        "message_left": "message left: %(answer)s",
        "said_who": "said who we are: %(answer)s",
        "against_wishes": "against what the person asked",
        "result": "result: %(result)s",
        "made_at": "made at %(at)s",
        "next_try": "try again on %(date)s",
        "refused": "Stopped (%(method)s)",
        "wishes_changed": "Now says: %(words)s",
        "tags": "Tags added: %(added)s; removed: %(removed)s",
    },
)


@pytest.mark.parametrize(
    ("kind", "detail", "expected"),
    [
        (
            "status",
            {"from": "new", "to": "closed", "outcome": "supported"},
            "Status: New to Closed (outcome: Support given)",
        ),
        (
            "status",
            {"from": "new", "to": "later_status", "outcome": None},
            "Status: New to later_status",
        ),
        (
            "assigned",
            {"from_name": None, "to_name": "Sam", "reason": ""},
            "Who has it: Nobody to Sam",
        ),
        (
            "assigned",
            {"from_name": "Sam", "to_name": None, "reason": "On leave"},
            "Who has it: Sam to Nobody: On leave",
        ),
        (
            "passed_on",
            {"from": "a", "to": "b", "reason": "Specialist"},
            "Passed to Organisation B: Specialist",
        ),
        (
            "contact",
            {
                "method": "phone",
                "message_left": False,
                "said_who": True,
                "note": "",
                "breaches": ["no_message"],
                "result": "answered",
            },
            (
                "Phone call; result: They answered; message left: No; said who we are: Yes; "
                "against what the person asked"
            ),
        ),
        (
            "contact",
            {
                "method": "phone",
                "message_left": False,
                "said_who": False,
                "note": "",
                "breaches": [],
                "made_at": "2026-07-01T08:30:00Z",
                "result": "no_answer",
                "next_try": "2026-07-03",
            },
            (
                "Phone call; made at 2026-07-01 08:30; result: No answer; "
                "try again on 2026-07-03; message left: No; said who we are: No"
            ),
        ),
        ("contact_refused", {"method": "text", "breaches": ["method"]}, "Stopped (Text)"),
        ("wishes_changed", {"words": "Evenings now"}, "Now says: Evenings now"),
        ("note", {"text": "Rang"}, "Rang"),
        (
            "tags",
            {"added": ["police"], "removed": ["gone"]},
            "Tags added: Passed to the police; removed: gone",
        ),
        ("something_newer", {}, "something_newer"),
    ],
)
def test_each_kind_of_line_in_words(kind, detail, expected):
    assert _line(kind, detail, WORDS) == expected


def test_times_are_local_and_read_by_spreadsheets():
    winter = dt.datetime(2026, 1, 5, 9, 7, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 5, 9, 7)  # naive, as SQLite gives it back: UTC
    assert _local(winter, ZoneInfo("Europe/London")) == "2026-01-05 09:07"
    assert _local(summer, ZoneInfo("Europe/London")) == "2026-07-05 10:07"
    assert _local(None, ZoneInfo("Europe/London")) == ""
