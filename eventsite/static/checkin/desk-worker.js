/* The check-in desk's service worker: the desk opens without a connection.
 *
 * Scope /checkin/ (it is served from /checkin/desk-worker.js). Only two kinds of request are
 * answered: a desk page (/checkin/<event>, with or without ?session=) and the static files the
 * page uses. Both go to the network first, and a good answer is kept in the "eventsite-desk"
 * cache; without a connection the kept copy answers. Everything else (the roster, the scans,
 * other pages) is left to the browser: the desk keeps its own roster and queue (desk.js).
 */
"use strict";

var CACHE = "eventsite-desk";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function kept(request, url) {
  if (request.method !== "GET" || url.origin !== self.location.origin) { return false; }
  if (request.mode === "navigate") { return /^\/checkin\/\d+$/.test(url.pathname); }
  return url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (!kept(request, new URL(request.url))) { return; }
  event.respondWith(fetch(request).then(function (response) {
    var good = response.ok && !response.redirected && response.type === "basic";
    var copy = good ? response.clone() : null;
    // A desk the server no longer shows (signed out: a redirect to the login page; not staff of
    // the event any more: 404) is dropped, never kept in place of the desk.
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      if (good) { return cache.put(request, copy); }
      if (request.mode === "navigate") { return cache.delete(request); }
    }));
    return response;
  }).catch(function (error) {
    return caches.open(CACHE).then(function (cache) { return cache.match(request); })
      .then(function (found) { if (found) { return found; } throw error; });
  }));
});
