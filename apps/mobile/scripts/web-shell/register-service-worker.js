// Added to the exported index.html by the build (write-service-worker.ts), so only the
// production web build registers the worker; the dev server never serves this file.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch((error) => {
      // Without a worker the app still runs online; it only will not open offline.
      console.warn("The offline shell could not be installed", error);
    });
  });
}
