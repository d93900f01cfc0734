// The verifier's service worker (`/verify-sw.js`, registered by
// static/print-verify.js for the verifier pages only): after one visit, a
// certificate's QR code (`/verify/#VC1-…`) is checked with no network.
// Network first, always: online, the page sees the issuer's current status
// list and keys; offline, the last copies fetched. The status list's copy
// keeps the time it was fetched (`x-accolade-fetched`), so the verdict can
// say "not revoked as of" that time.
"use strict";

var CACHE = "accolade-verifier-v1";
var STAMP = "x-accolade-fetched";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("accolade-verifier-") === 0 && n !== CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

// A response stamped with the time it was fetched.
function stamped(response) {
  return response.blob().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set(STAMP, new Date().toISOString());
    return new Response(body, { status: response.status, statusText: response.statusText, headers: headers });
  });
}

// Fetches a same-origin URL and keeps a copy; the fragment never counts.
function refresh(request) {
  // A navigation's request cannot be re-issued with options; its URL can.
  var live = request.mode === "navigate" ? fetch(request.url, { cache: "no-store" }) : fetch(request, { cache: "no-store" });
  return live.then(function (response) {
    if (!response.ok || response.type !== "basic") return response;
    return stamped(response).then(function (copy) {
      return caches.open(CACHE).then(function (cache) {
        return cache.put(request, copy.clone()).then(function () { return copy; });
      });
    });
  });
}

// The page asks for what it needs offline (its scripts, style, the DID
// document, the status list, the contexts): kept now, refreshed on use.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "precache" || !Array.isArray(data.urls)) return;
  var own = data.urls.filter(function (u) {
    try { return new URL(u, self.location).origin === self.location.origin; } catch (e) { return false; }
  }).slice(0, 64);
  event.waitUntil(Promise.all(own.map(function (u) {
    return refresh(new Request(new URL(u, self.location).href)).catch(function () {});
  })).then(function () {
    if (event.source) event.source.postMessage({ type: "precached", count: own.length });
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(refresh(request).catch(function () {
    return caches.match(request, { ignoreSearch: false }).then(function (hit) {
      return hit || Response.error();
    });
  }));
});
