// The live count of the issuing page: asks the server how many units the current selection
// covers whenever it changes. The "Preview" button gives the same numbers without JavaScript.
(function () {
  "use strict";
  var box = document.getElementById("unit-selection");
  var out = document.getElementById("live-count");
  if (!box || !out || !window.fetch || !window.URLSearchParams) { return; }
  var timer = null;
  function refresh() {
    var params = new URLSearchParams();
    box.querySelectorAll("input, select").forEach(function (field) {
      if (!field.name) { return; }
      if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.selectedOptions, function (o) { params.append(field.name, o.value); });
      } else if ((field.type === "checkbox" || field.type === "radio") && field.checked) {
        params.append(field.name, field.value === "on" ? "y" : field.value);
      }
    });
    fetch(box.dataset.countUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counts) {
        if (!counts) { return; }
        out.textContent = out.dataset.template.replace(/\{(\w+)\}/g, function (_m, key) {
          return String(counts[key] !== undefined ? counts[key] : "");
        });
      })
      .catch(function () { /* offline: the Preview button still counts */ });
  }
  box.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 150);
  });
  refresh();
})();
