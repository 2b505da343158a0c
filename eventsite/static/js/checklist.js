// Searchable checkbox lists (the checkbox_list macro): shows the filter box, hides the options
// whose label does not contain what was typed (ticked ones stay visible), and says how many are
// ticked. Without JavaScript the whole list shows and works.
(function () {
  "use strict";
  document.querySelectorAll("[data-checklist]:not([data-ready])").forEach(function (box) {
    box.setAttribute("data-ready", "");
    var filter = box.querySelector(".checklist-filter");
    var count = box.querySelector(".checklist-count");
    var options = Array.prototype.slice.call(box.querySelectorAll(".form-check"));
    function counted() {
      var n = box.querySelectorAll("input[type=checkbox]:checked").length;
      count.textContent = n === 0 ? "" : box.dataset.count.replace("{n}", n);
    }
    function filtered() {
      var wanted = filter.value.trim().toLowerCase();
      options.forEach(function (option) {
        var text = option.textContent.toLowerCase();
        var ticked = option.querySelector("input").checked;
        option.hidden = wanted !== "" && !ticked && text.indexOf(wanted) === -1;
      });
    }
    filter.hidden = options.length < 8;  // a short list needs no filter
    filter.addEventListener("input", filtered);
    // Enter in the filter must not submit the form.
    filter.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); } });
    box.addEventListener("change", counted);
    counted();
  });
})();
