import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkImportRules, formatViolations, isSourceFile, type SourceFile } from "./check";

const repositoryRoot = path.resolve(import.meta.dirname, "../../../..");
/** Build output, dependencies and tool caches: not source. */
const skippedFolders = new Set(["node_modules", "dist", "build", "coverage", "ios", "android"]);

function collect(relativeDir: string, into: SourceFile[]): void {
  for (const entry of readdirSync(path.join(repositoryRoot, relativeDir), { withFileTypes: true })) {
    const relativePath = path.posix.join(relativeDir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(".") && !skippedFolders.has(entry.name)) collect(relativePath, into);
    } else if (entry.isFile() && (isSourceFile(entry.name) || entry.name === "package.json")) {
      into.push({ path: relativePath, text: readFileSync(path.join(repositoryRoot, relativePath), "utf8") });
    }
  }
}

function repositorySources(): SourceFile[] {
  const files: SourceFile[] = [];
  for (const area of ["apps", "packages"]) {
    for (const entry of readdirSync(path.join(repositoryRoot, area), { withFileTypes: true })) {
      if (entry.isDirectory()) collect(`${area}/${entry.name}`, files);
    }
  }
  collect("bench", files);
  return files;
}

describe("the repository's imports", () => {
  it("scans the apps, the packages and bench", () => {
    const paths = repositorySources().map((file) => file.path);
    // A scan that silently found nothing would pass every rule.
    expect(paths).toContain("packages/core/src/import-rules/check.ts");
    expect(paths).toContain("apps/ingest/package.json");
    expect(paths.some((file) => file.startsWith("apps/mobile/"))).toBe(true);
    expect(paths.some((file) => file.startsWith("bench/"))).toBe(true);
  });

  it("keep the layers, the package boundaries and no cycles", () => {
    const violations = checkImportRules(repositorySources());
    // Printed one per line, so a failure names each file, line and rule (rules: ARCHITECTURE.md).
    expect(formatViolations(violations)).toBe("");
  });
});
