// The error summary (templates/includes/error_summary.html) takes the focus when the page
// opens, so a person on a phone sees at once that the form was not sent and what to fix
// (GOV.UK's error-summary pattern, issue 12). A link in it focuses its field.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.scrollIntoView({ block: "start" });
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) {
        return;
      }
      event.preventDefault();
      var holder = input.closest("fieldset, .field") || input;
      holder.scrollIntoView({ block: "start" });
      input.focus({ preventScroll: true });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
