import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/*
 * `npm run bench:mobile`
 *
 * The size of the phone app's web build: every JavaScript file under apps/mobile/dist, which
 * `npm run build -w @rantai/mobile` (expo export --platform web) writes. When dist is missing it is
 * built first; after changing the app, rebuild it yourself (or delete dist) before measuring, as
 * an existing dist is measured as it is. Raw bytes are what the phone parses (the target
 * is 1.5 MB, i.e. 1536 KiB); gzipped (level 9, as bench:api counts the console's) is what it
 * downloads. The last lines are one figure each:
 *   phone web bundle KiB: N
 *   phone web bundle gzip KiB: N
 */

const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const distDir = join(rootDir, "apps/mobile/dist");

if (!existsSync(distDir)) {
  console.log("apps/mobile/dist is missing: building the phone's web build (npm run build -w @rantai/mobile)");
  const build = spawnSync("npm", ["run", "build", "-w", "@rantai/mobile"], { cwd: rootDir, stdio: "inherit" });
  if (build.status !== 0) throw new Error(`the phone's web build failed (exit ${build.status ?? build.signal})`);
}

function scriptsUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return scriptsUnder(path);
    return entry.isFile() && entry.name.endsWith(".js") ? [path] : [];
  });
}

const scripts = scriptsUnder(distDir).sort();
if (scripts.length === 0) throw new Error(`no JavaScript under ${distDir}: is it a web build?`);

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
let rawBytes = 0;
let gzipBytes = 0;
for (const script of scripts) {
  const content = readFileSync(script);
  const gzipped = gzipSync(content, { level: 9 }).length;
  rawBytes += content.length;
  gzipBytes += gzipped;
  console.log(`${relative(distDir, script)}: ${kib(content.length)} KiB, gzip ${kib(gzipped)} KiB`);
}
console.log(`phone web bundle KiB: ${kib(rawBytes)}`);
console.log(`phone web bundle gzip KiB: ${kib(gzipBytes)}`);
