/* The check-in desk (templates/checkin/desk.html, docs/onsite/desk.md).
 *
 * The camera reads badge QR codes (the browser's BarcodeDetector where it has one, else the vendored
 * jsQR); a search of the roster kept on the phone is the fallback. Every scan goes to a queue in
 * localStorage first and is sent from there: offline scans stay on the phone, are counted on the
 * page, and are sent again on the `online` event and every few seconds. The server settles each
 * scan and answers with the person's card, which replaces the card shown from the local roster.
 */
(function () {
  "use strict";

  var root = document.getElementById("desk");
  if (!root) { return; }
  var data = root.dataset;
  var session = data.session ? Number(data.session) : null;
  var QUEUE_KEY = "eventsite.checkin.queue." + data.event;
  var ROSTER_KEY = "eventsite.checkin.roster." + data.event;
  var DEVICE_KEY = "eventsite.checkin.device";
  var DESK_CACHE = "eventsite-desk";  // the cache desk-worker.js answers from
  var REPEAT_MS = 3000;     // the same code seen again within this time is the same scan
  var RETRY_MS = 4000;      // how often waiting scans are sent again
  var ROSTER_MS = 60000;    // how often the roster is fetched again
  var FRAME_MS = 150;       // time between two decoded frames
  var BATCH = 200;          // scans per upload (the server takes up to 500)

  var $ = function (id) { return document.getElementById(id); };
  var video = $("desk-video");
  var canvas = document.createElement("canvas");
  var roster = load(ROSTER_KEY, { people: [], sessions: [] });
  var byCode = index(roster);
  var sending = false;
  var shownId = null;
  var last = { code: "", at: 0 };
  var detector = null;

  function load(key, fallback) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (e) { return fallback; }
  }

  function save(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full: kept in memory */ }
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function deviceName() {
    var name = window.localStorage.getItem(DEVICE_KEY);
    if (!name) {
      name = "phone-" + uuid().slice(0, 8);
      try { window.localStorage.setItem(DEVICE_KEY, name); } catch (e) { /* a name for this visit */ }
    }
    return name;
  }

  function index(list) {
    var map = {};
    (list.people || []).forEach(function (p) { map[p.code] = p; });
    return map;
  }

  /* The badge's code in what the camera read: the address's last segment, or the bare code
     (checkin.services.code_from_scan). */
  function codeFrom(text) {
    text = (text || "").trim();
    var path = text;
    if (text.indexOf("://") >= 0) {
      try { path = new URL(text).pathname; } catch (e) { path = text; }
    }
    var parts = path.replace(/\/+$/, "").split("/");
    var code = parts[parts.length - 1];
    return /^[A-Za-z0-9_-]{1,64}$/.test(code) ? code : "";
  }

  // --- the queue -------------------------------------------------------------------------------

  function queue() { return load(QUEUE_KEY, []); }

  function showQueue() {
    var waiting = queue().length;
    var box = $("desk-queue");
    box.hidden = waiting === 0;
    var text = waiting === 1 ? data.tWaitingOne : data.tWaitingMany;
    box.textContent = text.replace(/\d+/, String(waiting));
    box.dataset.count = String(waiting);
  }

  function scan(text, method) {
    var item = { id: uuid(), code: text, at: new Date().toISOString(), session: session,
                 device: deviceName(), method: method };
    var waiting = queue();
    waiting.push(item);
    save(QUEUE_KEY, waiting);
    shownId = item.id;
    showLocal(codeFrom(text));
    showQueue();
    send();
  }

  function send() {
    var waiting = queue();
    if (sending || waiting.length === 0) { return; }
    sending = true;
    var batch = waiting.slice(0, BATCH);
    fetch(data.scansUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrf, "Accept": "application/json" },
      body: JSON.stringify({ scans: batch })
    }).then(function (response) {
      if (!response.ok || response.redirected) {  // redirected: to the login page, the session ended
        if (response.redirected || (response.status !== 413 && response.status < 500)) { refused(); }
        throw new Error("upload refused: " + response.status);
      }
      return response.json();
    }).then(function (answer) {
      var sent = {};
      batch.forEach(function (item) { sent[item.id] = true; });
      save(QUEUE_KEY, queue().filter(function (item) { return !sent[item.id]; }));
      answer.results.forEach(settled);
      if (answer.sessions) { roster.sessions = answer.sessions; showCapacity(); }
      save(ROSTER_KEY, roster);
    }).catch(function () { /* offline or refused: the scans stay in the queue */ })
      .then(function () {
        sending = false;
        showQueue();
        if (queue().length > 0 && queue().length !== waiting.length && navigator.onLine) { send(); }
      });
  }

  function refused() {
    if (shownId === null) { return; }
    $("desk-result").textContent = data.tRefused;
  }

  function settled(result) {
    var card = result.card;
    if (card && card.code && byCode[card.code] && session === null) {
      byCode[card.code].in = card.in;
    }
    if (result.id === shownId) { showCard(card, result.message, result.result); }
  }

  // --- the card ----------------------------------------------------------------------------------

  function showLocal(code) {
    var person = byCode[code];
    if (!person) { showCard(null, data.tNotListed, "local"); return; }
    var message = data.tSaved;
    if (person.in && session === null) {
      message = data.tAlready.replace("{time}", person.in.at).replace("{name}", person.in.by);
    }
    showCard(person, message, "local");
  }

  function showCard(person, message, result) {
    var card = $("desk-card");
    card.hidden = false;
    card.className = "desk-card card mb-3 " + (
      result === "checked_in" ? "result-checked_in" : result === "already" ? "result-already"
        : result === "local" ? "result-local" : "result-bad");
    card.dataset.result = result;
    $("desk-result").textContent = message;
    var fields = { "desk-name-zh": "name_zh", "desk-name-latin": "name_latin", "desk-unit-zh": "unit_zh",
                   "desk-unit-en": "unit_en", "desk-role": "role_label", "desk-status": "status_label" };
    Object.keys(fields).forEach(function (id) { $(id).textContent = person ? (person[fields[id]] || "") : ""; });
    var role = person ? "role-" + person.role : "";
    $("desk-band").className = "desk-band " + role;
    $("desk-role").className = "badge " + role;
    $("desk-role").hidden = !person;
    var needs = $("desk-needs");
    needs.textContent = "";
    if (person) {
      [["dietary", data.tDietary], ["accessibility", data.tAccessibility], ["notes", data.tNotes]]
        .forEach(function (pair) {
          if (person[pair[0]]) {
            var item = document.createElement("li");
            item.textContent = pair[1] + ": " + person[pair[0]];
            needs.appendChild(item);
          }
        });
    }
  }

  function showCapacity() {
    var box = $("desk-capacity");
    if (session === null) { box.textContent = ""; return; }
    var found = (roster.sessions || []).filter(function (s) { return s.id === session; })[0];
    if (!found || !found.capacity) { box.textContent = found ? String(found.count) : ""; return; }
    box.textContent = found.count + " / " + found.capacity + (found.count >= found.capacity ? " · " + data.tFull : "");
  }

  // --- search ------------------------------------------------------------------------------------

  function search() {
    var words = $("desk-search").value.trim().toLowerCase();
    var list = $("desk-matches");
    list.textContent = "";
    if (!words) { return; }
    var found = (roster.people || []).filter(function (p) {
      return [p.name_zh, p.name_latin, p.unit_zh, p.unit_en].join(" ").toLowerCase().indexOf(words) >= 0;
    }).slice(0, 20);
    if (found.length === 0) {
      var none = document.createElement("li");
      none.className = "text-muted";
      none.textContent = data.tNoMatch;
      list.appendChild(none);
    }
    found.forEach(function (p) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-dark desk-matches-item";
      button.dataset.code = p.code;
      button.textContent = [p.name_zh, p.name_latin].filter(Boolean).join(" · ") + " — " + (p.unit_zh || p.unit_en);
      button.addEventListener("click", function () {
        $("desk-search").value = "";
        list.textContent = "";
        scan(p.code, "search");
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  // --- the camera --------------------------------------------------------------------------------

  function decoded(text) {
    var code = codeFrom(text) || text;  // any other QR code is sent too: the answer says "unknown badge"
    var now = Date.now();
    if (!text || (code === last.code && now - last.at < REPEAT_MS)) { last.at = now; return; }
    last = { code: code, at: now };
    scan(text, "scan");
  }

  function readFrame() {
    if (video.readyState < 2 || !video.videoWidth) { return Promise.resolve(); }
    if (detector) {
      return detector.detect(video).then(function (codes) {
        if (codes.length) { decoded(codes[0].rawValue); }
      });
    }
    if (typeof window.jsQR !== "function") { return Promise.resolve(); }
    var scale = Math.min(1, 640 / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    if (found && found.data) { decoded(found.data); }
    return Promise.resolve();
  }

  function loop() {
    readFrame().catch(function () { /* a frame that cannot be read */ })
      .then(function () { window.setTimeout(loop, FRAME_MS); });
  }

  function noCamera() {
    $("desk-camera-hint").textContent = data.tNoCamera;
    $("desk-camera-start").hidden = false;
  }

  function chooseDecoder() {
    if (!("BarcodeDetector" in window)) { return Promise.resolve(null); }
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    }).catch(function () { return null; });
  }

  var looping = false;

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { noCamera(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        $("desk-camera-start").hidden = true;
        return Promise.resolve(video.play()).catch(function () { /* autoplay: muted, plays anyway */ });
      })
      .then(chooseDecoder)
      .then(function (found) {
        detector = found;
        root.dataset.decoder = found ? "BarcodeDetector" : "jsQR";
        if (!looping) { looping = true; loop(); }
      })
      .catch(noCamera);
  }

  // --- the roster --------------------------------------------------------------------------------

  function fetchRoster() {
    return fetch(data.rosterUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.redirected) { forget(); }  // to the login page: signed out, nothing stays here
        if (!response.ok || response.redirected) { throw new Error("roster: " + response.status); }
        if (response.headers.get("X-CSRFToken")) { data.csrf = response.headers.get("X-CSRFToken"); }
        return response.json();
      })
      .then(function (fresh) {
        roster = fresh;
        byCode = index(roster);
        save(ROSTER_KEY, roster);
        showCapacity();
        root.dataset.roster = String((roster.people || []).length);
      })
      .catch(function () { /* offline: the copy kept on the phone */ });
  }

  // --- opening without a connection -----------------------------------------------------------

  // The service worker (desk-worker.js) keeps the desk page and its files for the next opening
  // without a connection. The files this page loaded came before the worker: they are kept here.
  function keepForOffline() {
    if (!("serviceWorker" in navigator) || !window.caches) { return; }
    navigator.serviceWorker.register(data.workerUrl).then(function () {
      var files = [window.location.pathname + (session ? "?session=" + session : "")];
      document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (node) {
        files.push(node.href || node.src);
      });
      return window.caches.open(DESK_CACHE).then(function (cache) { return cache.addAll(files); });
    }).then(function () {
      root.dataset.offline = "1";
      $("desk-offline").hidden = false;
    }).catch(function () { /* no worker (private window, old browser): the desk needs the network to open */ });
  }

  // Signed out: the kept pages and the list of people go; scans still waiting stay to be sent.
  function forget() {
    try { window.localStorage.removeItem(ROSTER_KEY); } catch (e) { /* nothing kept */ }
    if (window.caches) { window.caches.delete(DESK_CACHE); }
  }

  $("desk-search").addEventListener("input", search);
  $("desk-camera-start").addEventListener("click", startCamera);
  $("desk-door").addEventListener("change", function () { this.form.submit(); });
  // Back online: a page opened from the kept copy carries an old CSRF token; the roster brings a new one.
  window.addEventListener("online", function () { fetchRoster().then(send); });
  window.setInterval(send, RETRY_MS);
  window.setInterval(fetchRoster, ROSTER_MS);
  showQueue();
  showCapacity();
  fetchRoster().then(function () {
    root.dataset.ready = "1";
    if (data.code) {
      scan(data.code, "scan");
      window.history.replaceState(null, "", window.location.pathname + (session ? "?session=" + session : ""));
    }
    send();
  });
  keepForOffline();
  startCamera();
}());
