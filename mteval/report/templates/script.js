(function () {
  "use strict";

  // -- the documents table: sorting -------------------------------------------------------
  function value(row, key) {
    var cell = row.querySelector('[data-key="' + key + '"]');
    if (!cell) { return null; }
    var v = cell.getAttribute("data-v");
    // a number only when the whole cell is one: parseFloat reads "2024-02-11-debat" as 2024
    var n = Number(v);
    return (v === null || v === "" || isNaN(n)) ? v : n;
  }
  function sortRows(table, key, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, key), y = value(b, key);
      if (x === y) { return 0; }
      if (x === null || x === "") { return 1; }
      if (y === null || y === "") { return -1; }
      // numbers among numbers, everything else as text (a number against a string compares false both ways)
      var numeric = typeof x === "number" && typeof y === "number";
      var order = numeric ? ((x < y) ? -1 : 1) : String(x).localeCompare(String(y));
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.setAttribute("data-sorted", key + (descending ? ":desc" : ":asc"));
  }
  var table = document.getElementById("doc-table");
  var select = document.getElementById("doc-sort");
  if (table) {
    if (select) {
      select.addEventListener("change", function () {
        var parts = select.value.split(":");
        sortRows(table, parts[0], parts[1] === "desc");
      });
    }
    Array.prototype.forEach.call(table.querySelectorAll("button.sort"), function (button) {
      button.addEventListener("click", function () {
        var key = button.getAttribute("data-key");
        var current = table.getAttribute("data-sorted") || "";
        var descending = current !== key + ":desc";
        sortRows(table, key, descending);
        if (select) { select.value = ""; }
      });
    });
    table.setAttribute("data-ready", "1");
  }

  // -- the editor's review: decisions in local storage, exported as JSON ---------------------
  var LABELS = { confirmed: "confirmed", false_alarm: "false alarm" };
  var storageKey = document.body.getAttribute("data-review-key") || "mteval-review";
  var notes = Array.prototype.slice.call(document.querySelectorAll("li.note.reviewable"));

  function keyOf(li) {
    var section = li.closest("section.doc");
    return JSON.stringify([section ? section.getAttribute("data-doc-id") : "", li.getAttribute("data-div-id")]);
  }
  function stored() {
    try {
      var data = JSON.parse(window.localStorage.getItem(storageKey) || "{}");
      return (data && typeof data === "object") ? data : {};
    } catch (e) { return {}; }
  }
  function store(local) {
    try { window.localStorage.setItem(storageKey, JSON.stringify(local)); } catch (e) { /* private mode: keep in memory */ }
  }
  // decisions recorded in the results (an earlier review), overridden by this browser's own
  var local = stored();
  function decisionOf(li) {
    var mine = local[keyOf(li)];
    if (mine) { return mine; }
    return { decision: li.getAttribute("data-review") || "", note: li.getAttribute("data-review-note") || "" };
  }
  function decisions() {
    var out = [];
    notes.forEach(function (li) {
      var d = decisionOf(li);
      if (d.decision) {
        var key = JSON.parse(keyOf(li));
        out.push({ doc_id: key[0], divergence_id: key[1], kind: li.getAttribute("data-kind"),
                   decision: d.decision, note: d.note || "" });
      }
    });
    return out;
  }
  function exported() {
    return { schema: "mteval.review", schema_version: 1,
             corpus_fingerprint: document.body.getAttribute("data-fingerprint") || "",
             decisions: decisions() };
  }
  function paint(li) {
    var d = decisionOf(li);
    li.classList.remove("rv-confirmed", "rv-false_alarm");
    if (d.decision) { li.classList.add("rv-" + d.decision); }
    Array.prototype.forEach.call(li.querySelectorAll("button.rv"), function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-decision") === d.decision ? "true" : "false");
    });
    var input = li.querySelector("input.rv-note");
    if (input && document.activeElement !== input) { input.value = d.note || ""; }
    var status = li.querySelector(".rv-status");
    if (status) { status.textContent = d.decision ? "you: " + LABELS[d.decision] : ""; }
  }
  function summarise() {
    var all = decisions();
    var alarms = all.filter(function (d) { return d.decision === "false_alarm"; }).length;
    var count = document.getElementById("review-count");
    if (count) {
      count.textContent = all.length ? all.length + " decision" + (all.length === 1 ? "" : "s") + " (" + alarms +
        " false alarm" + (alarms === 1 ? "" : "s") + ", " + (all.length - alarms) + " confirmed)." : "No decisions yet.";
    }
    var pre = document.getElementById("review-json");
    if (pre) { pre.textContent = JSON.stringify(exported(), null, 1); }
    document.body.setAttribute("data-review-decisions", String(all.length));
  }
  function decide(li, decision, note) {
    var current = decisionOf(li);
    local[keyOf(li)] = { decision: decision, note: note === undefined ? (current.note || "") : note };
    store(local);
    paint(li);
    summarise();
  }
  notes.forEach(function (li) {
    Array.prototype.forEach.call(li.querySelectorAll("button.rv"), function (button) {
      button.addEventListener("click", function () {
        var chosen = button.getAttribute("data-decision");
        decide(li, decisionOf(li).decision === chosen ? "" : chosen);  // a second click takes it back
      });
    });
    var input = li.querySelector("input.rv-note");
    if (input) {
      input.addEventListener("change", function () { decide(li, decisionOf(li).decision, input.value); });
    }
    paint(li);
  });
  var exportButton = document.getElementById("review-export");
  if (exportButton) {
    exportButton.addEventListener("click", function () {
      var data = exported();
      var blob = new Blob([JSON.stringify(data, null, 1) + "\n"], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "review-" + (data.corpus_fingerprint || "mteval").slice(0, 12) + ".json";
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    });
  }
  var clearButton = document.getElementById("review-clear");
  if (clearButton) {
    clearButton.addEventListener("click", function () {
      local = {};
      try { window.localStorage.removeItem(storageKey); } catch (e) { /* nothing stored */ }
      notes.forEach(paint);
      summarise();
    });
  }
  summarise();
  document.body.setAttribute("data-review-ready", "1");
})();
