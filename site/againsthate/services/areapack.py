"""Area packs: every local fact (organisations, numbers, places, areas) as data.

A pack is a TOML file. It is read and checked once at start-up; a mistake stops
start-up with a message naming the file, the key and what is wrong, because a
wrong phone number on this site could leave someone without help.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from .postcodes import expand_districts, is_district_entry, outward_code, postcode_area
from .vocabulary import CHARACTERISTICS, HELP, PLACE_KINDS, RELIGIONS, SERVICES


class AreaPackError(Exception):
    """The pack cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Text:
    """A piece of the pack's prose: in the pack's own language, and in any others it gives.

    `str()` is the pack's own text, so code that only needs English (emails, the portal,
    the audit log) is unchanged; pages choose with `get`/`has` through the `pack_text`
    helper (templating.py), which marks the fallback with its language.
    """

    source: str  # in the pack's own language ([area] language)
    translations: tuple[tuple[str, str], ...] = ()  # (language code, text), in pack order

    def has(self, language: str) -> bool:
        return any(code == language for code, _ in self.translations)

    def get(self, language: str) -> str:
        """The text in `language` where the pack gives it, else the pack's own text."""
        return next((text for code, text in self.translations if code == language), self.source)

    def __str__(self) -> str:
        return self.source

    @classmethod
    def from_dict(cls, source: str, translations: dict[str, str] | None) -> Text:
        """From a stored {language: text} (news and events in the database)."""
        return cls(source, tuple(sorted((translations or {}).items())))

    def as_dict(self) -> dict[str, str]:
        return dict(self.translations)


@dataclass(frozen=True)
class Police:
    name: str
    non_emergency: str
    online_report_url: str
    text_relay: str


@dataclass(frozen=True)
class Helpline:
    name: str
    website: str
    phone: str | None = None
    text: str | None = None
    email: str | None = None
    bsl_url: str | None = None
    hours: Text | None = None


@dataclass(frozen=True)
class Organisation:
    slug: str
    name: str
    characteristics: tuple[str, ...]
    services: tuple[str, ...]
    description: Text
    areas: frozenset[str]  # districts served; empty means the whole area
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    hours: Text | None = None
    referral_email: str | None = None  # where "you have a new referral" notices go
    example: bool = False

    def serves_district(self, district: str | None) -> bool:
        return not self.areas or district is None or district in self.areas


@dataclass(frozen=True)
class RoutingRule:
    """Send a referral to `organisation` when every condition given here holds.

    characteristics / religions: any one of them was chosen.
    help_only: everything the person asked for is in this list (so a rule for
    restorative justice does not capture someone who also wants emotional support).
    """

    organisation: str
    characteristics: tuple[str, ...] = ()
    religions: tuple[str, ...] = ()
    help_only: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    address: str
    postcode: str
    opening_hours: Text
    access_notes: Text
    example: bool = False

    @property
    def district(self) -> str:
        return outward_code(self.postcode) or ""


@dataclass(frozen=True)
class NewsItem:
    slug: str
    title: Text
    published: dt.date
    summary: Text
    body: Text


@dataclass(frozen=True)
class Event:
    title: Text
    date: dt.date
    time: Text
    location: Text
    description: Text


@dataclass(frozen=True)
class AreaPack:
    path: Path
    name: str
    slug: str
    language: str
    brand_colour: str
    example_data: bool
    partnership: str
    contact_email: str
    quick_exit_url: str
    districts: frozenset[str]
    police: Police
    true_vision: Helpline
    stop_hate: Helpline
    organisations: tuple[Organisation, ...]
    places: tuple[Place, ...]
    news: tuple[NewsItem, ...] = field(default=())
    events: tuple[Event, ...] = field(default=())
    restorative_justice: str | None = None
    routing: tuple[RoutingRule, ...] = field(default=())
    fallback_organisation: str | None = None
    referral_response_days: int | None = None  # working days organisations aim to reply in
    # How long a closed referral's content is kept before `flask referrals purge` deletes it.
    retention_months: int = 12

    def organisation(self, slug: str) -> Organisation | None:
        return next((o for o in self.organisations if o.slug == slug), None)

    def covers(self, district: str) -> bool:
        return district in self.districts

    @property
    def example_district(self) -> str:
        """A real district of this area for hints such as "like DE1": the shortest, then first."""
        return min(self.districts, key=lambda d: (len(d), d))


# --- validation -------------------------------------------------------------------------

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PHONE = re.compile(r"^[0-9][0-9 ]{2,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class _Languages:
    """Shared by every reader of one pack: its own language and the site's languages."""

    own: str
    known: frozenset[str]


class _Reader:
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

    def child(self, key: str) -> _Reader:
        self.seen.add(key)
        if key not in self.table:
            self.fail(key, "this table is missing")
        return _Reader(
            self.path, f"{self.where}.{key}" if self.where else key, self.table[key], self.languages
        )

    def tables(self, key: str) -> list[_Reader]:
        self.seen.add(key)
        items = self.table.get(key, [])
        if not isinstance(items, list):
            self.fail(key, f"expected a list of tables ([[{key}]])")
        return [
            _Reader(self.path, f"{key}[{i}]", item, self.languages) for i, item in enumerate(items)
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
        return frozenset(expand_districts(values))

    def done(self) -> None:
        """Unknown keys are mistakes too (a typo would silently drop a fact)."""
        for key in self.table:
            if key not in self.seen:
                self.fail(key, "unknown key (check the spelling against README.md)")


def _relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (_relative_luminance(hex_colour) + 0.05)


def _helpline(reader: _Reader) -> Helpline:
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


def _organisation(reader: _Reader, districts: frozenset[str]) -> Organisation:
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


def _place(reader: _Reader) -> Place:
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
    if outward_code(place.postcode) is None:
        reader.fail("postcode", f"{place.postcode!r} is not a UK postcode")
    reader.done()
    return place


def load(path: Path, languages: Iterable[str] | None = None) -> AreaPack:
    """Read and check a pack; raise AreaPackError naming the file, key and problem.

    `languages`: the codes a translation may use (default: the site's, from
    translations/languages.toml)."""
    path = Path(path)
    if languages is None:
        from ..i18n import LANGUAGES  # the site's list; tests may pass their own

        languages = LANGUAGES
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AreaPackError(
            f"{path}: the area pack file does not exist (check AREA_PACK)"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise AreaPackError(f"{path}: not valid TOML: {error}") from None

    # The pack's language is read first: every translated field is checked against it.
    shared = _Languages(own="en", known=frozenset(languages))
    top = _Reader(path, "", data, shared)
    area = top.child("area")
    police = top.child("police")
    national = top.child("national")
    shared.own = area.text(
        "language", pattern=re.compile(r"^[a-z]{2}$"), hint='a language code such as "en"'
    )

    colour = area.text("brand_colour", pattern=_COLOUR, hint='a colour such as "#4b2a7b"')
    if contrast_with_white(colour) < 4.5:
        area.fail(
            "brand_colour",
            f"{colour} is too light: white text on it needs a contrast "
            f"of at least 4.5:1 (it has {contrast_with_white(colour):.1f}:1)",
        )
    districts = area.districts("postcode_districts")

    police_info = Police(
        name=police.text("name"),
        non_emergency=police.text("non_emergency", pattern=_PHONE, hint="a phone number"),
        online_report_url=police.url("online_report_url"),
        text_relay=police.text("text_relay", pattern=_PHONE, hint="a phone number"),
    )
    police.done()

    true_vision = _helpline(national.child("true_vision"))
    stop_hate = _helpline(national.child("stop_hate"))
    national.done()

    organisations = tuple(_organisation(r, districts) for r in top.tables("organisations"))
    if not organisations:
        top.fail("organisations", "the pack lists no organisations")
    slugs = [o.slug for o in organisations]
    for slug in slugs:
        if slugs.count(slug) > 1:
            top.fail("organisations", f"the slug {slug!r} is used more than once")
    rj = area.optional_text("restorative_justice")
    if rj is not None and rj not in slugs:
        area.fail("restorative_justice", f"{rj!r} is not the slug of an organisation in this pack")

    routing = []
    for reader in top.tables("routing"):
        rule = RoutingRule(
            organisation=reader.text("organisation"),
            characteristics=reader.choices("characteristics", CHARACTERISTICS, optional=True),
            religions=reader.choices("religions", RELIGIONS, optional=True),
            help_only=reader.choices("help_only", HELP, optional=True),
        )
        if rule.organisation not in slugs:
            reader.fail(
                "organisation",
                f"{rule.organisation!r} is not the slug of an organisation in this pack",
            )
        if not (rule.characteristics or rule.religions or rule.help_only):
            reader.fail("", "a rule needs at least one of characteristics, religions, help_only")
        reader.done()
        routing.append(rule)
    fallback = area.text("fallback_organisation")
    if fallback not in slugs:
        area.fail(
            "fallback_organisation", f"{fallback!r} is not the slug of an organisation in this pack"
        )

    news = []
    for reader in top.tables("news"):
        news.append(
            NewsItem(
                slug=reader.text(
                    "slug", pattern=_SLUG, hint="a slug of lower-case words and hyphens"
                ),
                title=reader.prose("title"),
                published=reader.date("published"),
                summary=reader.prose("summary"),
                body=reader.prose("body"),
            )
        )
        reader.done()
    events = []
    for reader in top.tables("events"):
        events.append(
            Event(
                title=reader.prose("title"),
                date=reader.date("date"),
                time=reader.prose("time"),
                location=reader.prose("location"),
                description=reader.prose("description"),
            )
        )
        reader.done()

    pack = AreaPack(
        path=path,
        name=area.text("name"),
        slug=area.text("slug", pattern=_SLUG, hint="a slug of lower-case words and hyphens"),
        language=shared.own,
        brand_colour=colour,
        example_data=area.flag("example_data"),
        partnership=area.text("partnership"),
        contact_email=area.text("contact_email", pattern=_EMAIL, hint="an email address"),
        quick_exit_url=area.url("quick_exit_url"),
        districts=districts,
        police=police_info,
        true_vision=true_vision,
        stop_hate=stop_hate,
        organisations=organisations,
        places=tuple(_place(r) for r in top.tables("places")),
        news=tuple(sorted(news, key=lambda n: n.published, reverse=True)),
        events=tuple(sorted(events, key=lambda e: e.date)),
        restorative_justice=rj,
        routing=tuple(routing),
        fallback_organisation=fallback,
        referral_response_days=area.optional_count("referral_response_days", 30),
        retention_months=area.optional_count("retention_months", 120) or 12,
    )
    area.done()
    top.done()
    return pack


def nearest_places(pack: AreaPack, district: str | None) -> list[Place]:
    """Places in the same district first, then the same postcode area, then the rest.

    Packs hold no coordinates, so this is a fair ordering rather than a distance.
    """
    if not district:
        return list(pack.places)
    area = postcode_area(district)

    def rank(place: Place) -> tuple[int, str]:
        if place.district == district:
            return (0, place.name)
        if postcode_area(place.district) == area:
            return (1, place.name)
        return (2, place.name)

    return sorted(pack.places, key=rank)
