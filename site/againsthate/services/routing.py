"""Which organisation receives a referral, and why: the area pack's rules, in order."""

from __future__ import annotations

from dataclasses import dataclass

from .areapack.model import AreaPack, Organisation, RoutingRule, RoutingTest
from .postcodes import outward_code


@dataclass(frozen=True)
class Route:
    organisation: Organisation
    rule: RoutingRule | None  # None: no rule applied, so the fallback organisation

    @property
    def matched_characteristics(self) -> tuple[str, ...]:
        return self.rule.characteristics if self.rule else ()


def _matches(
    rule: RoutingRule,
    characteristics: set[str],
    religion: str | None,
    help_wanted: set[str],
    who: str | None,
    interpreter: bool,
    bsl: bool,
) -> bool:
    if rule.characteristics and not characteristics & set(rule.characteristics):
        return False
    if rule.who and who not in rule.who:
        return False
    if rule.interpreter and not interpreter:
        return False
    if rule.bsl and not bsl:
        return False
    if rule.religions and religion not in rule.religions:
        return False
    return not rule.help_only or bool(help_wanted and help_wanted <= set(rule.help_only))


def route(
    pack: AreaPack,
    characteristics: set[str],
    help_wanted: set[str],
    religion: str | None = None,
    district: str | None = None,
    who: str | None = None,
    interpreter: bool = False,
    bsl: bool = False,
) -> Route:
    """The first rule that matches and whose organisation serves the district; else the fallback."""
    for rule in pack.routing:
        organisation = pack.organisation(rule.organisation)
        if organisation is None or not organisation.serves_district(district):
            continue
        if _matches(rule, characteristics, religion, help_wanted, who, interpreter, bsl):
            return Route(organisation, rule)
    fallback = pack.organisation(pack.fallback_organisation or "")
    if fallback is None:  # the pack loader checks it exists; a pack built by hand may not
        raise LookupError(f"no fallback organisation {pack.fallback_organisation!r} in the pack")
    return Route(fallback, None)


def route_test(pack: AreaPack, test: RoutingTest) -> Route:
    """Where one of the pack's [[routing_tests]] goes: routed as a referral with its answers."""
    return route(
        pack,
        set(test.characteristics),
        set(test.help),
        religion=test.religion,
        district=outward_code(test.postcode or ""),
        who=test.who,
        interpreter=test.interpreter,
        bsl=test.bsl,
    )


def alternatives(
    pack: AreaPack, characteristics: set[str], district: str | None = None
) -> list[Organisation]:
    """Organisations a person may choose instead: those serving what they told us, and where.

    With no characteristic given (or only "not sure"), every organisation that serves the
    district is a fair choice.
    """
    chosen = []
    for org in pack.organisations:
        if not org.serves_district(district):
            continue
        if characteristics and not characteristics & set(org.characteristics):
            continue
        chosen.append(org)
    fallback = pack.organisation(pack.fallback_organisation or "")
    if fallback is not None and fallback not in chosen:
        chosen.append(fallback)
    return chosen
