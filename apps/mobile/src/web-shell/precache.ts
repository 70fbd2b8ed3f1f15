/**
 * What the web build's service worker keeps so that a reload with no signal still opens the
 * app: every file of the export (the HTML shell, the bundle, its images) under a version made
 * from their contents. A new build has a new version, so its worker fills a new cache and drops
 * the old one; an unchanged build keeps the same version and nothing is fetched again.
 * Pure: the build script (scripts/web-shell/write-service-worker.ts) reads and hashes the files.
 */

/** A file of the export: its path under dist ("_expo/static/js/web/entry-….js") and the SHA-256 of its bytes. */
export interface ExportedFile {
  path: string;
  sha256: string;
}

export interface PrecacheEntry {
  /** Absolute URL path on the app's origin: "/index.html". */
  url: string;
  /** Content hash, so an entry that changes changes the shell's version. */
  revision: string;
  /** The name carries a content hash: the same URL always holds the same bytes (served cache-first). */
  immutable: boolean;
}

export interface ShellManifest {
  version: string;
  entries: PrecacheEntry[];
}

/** The worker's own script, and the build's report to tooling, are not part of the shell. */
export const SERVICE_WORKER_FILE = "sw.js";
const notInShell = [/^sw\.js$/, /\.map$/, /^metadata\.json$/, /(^|\/)\./];

/** "entry-923a…f5.js", "error.d1ea…b7.png", "close-icon.808e…b1@2x.png": Expo's content-hashed names. */
const contentHashedName = /[.-][0-9a-f]{32}(@\d+(\.\d+)?x)?\.[A-Za-z0-9]+$/;

export function isImmutableUrl(url: string): boolean {
  return contentHashedName.test(url);
}

/**
 * The manifest for a set of exported files: sorted by URL, so the same build always gives the
 * same version whatever order the disk listed them in. `hashText` is SHA-256 of a string (hex),
 * given by the caller to keep this module free of Node.
 */
export function buildShellManifest(files: readonly ExportedFile[], hashText: (text: string) => string): ShellManifest {
  const entries = files
    .map((file) => ({ path: file.path.split("\\").join("/"), sha256: file.sha256 }))
    .filter(({ path }) => !notInShell.some((pattern) => pattern.test(path)))
    .map(({ path, sha256 }) => ({ url: `/${path}`, revision: sha256, immutable: isImmutableUrl(path) }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  if (!entries.some((entry) => entry.url === "/index.html")) {
    throw new Error("the export has no index.html: is this a web build?");
  }
  const version = hashText(entries.map((entry) => `${entry.url} ${entry.revision}`).join("\n")).slice(0, 16);
  return { version, entries };
}
