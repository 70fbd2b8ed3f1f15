// Builds the console for production (`next build`) only when its sources changed since the
// last build: a hash of every source file it is built from is kept in the build directory, so
// removing the build directory also forces a rebuild. Node built-ins only.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root, say } from "./services.mjs";

const webDir = path.join(root, "apps", "web");
const buildDir = path.join(webDir, ".next");
const stampFile = path.join(buildDir, "rantai-source-hash");

/** What the console is built from; tests and browser tests do not change the build. */
const sourceRoots = ["apps/web", "packages/api", "packages/core", "packages/db", "packages/ui"];
const sourceFiles = ["package-lock.json", "package.json", "tsconfig.base.json"];
const skippedDirs = new Set(["node_modules", ".next", ".turbo", "dist", "e2e", "coverage", "test-results"]);
/** Written by the build itself; hashing them would make every build look out of date. */
const generatedFiles = new Set(["next-env.d.ts", "tsconfig.tsbuildinfo"]);
const isTest = (name) => /\.(test|integration-test)\.tsx?$/.test(name);

function listFiles(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skippedDirs.has(entry.name)) listFiles(path.join(dir, entry.name), out);
    } else if (entry.isFile() && !isTest(entry.name) && !generatedFiles.has(entry.name)) {
      out.push(path.join(dir, entry.name));
    }
  }
  return out;
}

/** sha256 over every source file's relative path and content, in a stable order. */
export function hashConsoleSources() {
  const files = [
    ...sourceRoots.flatMap((dir) => listFiles(path.join(root, dir), [])),
    ...sourceFiles.map((file) => path.join(root, file)).filter((file) => existsSync(file)),
  ]
    .map((file) => path.relative(root, file))
    .sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

function runAsync(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Runs `next build` unless the sources hash to the stamp left by the last successful build.
 * Asynchronous, so the caller's Ctrl-C handler still runs while it builds.
 */
export async function ensureConsoleBuild(env) {
  const sourceHash = hashConsoleSources();
  const built = existsSync(stampFile) ? readFileSync(stampFile, "utf8").trim() : null;
  if (built === sourceHash && existsSync(path.join(buildDir, "BUILD_ID"))) {
    say("console: production build is up to date");
    return;
  }
  say("console: sources changed since the last build; building for production (next build) …");
  const { code, signal } = await runAsync(path.join(root, "node_modules", ".bin", "next"), ["build"], {
    cwd: webDir,
    env: { ...process.env, ...env, NODE_ENV: "production" },
  });
  if (code !== 0) throw new Error(`next build failed (${signal ?? `exit ${code}`}); see its output above.`);
  writeFileSync(stampFile, `${sourceHash}\n`);
}
