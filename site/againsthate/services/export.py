"""The CSV export of an organisation's referrals, for a manager's spreadsheet.

One row per referral: its record in words (status, outcome, what it was about, who has it,
its tags), times in the organisation's local time, its history flattened into three cells
(status and ownership changes, contact attempts, notes: one line each, oldest first), then
every answer in its own column. The columns are listed in README ("The CSV export").

Bounded memory whatever the organisation's size: the referrals are read in batches of
BATCH (one query for the batch, one for its history lines), and the file is produced a row
at a time for the view to stream. Answers a referral holds that the journey no longer asks
still get a column, so a first pass over the batches gathers the answer keys.

Every cell that a spreadsheet would run as a formula is neutralised (cases.neutralise).
No Flask here: the view passes the words (in the manager's language) and the time zone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..clock import as_utc
from ..db.models import Referral, ReferralEvent, StaffUser
from . import audit
from .cases import answers_of, neutralise, tags_of
from .crypto import Keyring

BATCH = 500

# The record's columns, before the history and the answers. Fixed English names, whatever
# the manager's language, so a spreadsheet's formulas and imports keep working.
RECORD_COLUMNS = (
    "reference",
    "status",
    "outcome",
    "who_has_it",
    "tags",
    "received_at",
    "created_at",
    "closed_at",
    "content_deleted_at",
    "characteristics",
    "contact_attempts",
    "last_contact_attempt_at",
    "status_history",
    "contact_history",
    "notes",
)


@dataclass(frozen=True)
class Words:
    """What the export writes codes as: each a code-to-words mapping, in the manager's
    language; a code with no words is written as it is."""

    statuses: Mapping[str, str]
    outcomes: Mapping[str, str]
    characteristics: Mapping[str, str]
    methods: Mapping[str, str]  # how the person chose to be contacted (the answers)
    contact_methods: Mapping[str, str]  # how staff tried to reach them (contact attempts)
    organisations: Mapping[str, str]
    tags: Mapping[str, str] = field(default_factory=dict)
    results: Mapping[str, str] = field(default_factory=dict)  # what came of a contact attempt
    # Phrases, with %(name)s placeholders: yes, no, nobody, someone, status, outcome,
    # assigned, passed_on, message_left, said_who, against_wishes, result, made_at, next_try,
    # refused, wishes_changed.
    phrases: Mapping[str, str] = field(default_factory=dict)

    def phrase(self, key: str, **values: object) -> str:
        return self.phrases.get(key, key) % values if values else self.phrases.get(key, key)


def _local(value: dt.datetime | None, zone: dt.tzinfo) -> str:
    """A spreadsheet reads "2026-12-07 14:05" as a date and time."""
    return as_utc(value).astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""


def _cell(value: object, words: Words) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return words.phrase("yes") if value else words.phrase("no")
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v, words) for v in value)
    return str(value)


def _answer(key: str, value: object, words: Words) -> str:
    """An answer, with the codes a spreadsheet user cannot read put in words."""
    if key == "methods" and isinstance(value, list):
        value = [words.methods.get(v, v) for v in value]
    elif key == "about" and isinstance(value, list):
        value = [words.characteristics.get(v, v) for v in value]
    return _cell(value, words)


def _made_at(detail: dict) -> dt.datetime | None:
    """When a contact attempt was made, as stored (UTC, "2026-12-07T14:05:00Z"), if given."""
    try:
        return dt.datetime.strptime(str(detail["made_at"]), "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=dt.UTC
        )
    except (KeyError, ValueError):
        return None


def _line(kind: str, detail: dict, words: Words, zone: dt.tzinfo = dt.UTC) -> str:
    """One history line's words (without its time and who); times in `zone`."""
    if kind == "status":
        text = words.phrase(
            "status",
            before=words.statuses.get(str(detail.get("from")), str(detail.get("from"))),
            after=words.statuses.get(str(detail.get("to")), str(detail.get("to"))),
        )
        if detail.get("outcome"):
            outcome = detail["outcome"]
            text += " " + words.phrase("outcome", outcome=words.outcomes.get(outcome, outcome))
        return text
    if kind == "assigned":
        text = words.phrase(
            "assigned",
            before=detail.get("from_name") or words.phrase("nobody"),
            after=detail.get("to_name") or words.phrase("nobody"),
        )
        return text + (f": {detail['reason']}" if detail.get("reason") else "")
    if kind == "passed_on":
        to = detail.get("to", "")
        return words.phrase("passed_on", organisation=words.organisations.get(to, to)) + (
            f": {detail['reason']}" if detail.get("reason") else ""
        )
    if kind == "contact":
        method = detail.get("method", "")
        parts = [words.contact_methods.get(method, method)]
        made = _made_at(detail)
        if made:  # when it was made; the line's own time is when it was recorded
            parts.append(words.phrase("made_at", at=_local(made, zone)))
        if detail.get("result"):
            result = detail["result"]
            parts.append(words.phrase("result", result=words.results.get(result, result)))
        if detail.get("next_try"):
            parts.append(words.phrase("next_try", date=detail["next_try"]))
        parts.append(words.phrase("message_left", answer=_cell(detail.get("message_left"), words)))
        parts.append(words.phrase("said_who", answer=_cell(detail.get("said_who"), words)))
        if detail.get("breaches"):
            parts.append(words.phrase("against_wishes"))
        if detail.get("note"):
            parts.append(detail["note"])
        return "; ".join(parts)
    if kind == "contact_refused":
        method = detail.get("method", "")
        return words.phrase("refused", method=words.contact_methods.get(method, method))
    if kind == "wishes_changed":
        return words.phrase("wishes_changed", words=detail.get("words", ""))
    if kind == "note":
        return str(detail.get("text", ""))
    if kind == "tags":
        added = [words.tags.get(t, t) for t in detail.get("added", [])]
        removed = [words.tags.get(t, t) for t in detail.get("removed", [])]
        return words.phrase(
            "tags", added=", ".join(added) or "-", removed=", ".join(removed) or "-"
        )
    return kind


# Which history cell a line goes in.
_COLUMN_OF = {
    "contact": "contact_history",
    "contact_refused": "contact_history",
    "wishes_changed": "contact_history",
    "note": "notes",
}


def _ids(session: Session, organisation: str) -> list[int]:
    """The organisation's referrals, newest first: ids only (small, whatever the count)."""
    return list(
        session.scalars(
            select(Referral.id)
            .where(Referral.organisation == organisation)
            .order_by(Referral.received_at.desc(), Referral.id.desc())
        )
    )


def _batches(session: Session, ids: list[int]) -> Iterator[list[Referral]]:
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rows = session.scalars(
            select(Referral)
            .where(Referral.id.in_(chunk))
            .options(joinedload(Referral.assignee).load_only(StaffUser.name))
        ).all()
        by_id = {r.id: r for r in rows}
        # The session's identity map holds rows weakly: once a batch is written and
        # dropped, its rows go too, so memory stays bounded.
        yield [by_id[i] for i in chunk if i in by_id]


def _histories(
    session: Session, keyring: Keyring, referrals: list[Referral], words: Words, zone: dt.tzinfo
) -> dict[int, dict[str, list[str]]]:
    """Each referral's history, oldest first, in its three cells' lines; one query."""
    found: dict[int, dict[str, list[str]]] = {
        r.id: {"status_history": [], "contact_history": [], "notes": [], "contact_at": []}
        for r in referrals
    }
    rows = session.execute(
        select(ReferralEvent, StaffUser.name)
        .outerjoin(StaffUser, StaffUser.id == ReferralEvent.staff_id)
        .where(ReferralEvent.referral_id.in_(list(found)))
        .order_by(ReferralEvent.at, ReferralEvent.id)
    ).all()
    for event, name in rows:
        detail = json.loads(keyring.open(event.detail))
        when = _local(event.at, zone)
        who = name or words.phrase("someone")
        cells = found[event.referral_id]
        cells[_COLUMN_OF.get(event.kind, "status_history")].append(
            f"{when} · {who} · {_line(event.kind, detail, words, zone)}"
        )
        if event.kind == "contact":
            made = _made_at(detail)
            cells["contact_at"].append(_local(made, zone) if made else when)
    return found


def count(session: Session, organisation: str) -> int:
    return (
        session.scalar(select(func.count(Referral.id)).where(Referral.organisation == organisation))
        or 0
    )


def record_export(session: Session, organisation: str, *, by: StaffUser, now: dt.datetime) -> int:
    """The export's audit record, with the count; written (and committed by the view)
    before the file is streamed. Returns the count."""
    number = count(session, organisation)
    audit.record(
        session,
        actor=by,
        action="referrals_exported",
        now=now,
        organisation=organisation,
        detail=f"{number} referrals",
    )
    return number


def rows(
    session: Session,
    keyring: Keyring,
    organisation: str,
    *,
    answer_columns: Iterable[str],
    words: Words,
    zone: dt.tzinfo,
) -> Iterator[str]:
    """The file, a line at a time (the header first), neutralised and quoted."""
    ids = _ids(session, organisation)
    columns = list(dict.fromkeys(answer_columns))
    known = set(columns)
    extra: set[str] = set()
    for batch in _batches(session, ids):
        for referral in batch:
            extra |= set(answers_of(keyring, referral)) - known
    columns += sorted(extra)
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")

    def line(cells: Iterable[str]) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow([neutralise(c) for c in cells])
        return out.getvalue()

    yield line((*RECORD_COLUMNS, *columns))
    for batch in _batches(session, ids):
        histories = _histories(session, keyring, batch, words, zone)
        for referral in batch:
            answers = answers_of(keyring, referral)
            history = histories[referral.id]
            record = (
                referral.reference,
                words.statuses.get(referral.status, referral.status),
                words.outcomes.get(referral.outcome, referral.outcome) if referral.outcome else "",
                referral.assignee.name if referral.assignee else words.phrase("nobody"),
                "; ".join(words.tags.get(t, t) for t in tags_of(referral)),
                _local(referral.received_at or referral.created_at, zone),
                _local(referral.created_at, zone),
                _local(referral.closed_at, zone),
                _local(referral.purged_at, zone),
                "; ".join(
                    words.characteristics.get(c, c) for c in referral.characteristics.split()
                ),
                str(len(history["contact_at"])),
                history["contact_at"][-1] if history["contact_at"] else "",
                "\n".join(history["status_history"]),
                "\n".join(history["contact_history"]),
                "\n".join(history["notes"]),
            )
            yield line((*record, *(_answer(c, answers.get(c), words) for c in columns)))
