"""Checks a partnership's logo: an SVG file that can do nothing but draw itself.

The site promises that no request ever leaves for a third party, and runs no code but its
own. A logo is a file the partnership made with a drawing program, which may put in a
font or a picture from another site, a script, or a reference the browser would fetch.
So the file is read here, once, with the standard library's expat parser, and refused
when it holds any of these; the pack reader reports each problem beside the file's key.

Entities: expat expands only what a document's own DTD declares. A logo needs no DTD of
its own (an exported file may name the standard one, which is never fetched), so an
internal subset or an entity declaration is refused, and parsing stops at once, before
anything is expanded. No external entity or DTD is ever read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 50 * 1024
# Width to height: the header's one row on a 320 px phone has about 160 px beside the
# language menu for a logo 36 px tall (site.css), and a wider one is shrunk to fit.
MAX_RATIO = 6

_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_IMPORT = re.compile(r"@import|image-set\(", re.IGNORECASE)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass
class Drawing:
    """What a logo file was found to hold: the problems, and its viewBox's width and height."""

    problems: list[str] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0


class _Stop(Exception):
    """Parsing must go no further (an entity would be expanded)."""


def _split(name: str) -> tuple[str, str]:
    """("namespace", "local") from expat's "namespace local" (or "local")."""
    namespace, _, local = name.rpartition(" ")
    return namespace, local


def _outside(reference: str) -> bool:
    """Whether a reference points anywhere but a part of the same file (#id)."""
    return not reference.strip().startswith("#")


def check(data: bytes) -> Drawing:
    """Every reason `data` cannot be the site's logo, in plain words (none: it can), each
    to follow the file's name: "'logo.svg' has a <script>: …"."""
    found = Drawing()
    said: set[str] = set()

    def refuse(problem: str) -> None:
        if problem not in said:
            said.add(problem)
            found.problems.append(problem)

    def css(text: str) -> None:
        for _quote, target in _URL.findall(text):
            if _outside(target):
                refuse(_points_outside(target))
        if _IMPORT.search(text):
            refuse(
                "loads a stylesheet or picture from elsewhere (@import or image-set): "
                "a logo's styles must be written inside the file"
            )
        if "\\" in text:
            # CSS reads `\75 rl(` as `url(`: an escape could hide an address from the check.
            refuse("has a backslash escape in its styles, which could hide an address: remove it")

    root: list[str] = []
    in_style: list[bool] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, local = _split(name)
        if not root:
            root.append(name)
            if (namespace, local) != (SVG_NS, "svg"):
                refuse(
                    f"is not an SVG image: its outer element is <{local}>, "
                    f'not <svg xmlns="{SVG_NS}">'
                )
            else:
                _view_box(attributes.get("viewBox"), found, refuse)
        lowered = local.lower()
        if lowered == "script":
            refuse("has a <script>: a logo must not run code")
        if lowered == "foreignobject":
            refuse("has a <foreignObject>: a logo must be drawn in SVG alone, with no HTML in it")
        in_style.append(lowered == "style")
        for attribute, value in attributes.items():
            attribute_ns, attribute_local = _split(attribute)
            lowered_attribute = attribute_local.lower()
            if lowered_attribute.startswith("on"):
                refuse(f"has an event handler ({attribute_local}=…): a logo must not run code")
            elif (lowered_attribute in ("href", "src") and _outside(value)) or (
                attribute_ns == XML_NS and attribute_local == "base"  # a base for the rest
            ):
                refuse(_points_outside(value))
            elif lowered_attribute == "attributename" and (
                value.lower().rpartition(":")[2] in ("href", "src")
                or value.lower().startswith("on")
            ):
                refuse(f"has an animation that changes {value}: a logo must not change its links")
            if "(" in value or lowered_attribute == "style":
                css(value)  # presentation attributes are read as CSS too

    def end(_name: str) -> None:
        in_style.pop()

    def text(data: str) -> None:
        if in_style and in_style[-1]:
            css(data)

    def doctype(_name, _system, _public, internal_subset: bool) -> None:
        if internal_subset:
            refuse("declares entities of its own (<!DOCTYPE … [ … ]>): a logo needs none")
            raise _Stop

    def entity(*_args) -> None:
        refuse("declares entities of its own (<!ENTITY …>): a logo needs none")
        raise _Stop

    def instruction(target: str, _data: str) -> None:
        refuse(f"has a processing instruction (<?{target} …?>), which can load a stylesheet")

    def skipped(name: str, _parameter: bool) -> None:
        refuse(f"uses an entity it does not define (&{name};): a logo needs none")

    def external(*_args) -> int:
        refuse("refers to an external entity: a logo must be complete in itself")
        return 0

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.ProcessingInstructionHandler = instruction
    parser.ExternalEntityRefHandler = external
    parser.SkippedEntityHandler = skipped
    try:
        parser.Parse(data, True)
    except _Stop:
        pass
    except expat.ExpatError as error:
        refuse(
            f"is not a well-formed SVG file ({expat.ErrorString(error.code)}, "
            f"line {error.lineno}): export it again as plain SVG"
        )
    return found


def _points_outside(target: str) -> str:
    shown = target.strip()
    shown = shown if len(shown) <= 60 else shown[:57] + "…"
    return (
        f"refers to something outside itself ({shown!r}): a logo may point only to its "
        "own parts (#id), so that no request ever leaves for another site; "
        "put what it needs inside the file, or leave it out"
    )


def _view_box(value: str | None, found: Drawing, refuse) -> None:
    numbers = [float(n) for n in _NUMBER.findall(value or "")]
    if len(numbers) != 4 or numbers[2] <= 0 or numbers[3] <= 0:
        refuse(
            'has no usable viewBox on its <svg> (such as viewBox="0 0 200 60"): '
            "without one it cannot grow and shrink with the text"
        )
        return
    found.width, found.height = numbers[2], numbers[3]
    if found.width > MAX_RATIO * found.height:
        refuse(
            f"is {found.width / found.height:.0f} times as wide as it is tall (its viewBox): "
            f"at most {MAX_RATIO} fits beside the language menu on a phone at a size people "
            "can read; use a stacked version of the logo"
        )
