#!/usr/bin/env node
// Serves the static web export (dist/) for local checks and e2e runs, with the
// SPA fallback that `web.output: "single"` needs: unknown paths get index.html
// so deep links such as /fridges boot the router.
// Usage: node scripts/serve-web.mjs [port]   (or PORT=8081; DIST_DIR to override)
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

// biome-ignore lint/style/noProcessEnv: a local dev tool, configured like any other server.
const { PORT, DIST_DIR } = process.env;
const root = resolve(DIST_DIR ?? join(fileURLToPath(new URL(".", import.meta.url)), "..", "dist"));
const port = Number(process.argv[2] ?? PORT ?? 8081);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`Invalid port: ${process.argv[2] ?? PORT}`);
  process.exit(1);
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".ttf": "font/ttf",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

async function fileAt(path) {
  try {
    const info = await stat(path);
    return info.isFile() ? path : null;
  } catch {
    return null;
  }
}

const server = createServer(async (req, res) => {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" }).end();
    return;
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  // Resolve inside root only, so "/../" cannot read files outside dist.
  const candidate = normalize(join(root, pathname));
  const inside = candidate === root || candidate.startsWith(root + sep);
  const file = (inside && (await fileAt(candidate))) || (await fileAt(join(root, "index.html")));
  if (!file) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("dist/index.html not found: run the web export first.\n");
    return;
  }
  const hashed = file.includes(`${sep}_expo${sep}static${sep}`);
  res.writeHead(200, {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    // Bundles are content-hashed; index.html must always be revalidated.
    "Cache-Control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
  });
  if (req.method === "HEAD") res.end();
  else createReadStream(file).pipe(res);
});

server.listen(port, () => console.log(`Serving ${root} at http://localhost:${port}`));
