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
      row.querySelectorAll(".js-person-number").forEach(function (number) {
        number.textContent = label.replace("__n__", String(i + 1));
      });
    });
    addButton.disabled = max > 0 && list.length >= max;
    var reached = document.getElementById("quota-reached");
    if (reached) { reached.hidden = !addButton.disabled; }  // the reason, in words next to it
    if (counter) {
      counter.textContent = (people.getAttribute("data-count") || "").replace("__n__", String(list.length));
    }
  }

  // The section's summary names the person and their role as they are typed, as the server
  // writes it (_person.html): "Given FAMILY 中文名", the Chinese name first on a Chinese page.
  function value(row, name) {
    var field = row.querySelector("[name$='-" + name + "']");
    return field ? field.value.trim() : "";
  }

  function rename(row) {
    var name = row.querySelector(".js-person-name");
    var role = row.querySelector(".js-person-role");
    var select = row.querySelector("select[name$='-role']");
    var latin = [value(row, "given_name"), value(row, "family_name").toUpperCase()].filter(Boolean).join(" ");
    var parts = document.documentElement.lang === "zh-Hans" ? [value(row, "name_zh"), latin] : [latin, value(row, "name_zh")];
    var full = parts.filter(Boolean).join(" ");
    if (name) { name.textContent = full ? " · " + full : ""; }
    if (role && select && select.selectedIndex >= 0) {
      role.textContent = " · " + select.options[select.selectedIndex].text;
    }
  }

  function wire(row) {
    row.addEventListener("input", function () { rename(row); });
    row.addEventListener("change", function () { rename(row); });
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
