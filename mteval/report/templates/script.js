(function () {
  "use strict";
  function value(row, key) {
    var cell = row.querySelector('[data-key="' + key + '"]');
    if (!cell) { return null; }
    var v = cell.getAttribute("data-v");
    var n = parseFloat(v);
    return isNaN(n) ? v : n;
  }
  function sortRows(table, key, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, key), y = value(b, key);
      if (x === y) { return 0; }
      if (x === null || x === "") { return 1; }
      if (y === null || y === "") { return -1; }
      var order = (x < y) ? -1 : 1;
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.setAttribute("data-sorted", key + (descending ? ":desc" : ":asc"));
  }
  var table = document.getElementById("doc-table");
  var select = document.getElementById("doc-sort");
  if (!table) { return; }
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
})();
