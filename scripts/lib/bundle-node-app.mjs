// How ingest and the worker are built to run outside tests, in one place: esbuild bundles an
// app's entry points into its dist/ (one ESM file each, our workspace packages' TypeScript
// compiled in, every npm dependency left as an import resolved from node_modules at run time),
// so plain node starts them without the TypeScript loader's memory and start-up.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * Bundles `entryPoints` (output name → source path, relative to the app) of the app whose
 * build script is `buildScriptUrl` (its `import.meta.url`) into that app's dist/.
 */
export async function bundleNodeApp(buildScriptUrl, entryPoints) {
  const appDir = fileURLToPath(new URL(".", buildScriptUrl));
  const manifest = JSON.parse(readFileSync(path.join(appDir, "package.json"), "utf8"));
  const script = path.relative(path.resolve(appDir, "..", ".."), fileURLToPath(buildScriptUrl));
  await build({
    absWorkingDir: appDir,
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
    banner: { js: `// ${manifest.name} ${manifest.version}, built by ${script}: do not edit.` },
  });
}

/** Whether the build script at `buildScriptUrl` is the one node was started with (`node build.mjs`). */
export function isMainScript(buildScriptUrl) {
  return Boolean(process.argv[1]) && fileURLToPath(buildScriptUrl) === path.resolve(process.argv[1]);
}
