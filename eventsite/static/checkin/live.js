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

  function row(cells) {
    var tr = document.createElement("tr");
    cells.forEach(function (cell) {
      var td = document.createElement("td");
      if (cell instanceof Node) { td.appendChild(cell); } else { td.textContent = cell; }
      tr.appendChild(td);
    });
    return tr;
  }

  function refill(id, rows) {
    var body = document.querySelector("#" + id + " tbody");
    if (!body || !rows.length) { return; }  // an empty list keeps its "nobody" row
    while (body.firstChild) { body.removeChild(body.firstChild); }
    rows.forEach(function (tr) { body.appendChild(tr); });
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
    data.units.forEach(function (u) {
      var tr = document.querySelector('#live-units tr[data-unit="' + u.unit_id + '"]');
      if (!tr) { return; }
      tr.querySelector(".arrived").textContent = u.arrived;
      tr.querySelector(".expected").textContent = u.expected;
    });
    data.sessions.forEach(function (s) {
      var tr = document.querySelector('#live-sessions tr[data-session="' + s.session_id + '"]');
      if (!tr) { return; }
      tr.querySelector(".checked-in").textContent = s.checked_in;
      tr.querySelector(".full").classList.toggle("d-none", !s.full);
    });
    refill("live-recent", data.recent.map(function (a) {
      return row([a.name, a.unit, a.when, a.by, a.method, undoLink(a.checkin_id)]);
    }));
    refill("live-no-shows", data.no_shows.map(function (p) { return row([p.name, p.unit, p.role]); }));
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
