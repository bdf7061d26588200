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

  // A provision's conversation opens in place under it; the link still leads to the
  // conversation's own page (with its form) when scripts are off or the fetch fails.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.fb-link");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var provision = link.closest(".provision");
    if (!provision) return;
    var open = provision.querySelector(":scope > .thread-inline");
    if (open) { open.remove(); link.setAttribute("aria-expanded", "false"); event.preventDefault(); return; }
    event.preventDefault();
    // One conversation open at a time: their forms share ids.
    document.querySelectorAll(".thread-inline").forEach(function (other) { other.remove(); });
    document.querySelectorAll("a.fb-link[aria-expanded=true]").forEach(function (other) {
      other.setAttribute("aria-expanded", "false");
    });
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var box = document.createElement("div");
        box.className = "thread-inline";
        ["section.thread", "section.feedback-form"].forEach(function (selector) {
          var part = doc.querySelector(selector);
          if (part) box.appendChild(document.importNode(part, true));
        });
        // After the provision's own points, so a clause stays together with them.
        provision.appendChild(box);
        link.setAttribute("aria-expanded", "true");
        // Bring it into view: on a phone a clause's points can push it a screen or more
        // below the link. A conversation with comments opens at its start, with the focus on
        // its heading (the reader reads, then Tab leads on to the form); an empty one at its
        // form, with the focus in the comment field.
        var field = box.querySelector("textarea");
        var heading = box.querySelector("h2");
        if (box.querySelector("article.comment") || !field) {
          box.scrollIntoView({ block: "start" });
          if (heading) {
            heading.setAttribute("tabindex", "-1");
            heading.focus({ preventScroll: true });
          }
        } else {
          if (box.getBoundingClientRect().height <= window.innerHeight) {
            box.scrollIntoView({ block: "nearest" });
          } else {
            field.scrollIntoView({ block: "center" });
          }
          field.focus({ preventScroll: true });
        }
      })
      .catch(function () { window.location.href = link.href; });
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
