// The organizers' live check-in page: every 5 seconds, read live.json and put its numbers, the
// latest check-ins and the people not arrived on the page. Text only (textContent), no HTML.
(function () {
  "use strict";
  var box = document.getElementById("live");
  if (!box || !window.fetch) { return; }

  function text(id, value) {
    var node = document.getElementById(id);
    if (node) { node.textContent = String(value); }
  }

  // Each cell gets its column's name (data-label), as the server's rows do: on a phone the
  // table is a stack of cards that shows it (core/templating.cell_labels).
  function row(cells, labels) {
    var tr = document.createElement("tr");
    cells.forEach(function (cell, n) {
      var td = document.createElement("td");
      if (cell instanceof Node) { td.appendChild(cell); } else { td.textContent = cell; }
      if (labels[n]) { td.dataset.label = labels[n]; }
      if (cell === "") { td.dataset.blank = ""; }
      tr.appendChild(td);
    });
    return tr;
  }

  function refill(id, items, cellsOf) {
    var body = document.querySelector("#" + id + " tbody");
    if (!body || !items.length) { return; }  // an empty list keeps its "nobody" row
    var labels = Array.prototype.map.call(document.querySelectorAll("#" + id + " thead th"), function (th) {
      return th.querySelector(".visually-hidden") ? "" : th.textContent.trim();
    });
    while (body.firstChild) { body.removeChild(body.firstChild); }
    items.forEach(function (item) { body.appendChild(row(cellsOf(item), labels)); });
  }

  function undoLink(id) {
    var a = document.createElement("a");
    a.href = box.dataset.undo.replace(/\/0\/undo$/, "/" + id + "/undo");
    a.textContent = box.dataset.undoLabel;
    return a;
  }

  function show(data) {
    text("live-arrived", data.arrived);
    text("live-expected", data.expected);
    text("live-no-show-count", data.no_shows.length);
    // The whole table, not only the rows already there: a walk-in's unit may be new to the event.
    refill("live-units", data.units, function (u) { return [u.name, u.arrived, u.expected]; });
    document.querySelectorAll("#live-units tbody tr").forEach(function (tr, n) {
      var u = data.units[n];
      if (!u || tr.cells.length < 3) { return; }
      tr.dataset.unit = u.unit_id;
      tr.cells[1].classList.add("arrived");
      tr.cells[2].classList.add("expected");
    });
    data.sessions.forEach(function (s) {
      var tr = document.querySelector('#live-sessions tr[data-session="' + s.session_id + '"]');
      if (!tr) { return; }
      tr.querySelector(".checked-in").textContent = s.checked_in;
      tr.querySelector(".full").classList.toggle("d-none", !s.full);
    });
    refill("live-recent", data.recent, function (a) {
      return [a.name, a.unit, a.when, a.by, a.method, undoLink(a.checkin_id)];
    });
    refill("live-no-shows", data.no_shows, function (p) { return [p.name, p.unit, p.role]; });
  }

  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { show(data); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 5000);
}());
