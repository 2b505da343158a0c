// Show the province select for units in China and the free-text region for the others.
(function () {
  "use strict";
  var country = document.getElementById("country");
  if (!country) { return; }
  function update() {
    var inChina = country.value === "CN";
    document.querySelectorAll(".js-place-cn").forEach(function (el) { el.hidden = !inChina; });
    document.querySelectorAll(".js-place-other").forEach(function (el) { el.hidden = inChina; });
  }
  country.addEventListener("change", update);
  update();
})();
