// The phone web build's service worker. The build (write-service-worker.ts) puts the shell's
// manifest before this code as `self.RANTAI_SHELL`: { version, entries: [{ url, revision, immutable }] }.
//
// - The HTML shell: network first, so an online reload gets a new build at once; with no
//   network, or none within a few seconds (a weak signal), the cached shell, for any path of
//   the app (deep links such as /fridges open the router, as the server's fallback does).
// - Content-hashed files (the bundle, images): cache first; their bytes never change.
// - API calls are never answered from here: the app keeps its own offline store, which sign-out
//   wipes, and a copy of a user's data in the worker's cache would outlive it.
// - Each build has its own cache, filled at install; activation deletes the other builds'.
const shell = self.RANTAI_SHELL;
const CACHE_PREFIX = "rantai-shell-";
const cacheName = `${CACHE_PREFIX}${shell.version}`;
const SHELL_URL = "/index.html";
/** How long a navigation waits for the network before the cached shell opens instead. */
const NETWORK_WAIT_MS = 4000;
const precached = new Map(shell.entries.map((entry) => [entry.url, entry]));

async function fetchFresh(url) {
  // Past the HTTP cache, so the stored copy is the build's own, not an older one the browser kept.
  const response = await fetch(new Request(url, { cache: "reload" }));
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      for (const entry of shell.entries) {
        // A hashed file an earlier build already holds is the same file: no second download.
        const kept = entry.immutable ? await caches.match(entry.url) : undefined;
        await cache.put(entry.url, kept ?? (await fetchFresh(entry.url)));
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== cacheName).map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

function cachedShell() {
  return caches.open(cacheName).then((cache) => cache.match(SHELL_URL));
}

async function openShell(request) {
  const network = fetch(request);
  // Settled later than the timeout or never awaited: its failure is the cached shell's cue, not an error.
  network.catch(() => undefined);
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), NETWORK_WAIT_MS));
  try {
    const response = await Promise.race([network, timeout]);
    if (response?.ok) return response;
    return (await cachedShell()) ?? response ?? (await network);
  } catch {
    return (await cachedShell()) ?? Response.error();
  }
}

async function cacheFirst(request, url) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(url.pathname);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && precached.has(url.pathname)) await cache.put(url.pathname, response.clone());
  return response;
}

async function networkFirst(request, url) {
  try {
    return await fetch(request);
  } catch (error) {
    const hit = await caches.open(cacheName).then((cache) => cache.match(url.pathname));
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  // The API (another origin, or /api here) goes to the network untouched.
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(openShell(request));
  } else if (precached.get(url.pathname)?.immutable) {
    event.respondWith(cacheFirst(request, url));
  } else if (precached.has(url.pathname)) {
    event.respondWith(networkFirst(request, url));
  }
});
