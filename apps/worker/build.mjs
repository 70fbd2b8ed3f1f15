// The worker as it runs outside tests: bundled by esbuild into dist/main.js (our workspace
// packages' TypeScript compiled in, every npm dependency left as an import) and started by plain
// node. `node apps/worker/build.mjs` builds; npm start and the end-to-end run call buildWorker()
// and workerNodeArgs().
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));

/** `node` arguments that run the built worker. */
export function workerNodeArgs(extra = []) {
  return ["--enable-source-maps", ...extra, `${here}dist/main.js`];
}

export async function buildWorker() {
  const manifest = JSON.parse(readFileSync(`${here}package.json`, "utf8"));
  await build({
    absWorkingDir: here,
    entryPoints: { main: "src/main.ts" },
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
    banner: { js: `// ${manifest.name} ${manifest.version}, built by apps/worker/build.mjs: do not edit.` },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildWorker();
