// Ingest as it runs outside tests: bundled into dist/ by the build shared with the worker
// (scripts/lib/bundle-node-app.mjs, one ESM file per entry point) and started by plain node with
// the flags below. `node apps/ingest/build.mjs` builds; npm start, the end-to-end run and the
// benchmark call buildIngest() and ingestNodeArgs().
import { fileURLToPath } from "node:url";
import { bundleNodeApp, isMainScript } from "../../scripts/lib/bundle-node-app.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const entryPoints = {
  main: "src/main.ts",
  "broker-auth": "src/broker-auth/main.ts",
  simulator: "src/simulator/main.ts",
};

/**
 * Node flags for ingest, from the storm benchmark (npm run bench:ingest -- --full):
 * - --max-semi-space-size=32: a flush's rows live through a few database round trips, long
 *   enough to outlive V8's default 16 MB young generation and be copied into the old one; with
 *   32 MB they die young (less GC time per reading).
 * - --max-old-space-size=384: the live heap stays small (connections × one message, the sensor
 *   caches), but left to itself V8 lets garbage pile up under sustained load (peak RSS 340 MB);
 *   a 384 MB ceiling makes it collect sooner (216 MB) at a few per cent of throughput.
 */
export const INGEST_V8_FLAGS = ["--max-semi-space-size=32", "--max-old-space-size=384", "--enable-source-maps"];

/** `node` arguments that run one of the built entry points (`main`, `broker-auth`, `simulator`). */
export function ingestNodeArgs(entry = "main", extra = []) {
  if (!(entry in entryPoints)) throw new Error(`unknown ingest entry point ${entry}`);
  return [...INGEST_V8_FLAGS, ...extra, `${here}dist/${entry}.js`];
}

export async function buildIngest() {
  await bundleNodeApp(import.meta.url, entryPoints);
}

if (isMainScript(import.meta.url)) await buildIngest();
