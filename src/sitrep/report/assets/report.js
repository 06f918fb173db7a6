// sitrep report: inlined into report.html; the page's CSP allows only this script (by hash).
// Reads nothing from the network and writes only element visibility, never markup.
(function () {
  "use strict";

  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });

  // Filter: every whitespace-separated term must occur in the row's text.
  var table = document.getElementById("doc-table");
  var box = document.getElementById("doc-filter");
  var count = document.getElementById("doc-count");
  if (table && box) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
    var details = rows.map(function (r) { return document.getElementById("doc-" + r.dataset.doc); });
    var apply = function () {
      var terms = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var hit = terms.every(function (t) { return texts[i].indexOf(t) !== -1; });
        row.hidden = !hit;
        if (details[i]) details[i].hidden = !hit;
        if (hit) shown++;
      });
      count.textContent = terms.length ? shown + " of " + rows.length + " shown" : rows.length + " documents";
    };
    box.addEventListener("input", apply);
    apply();
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-action]");
    if (button) {
      var open = button.dataset.action === "expand";
      document.querySelectorAll("details.doc").forEach(function (d) { if (!d.hidden) d.open = open; });
    }
    var a = e.target.closest('a[href^="#doc-"]');
    if (a) openTarget(a.getAttribute("href").slice(1));
  });

  // A link to a document opens its details, which start closed.
  function openTarget(id) {
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.hidden = false; el.open = true; }
  }
  function fromHash() {
    try { openTarget(decodeURIComponent(location.hash.slice(1))); } catch (err) { /* malformed hash */ }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
