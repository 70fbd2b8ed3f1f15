import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildShellManifest, isImmutableUrl } from "./precache";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const bundle = "_expo/static/js/web/entry-923a27c97b1343a03fca473c4f0243f5.js";
const build = [
  { path: "index.html", sha256: sha256("<html>one</html>") },
  { path: bundle, sha256: sha256("bundle one") },
  { path: "assets/__node_modules/expo-router/assets/error.d1ea1496f9057eb392d5bbf3732a61b7.png", sha256: "a" },
  { path: "register-service-worker.js", sha256: "b" },
  { path: "sw.js", sha256: "c" },
  { path: `${bundle}.map`, sha256: "d" },
  { path: "metadata.json", sha256: "e" },
];

describe("the web build's offline shell", () => {
  it("keeps every file the app opens with, not the worker itself, source maps or build metadata", () => {
    const { entries } = buildShellManifest(build, sha256);
    expect(entries.map((entry) => entry.url)).toEqual([
      `/${bundle}`,
      "/assets/__node_modules/expo-router/assets/error.d1ea1496f9057eb392d5bbf3732a61b7.png",
      "/index.html",
      "/register-service-worker.js",
    ]);
    expect(entries.filter((entry) => entry.immutable).map((entry) => entry.url)).toHaveLength(2);
  });

  it("has one version per build: the same files in any order give it, one changed byte gives a new one", () => {
    const { version } = buildShellManifest(build, sha256);
    expect(buildShellManifest([...build].reverse(), sha256).version).toBe(version);
    const newShell = build.map((file) =>
      file.path === "index.html" ? { ...file, sha256: sha256("<html>two</html>") } : file,
    );
    expect(buildShellManifest(newShell, sha256).version).not.toBe(version);
    // A change outside the shell (a source map) is no new version.
    const newMap = build.map((file) => (file.path.endsWith(".map") ? { ...file, sha256: "z" } : file));
    expect(buildShellManifest(newMap, sha256).version).toBe(version);
  });

  it("serves only content-hashed names cache-first", () => {
    expect(isImmutableUrl(bundle)).toBe(true);
    expect(isImmutableUrl("assets/close-icon.808e1b1b9b53114ec2838071a7e6daa7@2x.png")).toBe(true);
    expect(isImmutableUrl("index.html")).toBe(false);
    expect(isImmutableUrl("register-service-worker.js")).toBe(false);
    expect(isImmutableUrl("favicon.ico")).toBe(false);
  });

  it("refuses an export without its HTML shell", () => {
    expect(() => buildShellManifest([{ path: bundle, sha256: "x" }], sha256)).toThrow(/index\.html/);
  });
});
