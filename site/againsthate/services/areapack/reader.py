"""Reads an area pack file into the model (model.py), checking every fact on the way.

A pack is a TOML file. It is read and checked once at start-up; a mistake stops
start-up with a message naming the file, the key and what is wrong, because a
wrong phone number on this site could leave someone without help.

`load` reads the sections in turn, each with its own reader below (`_area`, `_police`,
`_national`, `_organisations`, `_routing`, `_places`, `_news`, `_events`); a check across
sections (a slug in [area] or [[routing]] naming an organisation) runs once the section it
refers to is read. Every reader reports through a `TableReader`, which knows the file and
where in it the table is, so each message names the file, the key and the problem.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from ..postcodes import expand_districts, is_district_entry, outward_code, reversed_range
from ..vocabulary import CHARACTERISTICS, HELP, PLACE_KINDS, RELIGIONS, SERVICES
from .model import (
    AreaPack,
    Event,
    Helpline,
    NewsItem,
    Organisation,
    Place,
    Police,
    RoutingRule,
    Text,
)


class AreaPackError(Exception):
    """The pack cannot be used; the message says where and why."""


_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PHONE = re.compile(r"^[0-9][0-9 ]{2,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


@dataclass
class _Languages:
    """Shared by every reader of one pack: its own language and the site's languages."""

    own: str
    known: frozenset[str]


class TableReader:
    """Reads one table of the pack, remembering where it is for error messages."""

    def __init__(self, path: Path, where: str, table: Any, languages: _Languages):
        self.path, self.where, self.languages = path, where, languages
        if not isinstance(table, dict):
            self.fail("", f"expected a table, found {type(table).__name__}")
        self.table: dict[str, Any] = table
        self.seen: set[str] = set()

    def fail(self, key: str, problem: str) -> NoReturn:
        location = ".".join(p for p in (self.where, key) if p)
        raise AreaPackError(f"{self.path}: {location or '(top level)'}: {problem}")

    def optional_child(self, key: str) -> TableReader | None:
        """The table under `key`, or None when the pack leaves it out."""
        self.seen.add(key)
        if key not in self.table:
            return None
        return TableReader(
            self.path, f"{self.where}.{key}" if self.where else key, self.table[key], self.languages
        )

    def required_child(self, key: str) -> TableReader:
        child = self.optional_child(key)
        if child is None:
            self.fail(key, "this table is missing")
        return child

    def tables(self, key: str) -> list[TableReader]:
        self.seen.add(key)
        items = self.table.get(key, [])
        if not isinstance(items, list):
            self.fail(key, f"expected a list of tables ([[{key}]])")
        return [
            TableReader(self.path, f"{key}[{i}]", item, self.languages)
            for i, item in enumerate(items)
        ]

    def text(self, key: str, pattern: re.Pattern | None = None, hint: str = "") -> str:
        """A required piece of text."""
        value = self.optional_text(key, pattern, hint)
        if value is None:
            self.fail(key, "this key is missing")
        return value

    def optional_text(
        self, key: str, pattern: re.Pattern | None = None, hint: str = ""
    ) -> str | None:
        self.seen.add(key)
        if key not in self.table:
            return None
        value = self.table[key]
        if isinstance(value, dict):
            self.fail(
                key,
                "expected text in quotes: names, addresses, numbers and links are "
                "written once, in the pack's language; only descriptions, hours and "
                "notes take translations (see README.md)",
            )
        if not isinstance(value, str):
            self.fail(key, f"expected text in quotes, found {type(value).__name__} {value!r}")
        if not value.strip():
            self.fail(key, "must not be empty")
        if pattern is not None and not pattern.match(value):
            self.fail(key, f"{value!r} is not {hint}")
        return value.strip()

    def prose(self, key: str) -> Text:
        """Required prose: text in quotes, or a table of it by language code."""
        value = self.optional_prose(key)
        if value is None:
            self.fail(key, "this key is missing")
        return value

    def optional_prose(self, key: str) -> Text | None:
        """Text in quotes is in the pack's own language; a table gives it in several,
        `{ en = "…", ur = "…" }`, always with the pack's own (the fallback for the rest)."""
        self.seen.add(key)
        value = self.table.get(key)
        if value is None or isinstance(value, str):
            text = self.optional_text(key)
            return None if text is None else Text(text)
        if not isinstance(value, dict):
            self.fail(
                key,
                f"expected text in quotes, or a table of it by language such as "
                f'{{ en = "…", ur = "…" }}, found {type(value).__name__} {value!r}',
            )
        own, known = self.languages.own, self.languages.known | {self.languages.own}
        for code, text in value.items():
            if code not in known:
                self.fail(
                    f"{key}.{code}",
                    f"{code!r} is not a language of this site (one of: "
                    f"{', '.join(sorted(known))}; see translations/languages.toml)",
                )
            if not isinstance(text, str):
                self.fail(
                    f"{key}.{code}",
                    f"expected text in quotes, found {type(text).__name__} {text!r}",
                )
            if not text.strip():
                self.fail(
                    f"{key}.{code}",
                    "must not be empty (leave the language out instead: "
                    f"the page then shows the {own} text, marked as {own})",
                )
        if own not in value:
            self.fail(
                key,
                f'the text in the pack\'s own language is missing ({own} = "…"): it is '
                "what a page shows in every language the table leaves out",
            )
        return Text(
            value[own].strip(),
            tuple((code, text.strip()) for code, text in value.items() if code != own),
        )

    def url(self, key: str) -> str:
        value = self.text(key)
        if not value.startswith("https://"):
            self.fail(key, f"{value!r} must be a full https:// address")
        return value

    def optional_url(self, key: str) -> str | None:
        self.seen.add(key)
        return self.url(key) if key in self.table else None

    def flag(self, key: str, default: bool = False) -> bool:
        self.seen.add(key)
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, found {value!r}")
        return value

    def optional_count(self, key: str, largest: int) -> int | None:
        self.seen.add(key)
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= largest:
            self.fail(key, f"expected a whole number from 1 to {largest}, found {value!r}")
        return value

    def date(self, key: str) -> dt.date:
        self.seen.add(key)
        value = self.table.get(key)
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self.fail(key, f"expected a date such as 2026-10-12, found {value!r}")
        return value

    def choices(self, key: str, allowed: dict, optional: bool = False) -> tuple[str, ...]:
        self.seen.add(key)
        values = self.table.get(key)
        if values is None and optional:
            return ()
        if not isinstance(values, list) or not values:
            self.fail(key, f'expected a non-empty list such as ["{next(iter(allowed))}"]')
        for value in values:
            if value not in allowed:
                self.fail(key, f"{value!r} is not one of: {', '.join(allowed)}")
        return tuple(values)

    def districts(self, key: str, optional: bool = False) -> frozenset[str]:
        self.seen.add(key)
        values = self.table.get(key)
        if values is None and optional:
            return frozenset()
        if not isinstance(values, list) or not values:
            self.fail(key, 'expected a list of postcode districts such as ["DE1", "DE21-DE24"]')
        for value in values:
            if not isinstance(value, str) or not is_district_entry(value):
                self.fail(key, f"{value!r} is not a postcode district (DE1) or range (DE1-DE75)")
            backwards = reversed_range(value)
            if backwards:
                self.fail(
                    key, f"{value!r} runs backwards: write it from the lower number, as {backwards}"
                )
        return frozenset(expand_districts(values))

    def done(self) -> None:
        """Unknown keys are mistakes too (a typo would silently drop a fact)."""
        for key in self.table:
            if key not in self.seen:
                self.fail(key, "unknown key (check the spelling against README.md)")


# --- one reader per section ------------------------------------------------------------


def load(path: Path, languages: Iterable[str] | None = None) -> AreaPack:
    """Read and check a pack; raise AreaPackError naming the file, key and problem.

    `languages`: the codes a translation may use (default: the site's, from
    translations/languages.toml)."""
    path = Path(path)
    if languages is None:
        from ...i18n import LANGUAGES  # the site's list; tests may pass their own

        languages = LANGUAGES
    shared = _Languages(own="en", known=frozenset(languages))
    top = TableReader(path, "", _parse(path), shared)
    area_table = top.required_child("area")
    area = _area(area_table)
    shared.own = area.language  # every translated text from here on is checked against it
    police = _police(top.required_child("police"))
    true_vision, stop_hate = _national(top.required_child("national"))
    organisations = _organisations(top, area.districts)
    slugs = frozenset(o.slug for o in organisations)
    _names_an_organisation(area_table, "restorative_justice", area.restorative_justice, slugs)
    _names_an_organisation(area_table, "fallback_organisation", area.fallback_organisation, slugs)
    by_slug = {o.slug: o for o in organisations}
    _serves_every_strand(area_table, by_slug[area.fallback_organisation])
    pack = AreaPack(
        path=path,
        name=area.name,
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
        organisations=organisations,
        routing=_routing(top, by_slug),
        places=_places(top, area.districts),
        news=_news(top),
        events=_events(top),
    )
    top.done()
    return pack


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
    )
    reader.done()
    return area


def _brand_colour(reader: TableReader) -> str:
    colour = reader.text("brand_colour", pattern=_COLOUR, hint='a colour such as "#4b2a7b"')
    if contrast_with_white(colour) < 4.5:
        reader.fail(
            "brand_colour",
            f"{colour} is too light: white text on it needs a contrast "
            f"of at least 4.5:1 (it has {contrast_with_white(colour):.1f}:1)",
        )
    return colour


def _relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (_relative_luminance(hex_colour) + 0.05)


def _police(reader: TableReader) -> Police:
    police = Police(
        name=reader.text("name"),
        non_emergency=reader.text("non_emergency", pattern=_PHONE, hint="a phone number"),
        online_report_url=reader.url("online_report_url"),
        text_relay=reader.text("text_relay", pattern=_PHONE, hint="a phone number"),
    )
    reader.done()
    return police


def _national(reader: TableReader) -> tuple[Helpline, Helpline]:
    """True Vision and Stop Hate UK."""
    true_vision = _helpline(reader.required_child("true_vision"))
    stop_hate = _helpline(reader.required_child("stop_hate"))
    reader.done()
    return true_vision, stop_hate


def _helpline(reader: TableReader) -> Helpline:
    helpline = Helpline(
        name=reader.text("name"),
        website=reader.url("website"),
        phone=reader.optional_text("phone", _PHONE, "a phone number"),
        text=reader.optional_text("text", _PHONE, "a phone number"),
        email=reader.optional_text("email", _EMAIL, "an email address"),
        bsl_url=reader.optional_url("bsl_url"),
        hours=reader.optional_prose("hours"),
    )
    reader.done()
    return helpline


def _organisations(top: TableReader, districts: frozenset[str]) -> tuple[Organisation, ...]:
    organisations = tuple(_organisation(r, districts) for r in top.tables("organisations"))
    if not organisations:
        top.fail("organisations", "the pack lists no organisations")
    slugs = [o.slug for o in organisations]
    for slug in slugs:
        if slugs.count(slug) > 1:
            top.fail("organisations", f"the slug {slug!r} is used more than once")
    return organisations


def _organisation(reader: TableReader, districts: frozenset[str]) -> Organisation:
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
        example=reader.flag("example"),
    )
    outside = sorted(org.areas - districts)
    if outside:
        reader.fail("areas", f"{', '.join(outside)} are not in area.postcode_districts")
    reader.done()
    return org


def _names_an_organisation(
    reader: TableReader, key: str, slug: str | None, slugs: frozenset[str]
) -> None:
    """A slug given under `key` (when given) is one of the pack's organisations."""
    if slug is not None and slug not in slugs:
        reader.fail(key, f"{slug!r} is not the slug of an organisation in this pack")


def _serves_every_strand(area: TableReader, fallback: Organisation) -> None:
    """The fallback receives whatever no rule takes: a referral of any strand."""
    missing = [c for c in CHARACTERISTICS if c not in fallback.characteristics]
    if missing:
        area.fail(
            "fallback_organisation",
            f"{fallback.slug!r} does not serve {', '.join(missing)}: it receives every "
            "referral no routing rule takes, so it must serve every strand",
        )


def _routing(top: TableReader, organisations: dict[str, Organisation]) -> tuple[RoutingRule, ...]:
    return tuple(_routing_rule(r, organisations) for r in top.tables("routing"))


def _sent_strands(rule: RoutingRule) -> tuple[str, ...]:
    """The strands a rule can send: those it names; religion for a rule by religion alone;
    any strand for a rule by the help asked for alone."""
    if rule.characteristics:
        return rule.characteristics
    return ("religion",) if rule.religions else tuple(CHARACTERISTICS)


def _routing_rule(reader: TableReader, organisations: dict[str, Organisation]) -> RoutingRule:
    slugs = frozenset(organisations)
    rule = RoutingRule(
        organisation=reader.text("organisation"),
        characteristics=reader.choices("characteristics", CHARACTERISTICS, optional=True),
        religions=reader.choices("religions", RELIGIONS, optional=True),
        help_only=reader.choices("help_only", HELP, optional=True),
    )
    _names_an_organisation(reader, "organisation", rule.organisation, slugs)
    if not (rule.characteristics or rule.religions or rule.help_only):
        reader.fail("", "a rule needs at least one of characteristics, religions, help_only")
    served = organisations[rule.organisation].characteristics
    unserved = [c for c in _sent_strands(rule) if c not in served]
    if unserved:
        reader.fail(
            "organisation",
            f"{rule.organisation!r} does not serve {', '.join(unserved)}, which this rule sends it",
        )
    reader.done()
    return rule


def _places(top: TableReader, districts: frozenset[str]) -> tuple[Place, ...]:
    return tuple(_place(r, districts) for r in top.tables("places"))


def _place(reader: TableReader, districts: frozenset[str]) -> Place:
    place = Place(
        name=reader.text("name"),
        kind=reader.text("kind"),
        address=reader.text("address"),
        postcode=reader.text("postcode"),
        opening_hours=reader.prose("opening_hours"),
        access_notes=reader.prose("access_notes"),
        example=reader.flag("example"),
    )
    if place.kind not in PLACE_KINDS:
        reader.fail("kind", f"{place.kind!r} is not one of: {', '.join(PLACE_KINDS)}")
    district = outward_code(place.postcode)
    if district is None:
        reader.fail("postcode", f"{place.postcode!r} is not a UK postcode")
    if district not in districts:
        # The search by postcode only ever finds places in the area's own districts.
        reader.fail(
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
