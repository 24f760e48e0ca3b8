"""Is every number on the screen in its written order? (Right-to-left pages.)

In Arabic or Urdu text, a number written in groups ("0800 138 1625", "27 3 2026",
"07700 900 982") is split by the Unicode bidirectional algorithm at each space and its
groups are laid out right to left: "1625 138 0800". The link may still dial correctly
while the eye, or a hand copying it down, reads the wrong number.

This reads what chromium actually drew: for each run of digit groups in the page's
text, a Range per group and its left edge on the screen. Groups on one line must go
left to right in the order they are written. Numbers inside closed disclosures are
opened first so that they are measured too.
"""

from __future__ import annotations

# A "group" has a digit in it and may carry letters ("DE22", "1AB", "27Y8", "6pm");
# groups are joined by spaces, hyphens, dashes, slashes, colons or dots.
NUMBER_ORDER = r"""() => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const GROUP = "[A-Za-z0-9]*[0-9][A-Za-z0-9]*";
  const RUN = new RegExp(GROUP + "(?:[ \u00a0\\-\u2010-\u2013/:.]+" + GROUP + ")+", "g");
  const ONE = new RegExp(GROUP, "g");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.parentElement.closest("script, style, noscript, template")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const wrong = [];
  let checked = 0;
  // A time beside something else ("7 December 2026 12:41") is two things in a sentence,
  // not one number: their order follows the sentence's direction. Such a run is split at
  // its spaces and each part (the time "12:41", the date "27 3 2026") measured alone.
  const parts = (text, index) => (!/:/.test(text) || !/\s/.test(text)) ? [[text, index]]
    : [...text.matchAll(/\S+/g)].map(p => [p[0], index + p.index]);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const whole of node.data.matchAll(RUN)) for (const [text, index] of parts(whole[0], whole.index)) {
      const run = {0: text, index};
      const boxes = [];
      for (const group of text.matchAll(ONE)) {
        const range = document.createRange();
        range.setStart(node, run.index + group.index);
        range.setEnd(node, run.index + group.index + group[0].length);
        const box = range.getBoundingClientRect();
        if (box.width === 0) { boxes.length = 0; break; }  // not drawn (hidden)
        boxes.push({text: group[0], left: box.left, top: box.top, height: box.height});
      }
      if (boxes.length < 2) continue;
      checked += 1;
      for (let i = 1; i < boxes.length; i++) {
        const a = boxes[i - 1], b = boxes[i];
        const sameLine = Math.abs(a.top - b.top) < Math.min(a.height, b.height) / 2;
        if (sameLine && !(a.left < b.left)) {
          const shown = [...boxes].sort((x, y) => x.left - y.left).map(x => x.text).join(" ");
          wrong.push(`"${run[0]}" is shown as "${shown}" (in <${node.parentElement.tagName.toLowerCase()}>)`);
          break;
        }
      }
    }
  }
  const tel = [...document.querySelectorAll("a[href^='tel:']")].filter(a => a.getClientRects().length).length;
  return {wrong, checked, tel};
}"""


def numbers_in_order(page) -> dict:
    """{"wrong": [descriptions], "checked": runs of groups measured, "tel": tel: links drawn}."""
    return page.evaluate(NUMBER_ORDER)


def numbers_out_of_order(page, where: str) -> list[str]:
    """The numbers on this page shown out of their written order, described for a failure."""
    return [f"{where}: {w}" for w in numbers_in_order(page)["wrong"]]
