// Progressive enhancement for the draft page: copy a provision's permanent link, highlight and
// scroll to the provision a link points at, print a single article. The page works without it.
(function () {
  "use strict";

  function highlight(id) {
    document.querySelectorAll(".is-highlighted").forEach(function (el) {
      el.classList.remove("is-highlighted");
    });
    if (!id) return;
    var el = document.getElementById(decodeURIComponent(id));
    if (!el) return;
    el.classList.add("is-highlighted");
    el.scrollIntoView({ block: "start" });
  }

  function toast(message) {
    var box = document.querySelector(".copy-toast");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
    window.clearTimeout(box._timer);
    box._timer = window.setTimeout(function () { box.hidden = true; }, 2000);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.permalink");
    if (!link) return;
    var url = link.href;
    var box = document.querySelector(".copy-toast");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () {
        toast(box ? box.dataset.copied : url);
      }, function () { /* the link itself still works */ });
    }
  });

  window.addEventListener("hashchange", function () { highlight(location.hash.slice(1)); });
  if (location.hash) highlight(location.hash.slice(1));

  // On a phone the table of contents folds away, so the reader reaches the text at once;
  // on a wide screen (and without JavaScript) it stands open beside the text.
  var toc = document.querySelector("details[data-toc]");
  if (toc && !window.matchMedia("(min-width: 64rem)").matches && !location.hash) toc.open = false;

  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }
})();
