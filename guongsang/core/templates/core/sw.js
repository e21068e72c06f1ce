// Gương Sáng's service worker: pages a form asked to keep (quick entry) open without signal;
// static files are served from the cache once seen. Entries typed offline are queued by
// gs/js/offline.js in IndexedDB and sent by the page when the connection returns; this worker
// never sends anything itself.
var CACHE = "gs-offline-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); })
      );
    }).then(function () { return self.clients.claim(); })
  );
});

// {keep: [page paths and static URLs]} from a page that works offline; {forget: true} at logout.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.forget) {
    event.waitUntil(caches.delete(CACHE));
  } else if (data.keep) {
    var reply = event.ports && event.ports[0];
    event.waitUntil(
      caches.open(CACHE).then(function (cache) { return cache.addAll(data.keep); }).then(
        function () { if (reply) { reply.postMessage("kept"); } },
        function () { if (reply) { reply.postMessage("failed"); } }
      )
    );
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(
      caches.open(CACHE).then(function (cache) {
        return cache.match(request).then(function (hit) {
          return hit || fetch(request).then(function (response) {
            if (response.ok) {
              cache.put(request, response.clone());
            }
            return response;
          });
        });
      })
    );
    return;
  }
  if (request.mode === "navigate") {
    // The network first; without it, a kept copy of the same page (query string ignored).
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok && !response.redirected && !url.search) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) {
            return cache.match(url.pathname).then(function (kept) {
              if (kept) {
                return cache.put(url.pathname, copy);
              }
            });
          });
        }
        return response;
      }).catch(function () {
        return caches.open(CACHE).then(function (cache) {
          return cache.match(url.pathname).then(function (kept) {
            return kept || Response.error();
          });
        });
      })
    );
  }
});
