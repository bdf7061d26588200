// A link marked data-history-back goes back in the browser's history when there is one, so a
// form the person filled in comes back with what they typed; without JavaScript (or with no
// history) it is an ordinary link to the same page.
(function () {
  "use strict";
  document.querySelectorAll("a[data-history-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  });
})();
