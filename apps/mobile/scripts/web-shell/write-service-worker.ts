// After `expo export --platform web`: adds the offline shell to dist. Writes dist/sw.js (the
// worker with the manifest of every exported file and a version from their contents) and
// dist/register-service-worker.js, and has index.html load the latter. Runs with no network.
// Usage: tsx scripts/web-shell/write-service-worker.ts [distDir]   (default: ../../dist)
import { createHash } from "node:crypto";
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { buildShellManifest, SERVICE_WORKER_FILE } from "../../src/web-shell/precache";

const here = import.meta.dirname;
const distDir = resolve(process.argv[2] ?? join(here, "..", "..", "dist"));
const REGISTER_FILE = "register-service-worker.js";
const registerTag = `<script src="/${REGISTER_FILE}" defer></script>`;

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

const indexPath = join(distDir, "index.html");
const html = readFileSync(indexPath, "utf8");
if (!html.includes(registerTag)) {
  if (!html.includes("</body>")) throw new Error(`${indexPath} has no </body> to add the worker's registration before`);
  writeFileSync(indexPath, html.replace("</body>", `  ${registerTag}\n</body>`));
}
copyFileSync(join(here, REGISTER_FILE), join(distDir, REGISTER_FILE));

const manifest = buildShellManifest(
  filesUnder(distDir).map((path) => ({ path: relative(distDir, path), sha256: sha256(readFileSync(path)) })),
  sha256,
);
const worker = readFileSync(join(here, "service-worker.js"), "utf8");
writeFileSync(join(distDir, SERVICE_WORKER_FILE), `self.RANTAI_SHELL = ${JSON.stringify(manifest)};\n${worker}`);
console.log(
  `Offline shell ${manifest.version}: ${manifest.entries.length} files in ${relative(process.cwd(), join(distDir, SERVICE_WORKER_FILE))}`,
);
