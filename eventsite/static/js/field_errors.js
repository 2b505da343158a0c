// Links every form error to its field, so a screen reader reads the error with the field:
// the error gets an id, the field aria-describedby (kept, and added to) and aria-invalid.
// Forms rendered by our own macros already do this on the server; this covers the fields
// that Bootstrap-Flask's render_field draws (it puts the error beside the field, unlinked).
(function () {
  "use strict";
  var n = 0;
  document.querySelectorAll(".invalid-feedback").forEach(function (error) {
    var group = error.parentElement;
    var field = group && group.querySelector(".is-invalid, [aria-invalid=true]");
    if (!field) return;
    if (!error.id) error.id = (field.id || "field-" + (++n)) + "-error";
    var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (described.indexOf(error.id) === -1) described.push(error.id);
    field.setAttribute("aria-describedby", described.join(" "));
    field.setAttribute("aria-invalid", "true");
  });
})();
