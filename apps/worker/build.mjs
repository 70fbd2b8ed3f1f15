// The worker as it runs outside tests: bundled into dist/main.js by the build shared with ingest
// (scripts/lib/bundle-node-app.mjs) and started by plain node. `node apps/worker/build.mjs`
// builds; npm start and the end-to-end run call buildWorker() and workerNodeArgs().
import { fileURLToPath } from "node:url";
import { bundleNodeApp, isMainScript } from "../../scripts/lib/bundle-node-app.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));

/** `node` arguments that run the built worker. */
export function workerNodeArgs(extra = []) {
  return ["--enable-source-maps", ...extra, `${here}dist/main.js`];
}

export async function buildWorker() {
  await bundleNodeApp(import.meta.url, { main: "src/main.ts" });
}

if (isMainScript(import.meta.url)) await buildWorker();
