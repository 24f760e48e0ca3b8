"""The logo check (services/areapack/svg.py): no way of pointing outside the file passes,
no way of running code passes, and the logos drawing programs really write do."""

from __future__ import annotations

import pytest

from againsthate.services.areapack import svg

OPEN = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'viewBox="0 0 200 60"'
)

# Every way an SVG can name something the browser would fetch (or that a page could
# read as another site's): in an attribute, in CSS, in an animation, in the prologue.
ELSEWHERE = {
    "image href": f'{OPEN}><image href="https://cdn.example.com/a.png"/></svg>',
    "image xlink:href": f'{OPEN}><image xlink:href="http://cdn.example.com/a.png"/></svg>',
    "no scheme": f'{OPEN}><image href="//cdn.example.com/a.png"/></svg>',
    "a file beside it": f'{OPEN}><use href="other.svg#shape"/></svg>',
    "a link": f'{OPEN}><a href="https://example.com/"><rect/></a></svg>',
    "javascript link": f'{OPEN}><a href="javascript:alert(1)"><rect/></a></svg>',
    "data image": f'{OPEN}><image href="data:image/png;base64,AAAA"/></svg>',
    "src": f'{OPEN}><image src="https://cdn.example.com/a.png"/></svg>',
    "presentation attribute": f'{OPEN}><rect fill="url(https://x.example/p.svg#g)"/></svg>',
    "quoted url": f"{OPEN}><rect fill=\"url('https://x.example/p.svg#g')\"/></svg>",
    "style attribute": f'{OPEN}><rect style="fill: url(//x.example/p.svg#g)"/></svg>',
    "style element": f"{OPEN}><style>.a{{background:url(https://x.example/a.png)}}</style></svg>",
    "font face": (
        f"{OPEN}><style>@font-face{{font-family:x;src:url(https://fonts.example/x.woff2)}}"
        "</style></svg>"
    ),
    "import": f"{OPEN}><style>@import 'https://fonts.example/x.css';</style></svg>",
    "image-set": f"{OPEN}><style>.a{{background:image-set('https://x.example/a.png' 1x)}}</style></svg>",
    "CSS escape": f"{OPEN}><style>.a{{background:\\75 rl(https://x.example/a.png)}}</style></svg>",
    "CDATA style": (
        f"{OPEN}><style><![CDATA[.a{{fill:url(https://x.example/p.svg#g)}}]]></style></svg>"
    ),
    "xml:base": f'{OPEN} xml:base="https://x.example/"><use href="#a"/></svg>',
    "animated href": (
        f'{OPEN}><image href="#a"><set attributeName="href" to="https://x.example/a.png"/>'
        "</image></svg>"
    ),
    "stylesheet instruction": (
        f'<?xml-stylesheet type="text/css" href="https://x.example/a.css"?>{OPEN}/>'
    ),
    "external entity": (
        f'<!DOCTYPE svg [<!ENTITY x SYSTEM "https://x.example/a.txt">]>{OPEN}>&x;</svg>'
    ),
    "external DTD entity": (
        f'<!DOCTYPE svg SYSTEM "https://x.example/a.dtd">{OPEN}><text>&x;</text></svg>'
    ),
}

RUNS_CODE = {
    "script": f"{OPEN}><script>fetch('https://x.example/')</script></svg>",
    "script in another namespace": (
        f'{OPEN} xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></svg>'
    ),
    "event handler": f'{OPEN}><rect onclick="alert(1)"/></svg>',
    "handler in capitals": f'{OPEN}><rect ONMOUSEOVER="alert(1)"/></svg>',
    "animated handler": f'{OPEN}><rect><set attributeName="onclick" to="alert(1)"/></rect></svg>',
    "foreignObject": f"{OPEN}><foreignObject><iframe/></foreignObject></svg>",
    "billion laughs": (
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f"{OPEN}><text>&b;</text></svg>"
    ),
}


@pytest.mark.parametrize("logo", ELSEWHERE.values(), ids=ELSEWHERE.keys())
def test_nothing_that_points_outside_the_file_passes(logo):
    assert svg.check(logo.encode()).problems


@pytest.mark.parametrize("logo", RUNS_CODE.values(), ids=RUNS_CODE.keys())
def test_nothing_that_could_run_code_passes(logo):
    assert svg.check(logo.encode()).problems


# What drawing programs write: a DOCTYPE naming the standard DTD (never fetched), an XML
# declaration, namespaces, Inkscape's metadata (whose rdf:resource is a name, not a
# fetch), gradients and clip paths referred to by #id in attributes and in CSS, <use>.
EXPORTED = f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with a drawing program (https://drawing.example/) -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
{OPEN} xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns:cc="http://creativecommons.org/ns#" width="200" height="60" version="1.1">
  <metadata><rdf:RDF><cc:Work rdf:about="">
    <cc:license rdf:resource="http://creativecommons.org/licenses/by/4.0/"/>
  </cc:Work></rdf:RDF></metadata>
  <defs>
    <linearGradient id="sky"><stop offset="0" stop-color="#fff"/></linearGradient>
    <clipPath id="clip"><rect width="200" height="60"/></clipPath>
    <path id="star" d="M 10,0 L 20,20 Z"/>
  </defs>
  <style>.cls-1{{fill:url(#sky)}} .cls-2 {{ fill: url( "#sky" ) }}</style>
  <g clip-path="url(#clip)" style="opacity:0.9">
    <rect class="cls-1" width="200" height="60" fill="url(#sky)"/>
    <use href="#star"/><use xlink:href="#star" x="30"/>
    <text x="50" y="40" font-family="Arial, sans-serif">Stand Up</text>
  </g>
</svg>"""


def test_a_logo_as_drawing_programs_export_it_passes():
    drawing = svg.check(EXPORTED.encode())
    assert drawing.problems == []
    assert (drawing.width, drawing.height) == (200, 60)


def test_each_kind_of_problem_is_named_once():
    logo = f'{OPEN}><script/><script/><rect onclick="x"/><rect onclick="y"/></svg>'
    assert svg.check(logo.encode()).problems == [
        "has a <script>: a logo must not run code",
        "has an event handler (onclick=…): a logo must not run code",
    ]
