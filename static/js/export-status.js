// The export status page: follows the export's progress until it is ready or failed.
(function () {
  var box = document.querySelector("[data-export]");
  if (!box || !window.fetch) return;
  // Browsers without scripts refresh the whole page instead (the <noscript> meta refresh).
  var bar = box.querySelector("[data-export-progress]");
  var label = box.querySelector("[data-export-status-label]");
  var count = box.querySelector("[data-export-count]");
  function poll() {
    fetch(box.getAttribute("data-progress-url"), {headers: {"Accept": "application/json"}, cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (bar && data.rows_total) { bar.max = data.rows_total; bar.value = data.rows_done; }
        label.textContent = data.status_label;
        if (data.rows_total) count.textContent = data.rows_done + " / " + data.rows_total;
        if (data.status === "queued" || data.status === "running") {
          setTimeout(poll, 1500);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
