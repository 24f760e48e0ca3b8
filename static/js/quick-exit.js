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
  if (summary) {
    summary.focus();
    summary.addEventListener("click", showQuestionOf);
  }

  // A link in the summary moves focus to the field. Scrolled to on its own, the field sits
  // just below the sticky exit bar, with its question and its error message above the top
  // of the screen (a phone at the largest text). As GOV.UK's error summary does, bring the
  // question (the fieldset's legend, or the field's label) into view with it when both fit
  // on the screen, then focus the field without scrolling again.
  function showQuestionOf(event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    var fieldset = field.closest("fieldset");
    var question = (fieldset && fieldset.querySelector("legend")) ||
      document.querySelector("label[for='" + field.id + "']");
    if (!question) { return; }
    event.preventDefault();
    var bar = document.querySelector("[data-exit-bar]");
    var room = window.innerHeight - (bar ? bar.getBoundingClientRect().height : 0);
    var span = field.getBoundingClientRect().bottom - question.getBoundingClientRect().top;
    (span <= room ? question : field).scrollIntoView();  // scroll-padding keeps it below the bar
    field.focus({preventScroll: true});
    if (window.history && history.replaceState) { history.replaceState(null, "", link.getAttribute("href")); }
  }
})();
