// Detect the viewer's time zone once and tell the server, so event times are also shown in it.
// Runs only while nothing is remembered (no choice in this session, no zone set on the account);
// the zone form beside it stays usable without JavaScript.
(function () {
  "use strict";
  var form = document.getElementById("viewer-zone-form");
  if (!form || form.dataset.remembered !== "0" || !window.fetch) { return; }
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) { return; }
  var triedKey = "eventsite.viewerZoneTried";
  try {
    if (window.sessionStorage.getItem(triedKey) === zone) { return; }  // never loop on a refusal
    window.sessionStorage.setItem(triedKey, zone);
  } catch (e) { /* storage disabled: the server remembers a success, so no loop either */ }
  var body = new FormData();
  var token = form.querySelector("input[name=csrf_token]");  // only there when logged in
  if (token) { body.append("csrf_token", token.value); }
  body.append("timezone", zone);
  body.append("auto", "1");
  fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
    .then(function (response) {
      if (response.ok && zone !== form.dataset.current) { window.location.reload(); }
    })
    .catch(function () { /* offline or refused: times stay in the event's zone and the default */ });
})();
