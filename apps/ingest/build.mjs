// Ingest as it runs outside tests: bundled by esbuild into dist/ (one ESM file per entry point,
// our workspace packages' TypeScript compiled in, every npm dependency left as an import) and
// started by plain node with the flags below. Plain JavaScript spares the TypeScript
// loader's memory (~50 MB) and start-up. `node apps/ingest/build.mjs` builds; npm start, the
// end-to-end run and the benchmark call buildIngest() and ingestNodeArgs().
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

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
  const manifest = JSON.parse(readFileSync(`${here}package.json`, "utf8"));
  await build({
    absWorkingDir: here,
    entryPoints,
    outdir: "dist",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true,
    logLevel: "warning",
    plugins: [
      {
        name: "external-npm-packages",
        setup(context) {
          // npm packages are resolved from node_modules at run time; @rantai/* are bundled.
          context.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith("@rantai/") ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
    banner: { js: `// ${manifest.name} ${manifest.version}, built by apps/ingest/build.mjs: do not edit.` },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildIngest();
