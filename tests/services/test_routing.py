"""Routing as a table: every combination of answers goes where the pack means it to.

The expectation functions below are written from the packs' stated intent, not from
the routing code, so a rule in the wrong order or a wrong condition shows up here.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import chain, combinations, product

import pytest

from againsthate.paths import AREAS
from againsthate.services.areapack import load
from againsthate.services.routing import alternatives, route, route_test
from againsthate.services.vocabulary import CHARACTERISTICS, FILLED_IN_BY, HELP
from tests.conftest import SHIPPED_PACKS
from tests.packs import derbyshire_with_a_bsl_rule

SHIPPED = {name: load(AREAS / f"{name}.toml") for name in SHIPPED_PACKS}
DERBYSHIRE = SHIPPED["derbyshire"]
HERTFORDSHIRE = SHIPPED["hertfordshire"]
WALSALL = SHIPPED["walsall"]


def subsets(items) -> list[frozenset[str]]:
    items = list(items)
    return [
        frozenset(c)
        for c in chain.from_iterable(combinations(items, n) for n in range(len(items) + 1))
    ]


CHARACTERISTIC_SETS = subsets(CHARACTERISTICS)  # 32, the empty set included
HELP_SETS = subsets(HELP)  # 64
RELIGIONS = (None, "muslim", "jewish")
# DE1 is served by the Multi Faith Centre; S40 (Chesterfield) is in Derbyshire but not
# served by it; None: no postcode given.
DISTRICTS = (None, "DE1", "S40")


def test_the_table_is_complete():
    assert len(CHARACTERISTIC_SETS) == 2**5 and len(HELP_SETS) == 2 ** len(HELP)
    assert set().union(*CHARACTERISTIC_SETS) == set(CHARACTERISTICS)


def derbyshire_expected(
    characteristics: frozenset, help_wanted: frozenset, religion: str | None, district: str | None
) -> str:
    """What the Derbyshire pack says it does, in words:"""
    # Someone who asks only for restorative justice goes to the RJ provider.
    if help_wanted == {"restorative_justice"}:
        return "remedi"
    # Anti-Muslim hate goes to Tell MAMA (national: any district).
    if "religion" in characteristics and religion == "muslim":
        return "tell-mama"
    # Disability hate crime goes to the disabled people's organisation.
    if "disability" in characteristics:
        return "disability-direct"
    # Homophobic, biphobic and transphobic hate goes to the LGBT+ organisation.
    if characteristics & {"sexual_orientation", "transgender"}:
        return "derbyshire-lgbt"
    # Race and religion go to the Multi Faith Centre, only where it works (around Derby).
    if characteristics & {"race", "religion"} and district in (None, "DE1"):
        return "multi-faith-centre"
    # Everyone else: the county's general victim service.
    return "derbyshire-victim-services"


def _label(characteristics: frozenset) -> str:
    return "+".join(sorted(characteristics)) or "none"


def _routes_as_intended(pack, expected, **ranges) -> None:
    """Every combination of the answers in `ranges` (route()'s keywords, a list of values
    each) routed through `pack` goes to `expected(**answers)`; the wrong ones are listed."""
    wrong = []
    for values in product(*ranges.values()):
        answers = dict(zip(ranges, values, strict=True))
        got, want = route(pack, **answers).organisation.slug, expected(**answers)
        if got != want:
            said = (
                f"{k}={_label(v) if isinstance(v, frozenset) else v}" for k, v in answers.items()
            )
            wrong.append(f"{' '.join(said)}: {got}, expected {want}")
    assert not wrong, f"{len(wrong)} wrong routes, for example:\n" + "\n".join(wrong[:10])


@pytest.mark.parametrize("district", DISTRICTS, ids=lambda d: f"district-{d}")
@pytest.mark.parametrize("characteristics", CHARACTERISTIC_SETS, ids=_label)
def test_derbyshire_routes_every_combination_as_the_pack_intends(characteristics, district):
    _routes_as_intended(
        DERBYSHIRE,
        derbyshire_expected,
        characteristics=[characteristics],
        help_wanted=HELP_SETS,
        religion=RELIGIONS,
        district=[district],
    )


@pytest.mark.parametrize(
    ("characteristics", "help_wanted", "religion", "district", "organisation"),
    [
        # A few rows written out, so the table's reading of the pack is easy to check.
        ({"race"}, {"restorative_justice"}, None, "S40", "remedi"),
        (
            {"disability"},
            {"restorative_justice", "emotional_support"},
            None,
            None,
            "disability-direct",
        ),
        ({"religion", "disability"}, {"information"}, "muslim", "S40", "tell-mama"),
        ({"religion"}, {"information"}, "jewish", "DE1", "multi-faith-centre"),
        ({"religion"}, {"information"}, "jewish", "S40", "derbyshire-victim-services"),
        ({"race"}, {"not_sure"}, "muslim", "DE1", "multi-faith-centre"),  # religion not chosen
        ({"transgender", "race"}, {"practical_help"}, None, "DE1", "derbyshire-lgbt"),
        (set(), {"emotional_support"}, None, None, "derbyshire-victim-services"),
        (set(), set(), None, None, "derbyshire-victim-services"),
    ],
)
def test_derbyshire_examples(characteristics, help_wanted, religion, district, organisation):
    assert (
        route(
            DERBYSHIRE, characteristics, help_wanted, religion=religion, district=district
        ).organisation.slug
        == organisation
    )


def test_the_fallback_route_names_no_rule_and_a_rule_route_names_its_rule():
    fallback = route(DERBYSHIRE, set(), {"emotional_support"})
    assert fallback.rule is None and fallback.matched_characteristics == ()
    specialist = route(DERBYSHIRE, {"disability"}, {"emotional_support"})
    assert specialist.rule is not None and specialist.rule.organisation == "disability-direct"
    assert specialist.matched_characteristics == ("disability",)


@pytest.mark.parametrize("pack", SHIPPED.values(), ids=SHIPPED.keys())
@pytest.mark.parametrize("district", DISTRICTS + ("AL1", "WS1"), ids=lambda d: f"district-{d}")
def test_alternatives_always_include_the_fallback(pack, district):
    for characteristics in CHARACTERISTIC_SETS:
        slugs = [o.slug for o in alternatives(pack, set(characteristics), district)]
        assert pack.fallback_organisation in slugs, (_label(characteristics), slugs)
        assert len(slugs) == len(set(slugs)), f"an organisation is offered twice: {slugs}"


@pytest.mark.parametrize("district", DISTRICTS, ids=lambda d: f"district-{d}")
def test_derbyshire_alternatives_serve_what_was_chosen_and_where(district):
    for characteristics in CHARACTERISTIC_SETS:
        for org in alternatives(DERBYSHIRE, set(characteristics), district):
            if org.slug == DERBYSHIRE.fallback_organisation:
                continue
            assert org.serves_district(district), (org.slug, district)
            if characteristics:
                assert set(org.characteristics) & characteristics, (
                    org.slug,
                    _label(characteristics),
                )
    near_derby = {o.slug for o in alternatives(DERBYSHIRE, {"race"}, "DE1")}
    in_chesterfield = {o.slug for o in alternatives(DERBYSHIRE, {"race"}, "S40")}
    assert "multi-faith-centre" in near_derby and "multi-faith-centre" not in in_chesterfield


def hertfordshire_expected(characteristics: frozenset, **_) -> str:
    """Disability hate crime to the advocacy service; everything else to Beacon."""
    return "example-herts-disability-advocacy" if "disability" in characteristics else "beacon"


@pytest.mark.parametrize("district", (None, "AL1", "SG1"), ids=lambda d: f"district-{d}")
def test_hertfordshire_routes_every_combination_as_the_pack_intends(district):
    _routes_as_intended(
        HERTFORDSHIRE,
        hertfordshire_expected,
        characteristics=CHARACTERISTIC_SETS,
        help_wanted=HELP_SETS,
        religion=RELIGIONS,
        district=[district],
    )


def walsall_expected(
    characteristics: frozenset, help_wanted: frozenset, who: str, interpreter: bool, **_
) -> str:
    """What the Walsall pack says it does, in words:"""
    # Someone who asks only for restorative justice goes to the company that offers it.
    if help_wanted == {"restorative_justice"}:
        return "black-country-innovate"
    # A witness goes to its incident support service, which listens to witnesses too.
    if who == "witness":
        return "black-country-innovate"
    # Someone who asks for an interpreter goes to the service that works through them.
    if interpreter:
        return "example-walsall-languages"
    # Homophobic, biphobic and transphobic hate goes to the LGBT+ network.
    if characteristics & {"sexual_orientation", "transgender"}:
        return "example-walsall-lgbt"
    # Everyone else: Black Country Innovate's incident support service.
    return "black-country-innovate"


@pytest.mark.parametrize("district", (None, "WS1", "WV13"), ids=lambda d: f"district-{d}")
def test_walsall_routes_every_combination_as_the_pack_intends(district):
    _routes_as_intended(
        WALSALL,
        walsall_expected,
        characteristics=CHARACTERISTIC_SETS,
        help_wanted=HELP_SETS,
        who=FILLED_IN_BY,
        interpreter=(False, True),
        district=[district],
    )


@pytest.mark.parametrize("pack", SHIPPED.values(), ids=SHIPPED.keys())
def test_each_shipped_pack_tests_every_rule_and_the_fallback(pack):
    """README says the shipped packs' [[routing_tests]] test every rule: take any one rule
    away and one of them goes elsewhere (a test that the fallback or a later rule would
    pass as well tests nothing), and one of them is taken by no rule at all."""
    untested = []
    for i, rule in enumerate(pack.routing):
        without = replace(pack, routing=pack.routing[:i] + pack.routing[i + 1 :])
        if all(route_test(without, t).organisation.slug == t.expect for t in pack.routing_tests):
            untested.append(f"routing[{i}] ({rule.organisation})")
    assert not untested, f"no routing test needs {', '.join(untested)}"
    assert any(route_test(pack, t).rule is None for t in pack.routing_tests), (
        "no routing test reaches the fallback"
    )


def test_a_rule_can_route_by_who_fills_in_the_form_and_the_need_for_an_interpreter(tmp_path):
    """Routing that fits real services (issue 14): a witness's referral, or one that needs
    an interpreter, may go to the service that does that; the rest route as before."""
    from againsthate.services.areapack import load

    text = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
    first_rule = "[[routing]]\n"
    assert first_rule in text
    rules = (
        '[[routing]]\nwho = ["witness"]\norganisation = "derbyshire-victim-services"\n\n'
        '[[routing]]\ninterpreter = true\ncharacteristics = ["race"]\n'
        'organisation = "derbyshire-victim-services"\n\n'
    )
    path = tmp_path / "pack.toml"
    path.write_text(text.replace(first_rule, rules + first_rule, 1), encoding="utf-8")
    pack = load(path)
    help_wanted = {"emotional_support"}
    assert route(pack, {"disability"}, help_wanted).organisation.slug == "disability-direct"
    assert (
        route(pack, {"disability"}, help_wanted, who="witness").organisation.slug
        == "derbyshire-victim-services"
    )
    assert route(pack, {"race"}, help_wanted).organisation.slug == "multi-faith-centre"
    assert (
        route(pack, {"race"}, help_wanted, interpreter=True).organisation.slug
        == "derbyshire-victim-services"
    )


BSL_TEST = (
    '\n[[routing_tests]]\ncharacteristics = ["disability"]\nbsl = true\n'
    'expect = "derbyshire-victim-services"\n'
)


def test_a_rule_can_route_by_british_sign_language(tmp_path):
    """Issue 14: a referral from someone who ticked "I use British Sign Language (BSL)"
    may go to the service that works with BSL interpreters; one without BSL routes as before."""
    pack = load(derbyshire_with_a_bsl_rule(tmp_path, BSL_TEST))
    assert pack.routing[0].bsl and not any(rule.bsl for rule in pack.routing[1:])
    help_wanted = {"emotional_support"}
    assert route(pack, {"disability"}, help_wanted).organisation.slug == "disability-direct"
    bsl = route(pack, {"disability"}, help_wanted, bsl=True)
    assert bsl.organisation.slug == "derbyshire-victim-services" and bsl.rule == pack.routing[0]
    assert route(pack, {"race"}, help_wanted, interpreter=True).organisation.slug == (
        "multi-faith-centre"
    ), "an interpreter is not BSL"
    [test] = [t for t in pack.routing_tests if t.bsl]
    assert route_test(pack, test).rule == pack.routing[0]
    assert route_test(pack, replace(test, bsl=False)).organisation.slug == "disability-direct"


def test_a_routing_test_by_bsl_that_goes_elsewhere_is_refused(tmp_path):
    from againsthate.services.areapack import AreaPackError

    wrong = BSL_TEST.replace("derbyshire-victim-services", "disability-direct")
    with pytest.raises(AreaPackError) as caught:
        load(derbyshire_with_a_bsl_rule(tmp_path, wrong))
    assert (
        "the rules send it to 'derbyshire-victim-services' (routing[0]), not 'disability-direct'"
    ) in str(caught.value), str(caught.value)


ROUTING_TESTS = """
[[routing_tests]]
characteristics = ["disability"]
help = ["emotional_support"]
expect = "disability-direct"

[[routing_tests]]
characteristics = ["religion"]
religion = "muslim"
postcode = "DE1 1AA"
expect = "tell-mama"

[[routing_tests]]
characteristics = ["race"]
who = "witness"
expect = "multi-faith-centre"
"""


def test_a_packs_own_routing_tests_are_run_by_the_check(tmp_path):
    """A partnership writes what it expects of its routing, and the pack check proves it
    (issue 14): each [[routing_tests]] entry is routed as a referral would be."""
    from againsthate.services.areapack import AreaPackError, load
    from againsthate.services.areapack.reader import ordinal

    text = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
    shipped = len(DERBYSHIRE.routing_tests)  # the shipped pack tests each of its rules
    assert shipped >= len(DERBYSHIRE.routing)
    path = tmp_path / "pack.toml"
    path.write_text(text + ROUTING_TESTS, encoding="utf-8")
    assert len(load(path).routing_tests) == shipped + 3
    wrong = ROUTING_TESTS.replace('expect = "tell-mama"', 'expect = "derbyshire-lgbt"')
    path.write_text(text + wrong, encoding="utf-8")
    with pytest.raises(AreaPackError) as caught:
        load(path)
    position = shipped + 1
    assert (
        f"routing_tests[{position}].expect (the {ordinal(position + 1)} routing test): the "
        "rules send it to 'tell-mama' (routing[1]), not 'derbyshire-lgbt'"
    ) in str(caught.value), str(caught.value)
