"""Reads an area pack file into the model (model.py), checking every fact on the way.

A pack is a TOML file. It is read and checked once at start-up; a mistake stops
start-up with a message naming the file, the key and what is wrong, because a
wrong phone number on this site could leave someone without help. The whole pack is
read before anything is reported, so every mistake is named at once, a line each: a
partnership fixing its pack should not have to run the check once per mistake.

`load` reads the sections in turn, each with its own reader below (`_area`, `_police`,
`_national`, `_organisations`, `_routing`, `_places`, `_news`, `_events`); a check across
sections (a slug in [area] or [[routing]] naming an organisation) runs once the section it
refers to is read, and only on facts that read well (`TableReader.ok`), so one wrong value
does not bring a string of others. Every reader reports through a `TableReader`, which
knows the file and where in it the table is, so each message names the file, the key and
the problem.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from ..postcodes import expand_districts, is_district_entry, outward_code, reversed_range
from ..routing import route_test
from ..vocabulary import (
    CHARACTERISTICS,
    DAYS,
    FILLED_IN_BY,
    HEARD_OTHER,
    HELP,
    PLACE_KINDS,
    RELIGIONS,
    SERVICES,
)
from . import svg
from .model import (
    AreaPack,
    Event,
    HeardOption,
    Helpline,
    Legal,
    Logo,
    NewsItem,
    Organisation,
    Place,
    Police,
    RoutingRule,
    RoutingTest,
    Text,
)


class AreaPackError(Exception):
    """The pack cannot be used; the message says where and why, one problem a line."""


class _Broken(AreaPackError):
    """One value failed (already recorded): what depends on it is skipped, not checked."""


_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PHONE = re.compile(r"^[0-9][0-9 ]{2,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")

# What one table of each list of tables is, for "(the 3rd organisation)".
_ONE_OF = {
    "organisations": "organisation",
    "routing": "routing rule",
    "places": "place",
    "news": "news item",
    "events": "event",
    "others": "other national service",
    "routing_tests": "routing test",
    "heard": "way of hearing about the service",
}

T = TypeVar("T")


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st: positions as people count them."""
    if n % 100 in (11, 12, 13):
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _found(value: Any) -> str:
    """A TOML value in plain words, for "expected …, found …"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.datetime):
        return f"a date and time ({value.isoformat(sep=' ')})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, dt.time):
        return f"a time ({value.isoformat()})"
    return repr(value)


@dataclass
class _Problem:
    reader: TableReader
    key: str
    problem: str
    missing: bool = False  # dropped when the key was misspelt or written in another table
    unknown: bool = False
    meant: str = ""  # for an unknown key: the key of this table it is probably a misspelling of

    def line(self) -> str:
        location = ".".join(p for p in (self.reader.where, self.key) if p) or "(top level)"
        return f"{self.reader.path}: {location}{self.reader.label}: {self.problem}"


@dataclass
class _Languages:
    """Shared by every reader of one pack: its own language, the site's languages, and
    every problem found so far (the pack is read to the end, then all are reported)."""

    own: str | None  # None while [area] language is unknown or wrong: not checked against
    known: frozenset[str]
    problems: list[_Problem] = field(default_factory=list)
    readers: list[TableReader] = field(default_factory=list)
    districts: tuple[str, ...] = ()  # the pack's own, for examples in messages

    def messages(self) -> list[str]:
        """Every problem, a line each, in the order the pack was read. A key written in the
        wrong table, or misspelt, is reported once: as unknown where it is, naming where it
        belongs or what it may have meant, and not also as missing."""
        moved: set[tuple[int, str]] = set()
        for problem in self.problems:
            if problem.unknown:
                home = self._home(problem)
                if home is not None:
                    moved.add((id(home), problem.key))
                    problem.problem = _belongs_elsewhere(problem.reader, home)
                elif problem.meant:
                    moved.add((id(problem.reader), problem.meant))
        return [
            p.line() for p in self.problems if not (p.missing and (id(p.reader), p.key) in moved)
        ]

    def _home(self, unknown: _Problem) -> TableReader | None:
        """The table an unknown key was meant for: one that asks for it and lacks it."""
        homes = [
            r
            for r in self.readers
            if r is not unknown.reader
            and not r.silent
            and unknown.key in r.seen
            and unknown.key not in r.table
        ]
        wanting = [
            r
            for r in homes
            if any(p.missing and p.reader is r and p.key == unknown.key for p in self.problems)
        ]
        if wanting:
            return wanting[0]
        # An optional key: named only when one table (not one of a list) asks for it.
        single = [r for r in homes if not r.array]
        return single[0] if len(single) == 1 else None


def _belongs_elsewhere(where: TableReader, home: TableReader) -> str:
    if where.array:
        why = (
            f"every key below a [[{where.array}]] header, up to the next header, "
            f"belongs to that {_ONE_OF.get(where.array, 'table')}"
        )
    else:
        why = "a key belongs to the table whose header is above it"
    return f"unknown key here: did you mean to put it in {home.header}? ({why})"


class TableReader:
    """Reads one table of the pack, remembering where it is for error messages.

    A problem is recorded and reading goes on: a key that fails reads as a placeholder
    and is marked broken (`ok` says no), so checks that depend on it are skipped rather
    than adding noise; `load` raises one AreaPackError with every problem at the end.
    A table that is missing or not a table reads as an empty, silent one."""

    def __init__(
        self,
        path: Path,
        where: str,
        table: Any,
        languages: _Languages,
        array: str = "",
        index: int = 0,
    ):
        self.path, self.where, self.languages = path, where, languages
        self.array, self.index = array, index  # for the 3rd [[organisations]]: ("organisations", 2)
        self.seen: set[str] = set()
        self.broken: set[str] = set()
        self.silent = False
        self.table: dict[str, Any] = {}
        languages.readers.append(self)
        if not isinstance(table, dict):
            self.report("", f"expected a table, found {_found(table)}")
            self.silent = True  # its keys are not there to check: one message says so
        else:
            self.table = table

    @property
    def label(self) -> str:
        """Beside the key of a table in a list of tables, which counts from 0, its position
        as people count: " (the 3rd organisation)" for organisations[2]."""
        if not self.array:
            return ""
        return f" (the {ordinal(self.index + 1)} {_ONE_OF.get(self.array, 'table')})"

    @property
    def header(self) -> str:
        if self.array:
            return f"the {ordinal(self.index + 1)} [[{self.array}]]"
        return f"[{self.where}]" if self.where else "the top of the file, above every header"

    def report(self, key: str, problem: str, missing: bool = False) -> None:
        """Record a problem with `key` (the table itself for ""), and go on reading."""
        self.broken.add(key.split(".")[0])
        if not self.silent:
            self.languages.problems.append(_Problem(self, key, problem, missing=missing))

    def fail(self, key: str, problem: str, missing: bool = False) -> NoReturn:
        """Record a problem and stop reading this value."""
        self.report(key, problem, missing)
        raise _Broken(_Problem(self, key, problem).line())

    def ok(self, *keys: str) -> bool:
        """Whether these keys read without a problem (a check that needs them may run)."""
        return not self.silent and not any(k in self.broken for k in keys)

    def _recover(self, read: Callable[[], T], placeholder: T) -> T:
        try:
            return read()
        except _Broken:
            return placeholder

    def _child(self, key: str, table: Any) -> TableReader:
        child = TableReader(
            self.path,
            f"{self.where}.{key}" if self.where else key,
            table,
            self.languages,
            self.array,
            self.index,
        )
        child.silent = child.silent or self.silent
        if child.silent:
            self.broken.add(key)
        return child

    def optional_child(self, key: str) -> TableReader | None:
        """The table under `key`, or None when the pack leaves it out."""
        self.seen.add(key)
        if key not in self.table:
            return None
        return self._child(key, self.table[key])

    def required_child(self, key: str) -> TableReader:
        """The table under `key`; when it is missing, an empty one that reports nothing."""
        child = self.optional_child(key)
        if child is None:
            self.report(key, "this table is missing", missing=True)
            child = self._child(key, {})
            child.silent = True
        return child

    def tables(self, key: str) -> list[TableReader]:
        self.seen.add(key)
        items = self.table.get(key, [])
        if not isinstance(items, list):
            self.report(key, f"expected a list of tables ([[{key}]]), found {_found(items)}")
            return []
        where = f"{self.where}.{key}" if self.where else key
        return [
            TableReader(self.path, f"{where}[{i}]", item, self.languages, key, i)
            for i, item in enumerate(items)
        ]

    def _value(self, key: str) -> Any:
        """The value under `key`, which must be there."""
        self.seen.add(key)
        if key not in self.table:
            self.fail(key, "this key is missing", missing=True)
        return self.table[key]

    def _text(self, key: str, pattern: re.Pattern | None, hint: str, value: Any) -> str:
        if isinstance(value, dict):
            self.fail(
                key,
                "expected text in quotes: names, addresses, numbers and links are "
                "written once, in the pack's language; only descriptions, hours and "
                "notes take translations (see README.md)",
            )
        if not isinstance(value, str):
            self.fail(key, f"expected text in quotes, found {_found(value)}")
        if not value.strip():
            self.fail(key, "must not be empty")
        if pattern is not None and not pattern.match(value):
            self.fail(key, f"{value!r} is not {hint}")
        return value.strip()

    def text(self, key: str, pattern: re.Pattern | None = None, hint: str = "") -> str:
        """A required piece of text ("" when it is missing or wrong: reported)."""
        return self._recover(lambda: self._text(key, pattern, hint, self._value(key)), "")

    def optional_text(
        self, key: str, pattern: re.Pattern | None = None, hint: str = ""
    ) -> str | None:
        self.seen.add(key)
        if key not in self.table:
            return None
        return self._recover(lambda: self._text(key, pattern, hint, self.table[key]), None)

    def prose(self, key: str) -> Text:
        """Required prose: text in quotes, or a table of it by language code."""
        value = self.optional_prose(key)
        if value is None:
            self.report(key, "this key is missing", missing=True)
            return Text("")
        return value

    def optional_prose(self, key: str) -> Text | None:
        """Text in quotes is in the pack's own language; a table gives it in several,
        `{ en = "…", ur = "…" }`, always with the pack's own (the fallback for the rest)."""
        self.seen.add(key)
        if key not in self.table:
            return None
        return self._recover(lambda: self._prose(key, self.table[key]), Text(""))

    def _prose(self, key: str, value: Any) -> Text:
        if isinstance(value, str):
            return Text(self._text(key, None, "", value))
        if not isinstance(value, dict):
            self.fail(
                key,
                f"expected text in quotes, or a table of it by language such as "
                f'{{ en = "…", ur = "…" }}, found {_found(value)}',
            )
        own = self.languages.own
        known = self.languages.known | ({own} if own else set())
        texts: dict[str, str] = {}
        for code, text in value.items():
            if code not in known:
                self.report(
                    f"{key}.{code}",
                    f"{code!r} is not a language of this site (one of: "
                    f"{', '.join(sorted(known))}; see translations/languages.toml)",
                )
            elif not isinstance(text, str):
                self.report(f"{key}.{code}", f"expected text in quotes, found {_found(text)}")
            elif not text.strip():
                self.report(
                    f"{key}.{code}",
                    "must not be empty (leave the language out instead: "
                    f"the page then shows the {own or 'own language'} text, "
                    f"marked as {own or 'such'})",
                )
            else:
                texts[code] = text.strip()
        if own is not None and own not in value:
            self.report(
                key,
                f'the text in the pack\'s own language is missing ({own} = "…"): it is '
                "what a page shows in every language the table leaves out",
            )
        if key in self.broken or own is None:
            raise _Broken(key)  # already reported (or not checkable): a placeholder stands in
        return Text(texts[own], tuple((c, t) for c, t in texts.items() if c != own))

    def url(self, key: str) -> str:
        return self._recover(lambda: self._url(key, self._value(key)), "")

    def _url(self, key: str, value: Any) -> str:
        text = self._text(key, None, "", value)
        if not text.startswith("https://"):
            self.fail(key, f"{text!r} must be a full https:// address")
        return text

    def optional_url(self, key: str) -> str | None:
        self.seen.add(key)
        if key not in self.table:
            return None
        return self._recover(lambda: self._url(key, self.table[key]), None)

    def examples(self, fields: tuple[str, ...]) -> tuple[bool, frozenset[str]]:
        """`example = true` (everything here is an example) or `example = ["email"]` (only
        those fields): (all, the fields)."""
        value = self.table.get("example")
        if not isinstance(value, list):
            return self.flag("example"), frozenset()
        self.seen.add("example")
        wrong = [v for v in value if v not in fields]
        if wrong or not value:
            self.report(
                "example",
                f"{', '.join(map(repr, wrong)) or 'an empty list'} is not one of: "
                f"{', '.join(fields)} (or write example = true for all of them)",
            )
        return False, frozenset(v for v in value if v in fields)

    def flag(self, key: str, default: bool = False) -> bool:
        self.seen.add(key)
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            self.report(key, f"expected true or false, found {_found(value)}")
            return default
        return value

    def optional_count(self, key: str, largest: int) -> int | None:
        self.seen.add(key)
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= largest:
            self.report(key, f"expected a whole number from 1 to {largest}, found {_found(value)}")
            return None
        return value

    def optional_texts(self, key: str) -> tuple[str, ...]:
        """A list of short texts, such as the languages spoken at a place; () when left out."""
        self.seen.add(key)
        values = self.table.get(key)
        if values is None:
            return ()
        if not isinstance(values, list) or not values:
            self.report(key, f'expected a list such as ["Polish", "Urdu"], found {_found(values)}')
            return ()

        def read(value: Any) -> str:
            return self._recover(lambda: self._text(key, None, "", value), "")

        return tuple(read(value) for value in values)

    def hours_by_day(self, key: str = "hours_by_day") -> tuple[tuple[str, Text], ...]:
        """Opening hours day by day, `{ monday = "9am to 5pm", saturday = "Closed" }`, each
        day's words in quotes or by language; the days left out are not shown."""
        self.seen.add(key)
        if key not in self.table:
            return ()
        if not isinstance(self.table[key], dict):
            self.report(
                key,
                f'expected a table such as {{ monday = "9am to 5pm" }}, found {_found(self.table[key])}',
            )
            return ()
        days = self._child(key, self.table[key])
        found = tuple((day, text) for day in DAYS if (text := days.optional_prose(day)) is not None)
        days.done()
        return found

    def optional_date(self, key: str) -> dt.date | None:
        self.seen.add(key)
        return self.date(key) if key in self.table else None

    def date(self, key: str) -> dt.date:
        def read() -> dt.date:
            value = self._value(key)
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                self.fail(key, f"expected a date such as 2026-10-12, found {_found(value)}")
            return value

        return self._recover(read, dt.date.min)

    def choices(self, key: str, allowed: dict, optional: bool = False) -> tuple[str, ...]:
        self.seen.add(key)
        values = self.table.get(key)
        if values is None and optional:
            return ()
        such_as = f'a non-empty list such as ["{next(iter(allowed))}"]'
        if values is None:
            self.report(key, f"this key is missing (expected {such_as})", missing=True)
            return ()
        if not isinstance(values, list) or not values:
            self.report(key, f"expected {such_as}, found {_found(values)}")
            return ()
        wrong = [value for value in values if not isinstance(value, str) or value not in allowed]
        for value in wrong:
            if isinstance(value, str):
                self.report(key, f"{value!r} is not one of: {', '.join(allowed)}")
            else:
                self.report(
                    key,
                    f"expected text in quotes, one of: {', '.join(allowed)}; found {_found(value)}",
                )
        return () if wrong else tuple(values)

    def districts(self, key: str, optional: bool = False) -> frozenset[str]:
        """A list of postcode districts and ranges; examples in the messages are the
        pack's own (its [area] postcode_districts, or the good entries of this list)."""
        self.seen.add(key)
        values = self.table.get(key)
        if values is None and optional:
            return frozenset()
        good = (
            [
                v
                for v in values
                if isinstance(v, str) and is_district_entry(v) and not reversed_range(v)
            ]
            if isinstance(values, list)
            else []
        )
        examples = self.languages.districts or tuple(good) or ("AB1", "AB3-AB5")
        such_as = ", ".join(f'"{e}"' for e in examples[:2])
        if values is None:
            self.report(
                key,
                f"this key is missing (a list of postcode districts such as [{such_as}])",
                missing=True,
            )
            return frozenset()
        if not isinstance(values, list) or not values:
            self.report(
                key,
                f"expected a list of postcode districts such as [{such_as}], "
                f"found {_found(values)}",
            )
            return frozenset()
        for value in values:
            if not isinstance(value, str) or not is_district_entry(value):
                self.report(
                    key,
                    f"{value!r} is not a postcode district or range "
                    f"(such as {' or '.join(examples[:2])})",
                )
            elif backwards := reversed_range(value):
                self.report(
                    key, f"{value!r} runs backwards: write it from the lower number, as {backwards}"
                )
        if key in self.broken:
            return frozenset()
        return frozenset(expand_districts(values))

    def done(self) -> None:
        """Unknown keys are mistakes too (a typo would silently drop a fact)."""
        absent = sorted(self.seen - self.table.keys())  # what this table asks for and lacks
        for key in self.table:
            if key not in self.seen and not self.silent:
                self.broken.add(key)
                near = difflib.get_close_matches(key, absent, n=1)
                spelling = f"did you mean {near[0]!r}? " if near else ""
                self.languages.problems.append(
                    _Problem(
                        self,
                        key,
                        f"unknown key ({spelling}check the spelling against README.md)",
                        unknown=True,
                        meant=near[0] if near else "",
                    )
                )


# --- one reader per section ------------------------------------------------------------


def load(path: Path, languages: Iterable[str] | None = None) -> AreaPack:
    """Read and check a pack; raise AreaPackError naming the file, key and problem of
    every mistake in it, one a line.

    `languages`: the codes a translation may use (default: the site's, from
    translations/languages.toml)."""
    path = Path(path)
    if languages is None:
        from ...i18n import LANGUAGES  # the site's list; tests may pass their own

        languages = LANGUAGES
    shared = _Languages(own="en", known=frozenset(languages))
    top = TableReader(path, "", _parse(path), shared)
    pack = _read(path, top, shared)
    problems = shared.messages()
    if problems:
        raise AreaPackError("\n".join(problems))
    return pack


def _read(path: Path, top: TableReader, shared: _Languages) -> AreaPack:
    """Every section in turn; a check across sections runs only on facts that read well."""
    area_table = top.required_child("area")
    area = _area(area_table)
    # Every translated text from here on is checked against the pack's own language.
    shared.own = area.language if area_table.ok("language") else None
    districts = area.districts if area_table.ok("postcode_districts") else None
    police = _police(top.required_child("police"))
    true_vision, stop_hate, national_others = _national(top.required_child("national"))
    read = _organisations(top, districts)
    organisations = tuple(o for o, _ in read)
    slugs = [o.slug for o, r in read if r.ok("slug")]
    # With a slug unreadable (or no organisations) a name that matches none may be that one.
    known = _Slugs(tuple(slugs), complete=bool(read) and len(slugs) == len(read))
    # Whom a referral may go to: organisations whose slug and strands both read well.
    by_slug = {o.slug: o for o, r in read if r.ok("slug", "characteristics")}
    for key in ("restorative_justice", "fallback_organisation"):
        if area_table.ok(key):
            _names_an_organisation(area_table, key, getattr(area, key), known)
    if area_table.ok("fallback_organisation") and area.fallback_organisation in by_slug:
        _serves_every_strand(area_table, by_slug[area.fallback_organisation])
    pack = AreaPack(
        path=path,
        name=area.name,
        site_name=area.site_name,
        logo=area.logo,
        link_colour=area.link_colour,
        visited_link_colour=area.visited_link_colour,
        slug=area.slug,
        language=area.language,
        brand_colour=area.brand_colour,
        example_data=area.example_data,
        partnership=area.partnership,
        contact_email=area.contact_email,
        quick_exit_url=area.quick_exit_url,
        districts=area.districts,
        restorative_justice=area.restorative_justice,
        fallback_organisation=area.fallback_organisation,
        referral_response_days=area.referral_response_days,
        retention_months=area.retention_months,
        police=police,
        true_vision=true_vision,
        stop_hate=stop_hate,
        national_others=national_others,
        organisations=organisations,
        routing=_routing(top, known, by_slug),
        places=_places(top, districts),
        news=_news(top),
        events=_events(top),
        legal=_legal(top.optional_child("legal")),
        heard=_heard(top),
        first_district=_first_district(area_table),
    )
    tests = [_routing_test(r, known) for r in top.tables("routing_tests")]
    top.done()
    if not shared.problems:  # rules that read well, and tests that do
        for test, reader in tests:
            _run(pack, test, reader)
    return replace(pack, routing_tests=tuple(test for test, _ in tests))


def _parse(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AreaPackError(
            f"{path}: the area pack file does not exist (check AREA_PACK)"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise AreaPackError(f"{path}: not valid TOML: {error}") from None


@dataclass(frozen=True)
class _Area:
    """What [area] holds. The slugs it names are checked once the organisations are read."""

    name: str
    slug: str
    language: str
    brand_colour: str
    example_data: bool
    partnership: str
    contact_email: str
    quick_exit_url: str
    districts: frozenset[str]
    restorative_justice: str | None
    fallback_organisation: str
    referral_response_days: int | None  # working days organisations aim to reply in
    retention_months: int
    site_name: str | None
    logo: Logo | None
    link_colour: str | None
    visited_link_colour: str | None


def _area(reader: TableReader) -> _Area:
    area = _Area(
        name=reader.text("name"),
        slug=reader.text("slug", pattern=_SLUG, hint="a slug of lower-case words and hyphens"),
        language=reader.text("language", pattern=_LANGUAGE, hint='a language code such as "en"'),
        brand_colour=_brand_colour(reader),
        example_data=reader.flag("example_data"),
        partnership=reader.text("partnership"),
        contact_email=reader.text("contact_email", pattern=_EMAIL, hint="an email address"),
        quick_exit_url=reader.url("quick_exit_url"),
        districts=reader.districts("postcode_districts"),
        restorative_justice=reader.optional_text("restorative_justice"),
        fallback_organisation=reader.text("fallback_organisation"),
        referral_response_days=reader.optional_count("referral_response_days", 30),
        retention_months=reader.optional_count("retention_months", 120) or 12,
        site_name=reader.optional_text("site_name"),
        logo=_logo(reader),
        link_colour=_link_colour(reader, "link_colour"),
        visited_link_colour=_link_colour(reader, "visited_link_colour"),
    )
    if reader.ok("postcode_districts"):
        # Examples in later messages are the pack's own districts, not another area's.
        reader.languages.districts = tuple(reader.table["postcode_districts"])
    reader.done()
    return area


_COLOUR_HINT = 'a colour written as # and six hex digits ("#rrggbb")'
# The light grey of the boxes and the footer that links sit on (static/css/site.css --light).
LIGHT = "#f3f2f1"


def _first_district(area: TableReader) -> str | None:
    """The first district of the first entry of postcode_districts, as the pack lists it."""
    if not area.ok("postcode_districts"):
        return None
    first = expand_districts(area.table["postcode_districts"][:1])
    return min(first, key=lambda d: (len(d), d)) if first else None


def _brand_colour(reader: TableReader) -> str:
    colour = reader.text("brand_colour", pattern=_COLOUR, hint=_COLOUR_HINT)
    if reader.ok("brand_colour") and contrast_with_white(colour) < 4.5:
        reader.report(
            "brand_colour",
            f"{colour} is too light: white text on it needs a contrast "
            f"of at least 4.5:1 (it has {contrast_with_white(colour):.1f}:1)",
        )
    return colour


def _link_colour(reader: TableReader, key: str) -> str | None:
    """Links are on white and on the light grey: the colour needs 4.5:1 on both."""
    colour = reader.optional_text(key, pattern=_COLOUR, hint=_COLOUR_HINT)
    if colour is None or not reader.ok(key):
        return None
    on_white, on_light = contrast(colour, "#ffffff"), contrast(colour, LIGHT)
    if on_light < 4.5:  # the grey is the darker background, so the harder test
        reader.report(
            key,
            f"{colour} is too light: links in it need a contrast of at least 4.5:1 on the "
            f"white page and on the light grey ({LIGHT}) of boxes and the footer "
            f"(it has {on_white:.1f}:1 on white, {on_light:.1f}:1 on the grey)",
        )
        return None
    return colour


MAX_LOGO_KB = svg.MAX_BYTES // 1024


def _logo(reader: TableReader) -> Logo | None:
    """The logo file named by `logo` (from the pack file's folder), checked, with its
    text alternative `logo_alt`, which it cannot be without."""
    name = reader.optional_text("logo")
    alt = reader.optional_prose("logo_alt")
    if name is None:
        if alt is not None and reader.ok("logo"):
            reader.report(
                "logo_alt", "there is no logo to describe: give logo too, or leave this out"
            )
        return None
    if alt is None:
        reader.report(
            "logo_alt",
            "this key is missing: a logo needs its text alternative, the words the logo "
            'shows or the partnership\'s name, such as "Stand Up Derbyshire"',
            missing=True,
        )
    data = _logo_file(reader, name) if reader.ok("logo") else None
    if data is None:
        return None
    drawing = svg.check(data)
    for problem in drawing.problems:
        reader.report("logo", f"{name!r} {problem}")
    if drawing.problems or alt is None or not reader.ok("logo_alt"):
        return None
    return Logo(svg=data, alt=alt, width=drawing.width, height=drawing.height)


def _logo_file(reader: TableReader, name: str) -> bytes | None:
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        reader.report(
            "logo",
            f'{name!r} must be a path from the pack file\'s folder, such as "logo.svg" '
            'or "images/logo.svg"',
        )
        return None
    if relative.suffix.lower() != ".svg":
        reader.report(
            "logo",
            f"{name!r} is not an SVG file: the logo must be an SVG (a file ending .svg), "
            "which stays sharp at every text size",
        )
        return None
    path = reader.path.parent / relative
    if not path.is_file():
        reader.report(
            "logo",
            f"{name!r} is not there: the logo's path is read from the pack file's folder",
        )
        return None
    size = path.stat().st_size
    if size > svg.MAX_BYTES:
        reader.report(
            "logo",
            f"{name!r} is {-(-size // 1024)} KB: a logo may be at most {MAX_LOGO_KB} KB "
            "(save it as optimised or plain SVG, without embedded pictures or fonts)",
        )
        return None
    return path.read_bytes()


def _relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((_relative_luminance(one), _relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def contrast_with_white(hex_colour: str) -> float:
    return contrast(hex_colour, "#ffffff")


def _police(reader: TableReader) -> Police:
    police = Police(
        name=reader.text("name"),
        non_emergency=reader.text("non_emergency", pattern=_PHONE, hint="a phone number"),
        online_report_url=reader.url("online_report_url"),
        text_relay=reader.text("text_relay", pattern=_PHONE, hint="a phone number"),
    )
    reader.done()
    return police


_ICO_NUMBER = re.compile(r"^Z[A-Z0-9]{7}$")


def _legal(reader: TableReader | None) -> Legal:
    if reader is None:
        return Legal()
    legal = Legal(
        data_controller=reader.optional_text("data_controller"),
        ico_registration=reader.optional_text(
            "ico_registration", _ICO_NUMBER, "an ICO registration number such as Z1234567"
        ),
        dpo_email=reader.optional_text("dpo_email", _EMAIL, "an email address"),
        accessibility_statement_date=reader.optional_date("accessibility_statement_date"),
    )
    reader.done()
    return legal


def _national(reader: TableReader) -> tuple[Helpline, Helpline, tuple[Helpline, ...]]:
    """True Vision and Stop Hate UK, and any others the pack lists."""
    true_vision = _helpline(reader.required_child("true_vision"))
    stop_hate = _helpline(reader.required_child("stop_hate"))
    others = tuple(_helpline(r, other=True) for r in reader.tables("others"))
    reader.done()
    return true_vision, stop_hate, others


def _helpline(reader: TableReader, other: bool = False) -> Helpline:
    helpline = Helpline(
        name=reader.text("name"),
        website=reader.url("website"),
        phone=reader.optional_text("phone", _PHONE, "a phone number"),
        text=reader.optional_text("text", _PHONE, "a phone number"),
        email=reader.optional_text("email", _EMAIL, "an email address"),
        bsl_url=reader.optional_url("bsl_url"),
        hours=reader.optional_prose("hours"),
        description=reader.prose("description") if other else None,
        characteristics=reader.choices("characteristics", CHARACTERISTICS, optional=True)
        if other
        else (),
    )
    reader.done()
    return helpline


def _organisations(
    top: TableReader, districts: frozenset[str] | None
) -> list[tuple[Organisation, TableReader]]:
    """Each organisation with its reader, which says which of its keys read well."""
    read = [(_organisation(r, districts), r) for r in top.tables("organisations")]
    if not read and top.ok("organisations"):
        top.report("organisations", "the pack lists no organisations", missing=True)
    _one_each(top, "organisations", [(o.slug, r) for o, r in read])
    return read


def _one_each(top: TableReader, key: str, slugs: list[tuple[str, TableReader]]) -> None:
    """Each table of the list `key` has a slug of its own: a slug used twice names both."""
    where: dict[str, list[TableReader]] = {}
    for slug, reader in slugs:
        if reader.ok("slug"):
            where.setdefault(slug, []).append(reader)
    for slug, readers in where.items():
        if len(readers) > 1:
            named = [f"{r.where}{r.label}" for r in readers]
            both = "both" if len(named) == 2 else "all"
            top.report(
                key,
                f"{', '.join(named[:-1])} and {named[-1]} {both} use the slug {slug!r}",
            )
            for reader in readers:
                reader.broken.add("slug")  # which one is meant cannot be known


def _heard(top: TableReader) -> tuple[HeardOption, ...]:
    """The area's own answers to "how did you hear about this service?", in its order."""
    read = [(_heard_option(r), r) for r in top.tables("heard")]
    _one_each(top, "heard", [(o.slug, r) for o, r in read])
    return tuple(option for option, _ in read)


def _heard_option(reader: TableReader) -> HeardOption:
    slug = reader.text("slug", pattern=_SLUG, hint="a slug of lower-case words and hyphens")
    if slug == HEARD_OTHER:
        reader.report(
            "slug",
            f'{HEARD_OTHER!r} is the site\'s own last answer ("somewhere else", with a box to '
            "say where), always offered: leave it out, or name a channel of your own",
        )
    option = HeardOption(slug=slug, label=reader.prose("label"))
    reader.done()
    return option


ORGANISATION_EXAMPLES = ("phone", "email", "website", "hours", "referral_email")
PLACE_EXAMPLES = ("name", "address", "postcode", "phone", "website", "opening_hours")


def _organisation(reader: TableReader, districts: frozenset[str] | None) -> Organisation:
    example, examples = reader.examples(ORGANISATION_EXAMPLES)
    org = Organisation(
        slug=reader.text("slug", pattern=_SLUG, hint="a slug of lower-case words and hyphens"),
        name=reader.text("name"),
        characteristics=reader.choices("characteristics", CHARACTERISTICS),
        services=reader.choices("services", SERVICES),
        description=reader.prose("description"),
        areas=reader.districts("areas", optional=True),
        phone=reader.optional_text("phone", _PHONE, "a phone number"),
        email=reader.optional_text("email", _EMAIL, "an email address"),
        website=reader.optional_url("website"),
        hours=reader.optional_prose("hours"),
        referral_email=reader.optional_text("referral_email", _EMAIL, "an email address"),
        example=example,
        examples=examples,
        hours_by_day=reader.hours_by_day(),
        tags=_tags(reader),
    )
    outside = sorted(org.areas - districts) if districts is not None else []
    if outside:
        reader.report("areas", f"{', '.join(outside)} are not in area.postcode_districts")
    reader.done()
    return org


MOST_TAGS = 30  # enough for an organisation's own marks; a filter of more would not help
TAG_SLUG_LONGEST = 40


def _tags(reader: TableReader) -> tuple[tuple[str, Text], ...]:
    """`tags = { passed-to-police = "Passed to the police", needs-interpreter = { en = "…",
    ur = "…" } }`: each tag's slug (what the database keeps) and its words."""
    child = reader.optional_child("tags")
    if child is None or child.silent:
        return ()
    tags: list[tuple[str, Text]] = []
    for slug in list(child.table):
        if not _SLUG.match(slug) or len(slug) > TAG_SLUG_LONGEST:
            child.seen.add(slug)
            child.report(
                slug,
                f"{slug!r} is not a tag's slug: lower-case words and hyphens, at most "
                f"{TAG_SLUG_LONGEST} characters, such as passed-to-police",
            )
            continue
        label = child.optional_prose(slug)
        if label is not None and child.ok(slug):
            tags.append((slug, label))
    if not child.table:
        reader.report("tags", "lists no tags (leave the key out instead)")
    elif len(child.table) > MOST_TAGS:
        reader.report("tags", f"lists {len(child.table)} tags; at most {MOST_TAGS}")
    child.done()
    return tuple(tags)


@dataclass(frozen=True)
class _Slugs:
    """The organisations' slugs that read well; `complete` when every one did."""

    slugs: tuple[str, ...]
    complete: bool


def _names_an_organisation(reader: TableReader, key: str, slug: str | None, known: _Slugs) -> bool:
    """A slug given under `key` (when given) is one of the pack's organisations."""
    if slug is None or slug in known.slugs or not known.complete:
        return True
    reader.report(
        key,
        f"{slug!r} is not the slug of an organisation in this pack "
        f"(its organisations are: {', '.join(known.slugs)})",
    )
    return False


def _serves_every_strand(area: TableReader, fallback: Organisation) -> None:
    """The fallback receives whatever no rule takes: a referral of any strand."""
    missing = [c for c in CHARACTERISTICS if c not in fallback.characteristics]
    if missing:
        area.report(
            "fallback_organisation",
            f"{fallback.slug!r} does not serve {', '.join(missing)}: it receives every "
            "referral no routing rule takes, so it must serve every strand",
        )


def _routing(
    top: TableReader, known: _Slugs, organisations: dict[str, Organisation]
) -> tuple[RoutingRule, ...]:
    return tuple(_routing_rule(r, known, organisations) for r in top.tables("routing"))


def _sent_strands(rule: RoutingRule) -> tuple[str, ...]:
    """The strands a rule can send: those it names; religion for a rule by religion alone;
    any strand for a rule by the help asked for, who fills in the form, an interpreter or BSL."""
    if rule.characteristics:
        return rule.characteristics
    return ("religion",) if rule.religions else tuple(CHARACTERISTICS)


def _routing_rule(
    reader: TableReader, known: _Slugs, organisations: dict[str, Organisation]
) -> RoutingRule:
    rule = RoutingRule(
        organisation=reader.text("organisation"),
        characteristics=reader.choices("characteristics", CHARACTERISTICS, optional=True),
        religions=reader.choices("religions", RELIGIONS, optional=True),
        help_only=reader.choices("help_only", HELP, optional=True),
        who=reader.choices("who", dict.fromkeys(FILLED_IN_BY), optional=True),
        interpreter=reader.flag("interpreter"),
        bsl=reader.flag("bsl"),
    )
    named = reader.ok("organisation") and _names_an_organisation(
        reader, "organisation", rule.organisation, known
    )
    sends = reader.ok("characteristics", "religions", "help_only", "who", "interpreter", "bsl")
    if sends and not (
        rule.characteristics
        or rule.religions
        or rule.help_only
        or rule.who
        or rule.interpreter
        or rule.bsl
    ):
        reader.report(
            "",
            "a rule needs at least one of characteristics, religions, help_only, who, "
            "interpreter, bsl",
        )
    elif sends and named and rule.organisation in organisations:
        served = organisations[rule.organisation].characteristics
        unserved = [c for c in _sent_strands(rule) if c not in served]
        if unserved:
            reader.report(
                "organisation",
                f"{rule.organisation!r} does not serve {', '.join(unserved)}, "
                "which this rule sends it",
            )
    reader.done()
    return rule


def _routing_test(reader: TableReader, known: _Slugs) -> tuple[RoutingTest, TableReader]:
    test = RoutingTest(
        expect=reader.text("expect"),
        characteristics=reader.choices("characteristics", CHARACTERISTICS, optional=True),
        help=reader.choices("help", HELP, optional=True),
        religion=reader.optional_text("religion"),
        who=reader.optional_text("who"),
        interpreter=reader.flag("interpreter"),
        bsl=reader.flag("bsl"),
        postcode=reader.optional_text("postcode"),
    )
    if reader.ok("expect"):
        _names_an_organisation(reader, "expect", test.expect, known)
    if test.religion is not None and test.religion not in RELIGIONS:
        reader.report("religion", f"{test.religion!r} is not one of: {', '.join(RELIGIONS)}")
    if test.who is not None and test.who not in FILLED_IN_BY:
        reader.report("who", f"{test.who!r} is not one of: {', '.join(FILLED_IN_BY)}")
    if test.postcode is not None and outward_code(test.postcode) is None:
        reader.report("postcode", f"{test.postcode!r} is not a UK postcode")
    reader.done()
    return test, reader


def _run(pack: AreaPack, test: RoutingTest, reader: TableReader) -> None:
    """Route the test's referral as the site would, and say where it went instead."""
    sent = route_test(pack, test)
    if sent.organisation.slug != test.expect:
        by = f"routing[{pack.routing.index(sent.rule)}]" if sent.rule else "the fallback"
        reader.report(
            "expect",
            f"the rules send it to {sent.organisation.slug!r} ({by}), not {test.expect!r}",
        )


def _places(top: TableReader, districts: frozenset[str] | None) -> tuple[Place, ...]:
    return tuple(_place(r, districts) for r in top.tables("places"))


def _place(reader: TableReader, districts: frozenset[str] | None) -> Place:
    example, examples = reader.examples(PLACE_EXAMPLES)
    place = Place(
        name=reader.text("name"),
        kind=reader.text("kind"),
        address=reader.text("address"),
        postcode=reader.text("postcode"),
        opening_hours=reader.optional_prose("opening_hours"),
        access_notes=reader.prose("access_notes"),
        example=example,
        examples=examples,
        phone=reader.optional_text("phone", _PHONE, "a phone number"),
        website=reader.optional_url("website"),
        languages=reader.optional_texts("languages"),
        hours_by_day=reader.hours_by_day(),
    )
    if (
        place.opening_hours is None
        and not place.hours_by_day
        and "hours_by_day" not in reader.table
    ):
        reader.report(
            "opening_hours", "this key is missing (or give hours_by_day, day by day)", missing=True
        )
    if reader.ok("kind") and place.kind not in PLACE_KINDS:
        reader.report("kind", f"{place.kind!r} is not one of: {', '.join(PLACE_KINDS)}")
    district = outward_code(place.postcode) if reader.ok("postcode") else None
    if reader.ok("postcode") and district is None:
        reader.report("postcode", f"{place.postcode!r} is not a UK postcode")
    elif district is not None and districts is not None and district not in districts:
        # The search by postcode only ever finds places in the area's own districts.
        reader.report(
            "postcode",
            f"{place.postcode!r} is outside the area: {district} is not in area.postcode_districts",
        )
    reader.done()
    return place


def _news(top: TableReader) -> tuple[NewsItem, ...]:
    """Newest first."""
    news = (_news_item(r) for r in top.tables("news"))
    return tuple(sorted(news, key=lambda n: n.published, reverse=True))


def _news_item(reader: TableReader) -> NewsItem:
    item = NewsItem(
        slug=reader.text("slug", pattern=_SLUG, hint="a slug of lower-case words and hyphens"),
        title=reader.prose("title"),
        published=reader.date("published"),
        summary=reader.prose("summary"),
        body=reader.prose("body"),
    )
    reader.done()
    return item


def _events(top: TableReader) -> tuple[Event, ...]:
    """Soonest first."""
    return tuple(sorted((_event(r) for r in top.tables("events")), key=lambda e: e.date))


def _event(reader: TableReader) -> Event:
    event = Event(
        title=reader.prose("title"),
        date=reader.date("date"),
        time=reader.prose("time"),
        location=reader.prose("location"),
        description=reader.prose("description"),
    )
    reader.done()
    return event
