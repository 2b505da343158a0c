// Session form: when the start moves, move the end with it (the session keeps its length).
(function () {
  "use strict";
  var start = document.getElementById("starts_at");
  var end = document.getElementById("ends_at");
  if (!start || !end) { return; }
  function parse(value) {
    var match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || "");
    return match ? Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5]) : null;
  }
  function format(ms) {
    return new Date(ms).toISOString().slice(0, 16);
  }
  var previous = parse(start.value);
  start.addEventListener("change", function () {
    var now = parse(start.value);
    var finish = parse(end.value);
    if (now !== null && previous !== null && finish !== null) {
      end.value = format(finish + (now - previous));
    }
    previous = now;
  });
})();
