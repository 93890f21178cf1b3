// index.html's one script, inlined into the page: click (or Enter on) a header to sort a
// table by that column, again to reverse.
(function () {
  var UNITS = { k: 1e3, M: 1e6, G: 1e9, ns: 1e-9, "µs": 1e-6, ms: 1e-3, s: 1, B: 1,
    kB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1048576, GiB: 1073741824, "%": 1 };
  var NUM = /^([\u2212-]?\d{1,3}(?: \d{3})+(?:\.\d+)?|[\u2212-]?\d+(?:\.\d+)?)\s*([A-Za-zµ%]*)/;
  function key(cell) {
    var t = cell.textContent.trim(), m = t.match(NUM);
    if (!m) return null;
    var v = parseFloat(m[1].replace(/ /g, "").replace("\u2212", "-"));
    return v * (UNITS[m[2]] || 1);
  }
  function compare(a, b) {
    var x = key(a), y = key(b);
    if (x !== null && y !== null) return x - y;
    if (x !== null) return -1;
    if (y !== null) return 1;
    return a.textContent.localeCompare(b.textContent);
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, i) {
      th.tabIndex = 0;
      th.title = "sort by this column";
      function sort() {
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var dir = th.dataset.dir === "asc" ? -1 : 1;
        Array.prototype.forEach.call(heads, function (h) { delete h.dataset.dir; });
        th.dataset.dir = dir > 0 ? "asc" : "desc";
        rows.sort(function (a, b) { return dir * compare(a.cells[i], b.cells[i]); });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  });
})();
