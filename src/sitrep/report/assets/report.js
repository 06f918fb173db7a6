// sitrep report: inlined into report.html; the page's CSP allows only this script (by hash).
// Reads nothing from the network and writes only element visibility and highlights, never markup.
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
    var spanned = e.target.closest("[data-span]");
    if (spanned) {
      showSpans(spanned, e);
      return;
    }
    var a = e.target.closest('a[href^="#"]');
    if (a) openTarget(a.getAttribute("href").slice(1));
  });

  // A link to a document's details or a story's briefing opens it: both start closed.
  function openTarget(id) {
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.hidden = false; el.open = true; }
  }
  // data-span="start:end,..." names character offsets (code points) into a
  // document's text; paint them with the CSS Custom Highlight API, which writes
  // no markup (older browsers: select the first one instead).
  function showSpans(el, e) {
    var href = el.getAttribute("href");
    var details = href ? document.getElementById(href.slice(1)) : el.closest("details.doc");
    if (!details) return;
    if (href) e.preventDefault();
    openTarget(details.id);
    var box = document.getElementById("text-" + details.id.slice(4));
    var spans = el.dataset.span.split(",").map(function (p) { return p.split(":").map(Number); });
    var ranges = box ? toRanges(box, spans) : [];
    if (!ranges.length) {
      details.scrollIntoView();
      return;
    }
    // A spun document's restored view: the same spans, carried over its substitutions.
    var restored = document.getElementById("restored-" + details.id.slice(4));
    var also = restored ? toRanges(restored, toRestored(restored.dataset.map, spans)) : [];
    if (window.CSS && CSS.highlights && window.Highlight) {
      var h = new Highlight();
      ranges.concat(also).forEach(function (r) { h.add(r); });
      CSS.highlights.set("sitrep-span", h);
    } else {
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(ranges[0]);
    }
    var rect = ranges[0].getBoundingClientRect();
    window.scrollBy(0, rect.top - window.innerHeight / 3);
  }

  // data-map="start:end:length,..." lists the published spans a restoration replaced (in order)
  // and the restored words' length: a published offset moves by the length changes before it,
  // and one inside a replaced word snaps to that word's edge in the restored text.
  function toRestored(map, spans) {
    var subs = map ? map.split(",").map(function (p) { return p.split(":").map(Number); }) : [];
    var carry = function (p, atEnd) {
      var shift = 0;
      for (var i = 0; i < subs.length; i++) {
        var s = subs[i];
        if (p >= s[1]) shift += s[2] - (s[1] - s[0]);
        else if (p > s[0]) return s[0] + shift + (atEnd ? s[2] : 0);
        else break;
      }
      return p + shift;
    };
    return spans.map(function (s) { return [carry(s[0], false), carry(s[1], true)]; });
  }

  // One walk over the text nodes, counting code points as sitrep's offsets do
  // (JavaScript strings count UTF-16 units); spans past the shown text are dropped.
  function toRanges(box, spans) {
    var points = [];
    spans.forEach(function (s) { if (s[0] < s[1]) points.push(s[0], s[1]); });
    var order = points.slice().sort(function (a, b) { return a - b; });
    var at = {}, i = 0, cp = 0, node;
    var walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    while (i < order.length && (node = walker.nextNode())) {
      var s = node.data, u = 0;
      while (i < order.length) {
        while (cp < order[i] && u < s.length) {
          var c = s.charCodeAt(u);
          u += c >= 0xd800 && c <= 0xdbff && u + 1 < s.length ? 2 : 1;
          cp++;
        }
        if (cp !== order[i]) break;
        at[order[i]] = [node, u];
        i++;
      }
    }
    var ranges = [];
    for (var k = 0; k + 1 < points.length; k += 2) {
      var from = at[points[k]], to = at[points[k + 1]];
      if (!from || !to) continue;
      var r = document.createRange();
      r.setStart(from[0], from[1]);
      r.setEnd(to[0], to[1]);
      ranges.push(r);
    }
    return ranges;
  }

  function fromHash() {
    try { openTarget(decodeURIComponent(location.hash.slice(1))); } catch (err) { /* malformed hash */ }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
