"""The area pack as the site reads it: every local fact (organisations, numbers, places,
areas) as frozen data. reader.py makes it from a pack file and checks it; nothing here reads
a file or raises about one."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..postcodes import outward_code, postcode_area
from ..vocabulary import HEARD, HEARD_OTHER


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
class Logo:
    """The partnership's logo: the SVG file as it was checked (served from memory, so a
    later change to the file is never served unchecked), and its text alternative."""

    svg: bytes
    alt: Text
    width: float  # its viewBox's, for the aspect ratio
    height: float

    @property
    def version(self) -> str:
        """A hash of the file, for its URL: a new logo is a new address, so it can be
        cached for a year."""
        return hashlib.sha256(self.svg).hexdigest()[:12]


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
    # For the other national services a pack lists (national.others): what it does, and
    # the strands it is for (none: everyone).
    description: Text | None = None
    characteristics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Legal:
    """What the privacy notice and the accessibility statement must say for this area; each
    left out is claimed nowhere."""

    data_controller: str | None = None  # None: the partnership itself
    ico_registration: str | None = None  # the controller's with the Information Commissioner
    dpo_email: str | None = None  # its data protection officer
    accessibility_statement_date: dt.date | None = None  # when the statement was prepared


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
    example: bool = False  # every contact detail is an example, not real
    examples: frozenset[str] = frozenset()  # or only these fields ("email", "phone" ...)
    hours_by_day: tuple[tuple[str, Text], ...] = ()  # (day, hours), Monday first
    # The organisation's own tags for its referrals ("passed-to-police": "Passed to the
    # police"), in the pack's order. Statuses stay the same set everywhere (the statistics
    # count them); tags are the organisation's own way of marking what else matters.
    tags: tuple[tuple[str, Text], ...] = ()

    def tag_label(self, slug: str) -> Text | None:
        return dict(self.tags).get(slug)

    def serves_district(self, district: str | None) -> bool:
        return not self.areas or district is None or district in self.areas


@dataclass(frozen=True)
class RoutingRule:
    """Send a referral to `organisation` when every condition given here holds.

    characteristics / religions: any one of them was chosen.
    help_only: everything the person asked for is in this list (so a rule for
    restorative justice does not capture someone who also wants emotional support).
    who: the form was filled in by one of these (self, helper, witness, professional).
    interpreter: the person asked for an interpreter.
    bsl: the person uses British Sign Language (ticked on the needs page).
    """

    organisation: str
    characteristics: tuple[str, ...] = ()
    religions: tuple[str, ...] = ()
    help_only: tuple[str, ...] = ()
    who: tuple[str, ...] = ()
    interpreter: bool = False
    bsl: bool = False


@dataclass(frozen=True)
class RoutingTest:
    """A referral the partnership expects its rules to send to `expect` (the pack check
    routes it, so a change to the rules cannot quietly send a strand elsewhere)."""

    expect: str
    characteristics: tuple[str, ...] = ()
    help: tuple[str, ...] = ()
    religion: str | None = None
    who: str | None = None
    interpreter: bool = False
    bsl: bool = False
    postcode: str | None = None


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    address: str
    postcode: str
    opening_hours: Text | None  # None: given day by day instead
    access_notes: Text
    example: bool = False  # the whole place is an example
    examples: frozenset[str] = frozenset()  # or only these fields ("address", "phone" ...)
    phone: str | None = None
    website: str | None = None
    languages: tuple[str, ...] = ()  # spoken there, in the pack's language
    hours_by_day: tuple[tuple[str, Text], ...] = ()  # (day, hours), Monday first

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
class HeardOption:
    """A way people may have heard of the service: one of the area's campaign channels."""

    slug: str
    label: Text


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
    # The partnership's own name for the site, whole ("Stand Up Derbyshire"), in the pack's
    # language; None: "Against Hate" and the area's name.
    site_name: str | None = None
    national_others: tuple[Helpline, ...] = ()
    routing_tests: tuple[RoutingTest, ...] = ()
    legal: Legal = Legal()
    logo: Logo | None = None
    # The links' colours, where the pack changes them from the stylesheet's.
    link_colour: str | None = None
    visited_link_colour: str | None = None
    # The area's own answers to "how did you hear about this service?" ([[heard]]); none:
    # the site's general list (vocabulary.HEARD).
    heard: tuple[HeardOption, ...] = ()
    # The first district of postcode_districts' first entry ("WS1" of "WS1-WS5").
    first_district: str | None = None

    @property
    def heard_slugs(self) -> tuple[str, ...]:
        """Every answer the question offers, in order, "somewhere else" last: what the
        statistics count (with "" for not said)."""
        own = tuple(o.slug for o in self.heard) if self.heard else tuple(HEARD)
        return (*own, HEARD_OTHER)

    def full_name(self, default: str) -> str:
        """The site's name as a title, an email or an authenticator app says it."""
        return self.site_name or f"{default} {self.name}"

    def organisation(self, slug: str) -> Organisation | None:
        return next((o for o in self.organisations if o.slug == slug), None)

    def covers(self, district: str) -> bool:
        return district in self.districts

    @property
    def example_district(self) -> str:
        """A real district of this area for hints such as "like DE1": the first the pack
        lists (its main town, as a pack usually starts), else the shortest, then first."""
        if self.first_district in self.districts:
            return self.first_district
        return min(self.districts, key=lambda d: (len(d), d))


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
