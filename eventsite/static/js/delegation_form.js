// Delegation form: add and remove people in the browser. Without this script the same form works
// with the "Add another person" button (the server returns one more row) and "Remove" boxes.
(function () {
  "use strict";
  var people = document.getElementById("people");
  var template = document.getElementById("person-template");
  var addButton = document.querySelector(".js-add-person");
  var counter = document.getElementById("people-count");
  if (!people || !template || !addButton) { return; }
  var max = parseInt(people.getAttribute("data-max"), 10) || 0;

  function rows() { return people.querySelectorAll(".js-person"); }

  function nextIndex() {
    var highest = -1;
    rows().forEach(function (row) {
      var n = parseInt(row.getAttribute("data-index"), 10);
      if (!isNaN(n) && n > highest) { highest = n; }
    });
    return highest + 1;
  }

  function refresh() {
    var list = rows();
    var label = people.getAttribute("data-label") || "";
    list.forEach(function (row, i) {
      var number = row.querySelector(".js-person-number");
      if (number) { number.textContent = label.replace("__n__", String(i + 1)); }
    });
    addButton.disabled = max > 0 && list.length >= max;
    var reached = document.getElementById("quota-reached");
    if (reached) { reached.hidden = !addButton.disabled; }  // the reason, in words next to it
    if (counter) {
      counter.textContent = (people.getAttribute("data-count") || "").replace("__n__", String(list.length));
    }
  }

  function wire(row) {
    var remove = row.querySelector(".js-remove-person");
    if (!remove) { return; }
    remove.hidden = false;
    remove.addEventListener("click", function () {
      row.parentNode.removeChild(row);
      refresh();
      addButton.focus();
    });
  }

  addButton.addEventListener("click", function (event) {
    event.preventDefault();
    if (max > 0 && rows().length >= max) { return; }
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__i__/g, String(nextIndex()));
    var row = holder.querySelector(".js-person");
    if (!row) { return; }
    people.appendChild(row);
    wire(row);
    refresh();
    var first = row.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
  });

  rows().forEach(wire);
  refresh();
})();
