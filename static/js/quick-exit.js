/* Quick exit, after the GOV.UK "Exit this page" component's published behaviour.
   Without this script every quick-exit link still works: it goes to /exit, which
   clears our cookies and redirects. With it, the page is blanked at once and the
   current history entry replaced, so Back does not come back here. */
(function () {
  "use strict";
  var root = document.documentElement;
  var overlay = document.querySelector("[data-exit-overlay]");
  var status = document.querySelector("[data-exit-status]");
  var hint = document.querySelector("[data-exit-hint]");
  var first = document.querySelector("a[data-quick-exit]");
  if (!first || !overlay || !status) { return; }
  var exitUrl = first.getAttribute("href");

  function leave(event) {
    if (event) { event.preventDefault(); }
    root.classList.add("exiting");
    overlay.hidden = false;
    status.textContent = status.getAttribute("data-done");
    window.location.replace(exitUrl);
  }

  var links = document.querySelectorAll("a[data-quick-exit]");
  for (var i = 0; i < links.length; i++) { links[i].addEventListener("click", leave); }
  if (hint) { hint.hidden = false; }

  // Shift pressed three times, each press within 5 seconds of the one before.
  var presses = 0, timer = null;
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = 0; return; }
    presses += 1;
    clearTimeout(timer);
    if (presses >= 3) { presses = 0; leave(); return; }
    status.textContent = status.getAttribute(presses === 1 ? "data-two" : "data-one");
    timer = setTimeout(function () { presses = 0; status.textContent = ""; }, 5000);
  }, true);

  // If Back does bring the page out of the back/forward cache: a page that must not be
  // kept (the referral's, marked data-no-store) is asked for again, so the server decides
  // what it shows (once the answers are gone, no answers); any other page is shown again
  // rather than left blank. Chromium keeps no-store pages out of that cache today, and
  // /exit clears it, so this is the third line, for browsers that do neither.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && root.hasAttribute("data-no-store")) {
      window.location.reload();
    } else if (event.persisted) {
      root.classList.remove("exiting");
      overlay.hidden = true;
      status.textContent = "";
      presses = 0;
    }
  });

  // Error summaries take focus so screen reader users hear what went wrong first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
