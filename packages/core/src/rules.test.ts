import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * `@rantai/core/rules` is bundled into the phone app. Anything server-only reached from it (a
 * Node built-in, the database, Redis, password hashing, the logger, the API) would break the
 * phone's build or drag server code onto devices, so this walks every import the entry reaches,
 * type-only ones included, and names the chain that leads to each forbidden one.
 */

const srcDir = dirname(fileURLToPath(import.meta.url));
const packageDir = dirname(srcDir);
const selfName = "@rantai/core";

const serverOnlyPackages = [
  "@rantai/db",
  "@rantai/api",
  "drizzle-orm",
  "mysql2",
  "ioredis",
  "pino",
  "rate-limiter-flexible",
];

function isServerOnly(specifier: string): boolean {
  if (specifier.startsWith("node:") || specifier.startsWith("@node-rs/")) return true;
  const bare = specifier.split("/")[0] ?? specifier;
  if (builtinModules.includes(bare)) return true;
  return serverOnlyPackages.some((name) => specifier === name || specifier.startsWith(`${name}/`));
}

function resolveSource(base: string): string | null {
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), base.replace(/\.js$/, ".ts")];
  return candidates.find((candidate) => candidate.endsWith(".ts") && existsSync(candidate)) ?? null;
}

/** The file a `@rantai/core/...` self-import names, through the package's own `exports`. */
function resolveSelf(specifier: string): string | null {
  const manifest: unknown = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  const exportsMap =
    typeof manifest === "object" && manifest !== null && "exports" in manifest ? manifest.exports : undefined;
  if (typeof exportsMap !== "object" || exportsMap === null) return null;
  const target: unknown = Object.entries(exportsMap).find(
    ([subpath]) => specifier === `${selfName}${subpath.slice(1)}`,
  )?.[1];
  return typeof target === "string" ? resolve(packageDir, target) : null;
}

export interface ForbiddenImport {
  specifier: string;
  /** Source files from the entry to the one that imports `specifier`, relative to src. */
  chain: string[];
}

/** Every server-only import reachable from `entry`, each with the first chain found that reaches it. */
export function forbiddenImportsFrom(entry: string): ForbiddenImport[] {
  const found: ForbiddenImport[] = [];
  const seen = new Set<string>();
  const queue: { file: string; chain: string[] }[] = [{ file: entry, chain: [relative(srcDir, entry)] }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { file, chain } = next;
    if (seen.has(file)) continue;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (isServerOnly(specifier)) {
        found.push({ specifier, chain });
        continue;
      }
      const target = specifier.startsWith(".")
        ? resolveSource(resolve(dirname(file), specifier))
        : specifier.startsWith(`${selfName}/`)
          ? resolveSelf(specifier)
          : null;
      if (target === null && (specifier.startsWith(".") || specifier.startsWith(`${selfName}/`))) {
        throw new Error(`${chain.join(" -> ")} imports ${specifier}, which does not resolve to a source file`);
      }
      if (target !== null) queue.push({ file: target, chain: [...chain, relative(srcDir, target)] });
    }
  }
  return found;
}

function describeAll(imports: readonly ForbiddenImport[]): string[] {
  return imports.map(({ specifier, chain }) => `${chain.join(" -> ")} imports ${specifier}`);
}

describe("@rantai/core/rules", () => {
  it("reaches nothing server-only, so the phone can bundle it", () => {
    const entry = resolveSelf(`${selfName}/rules`);
    expect(entry, "package.json exports ./rules").toBe(join(srcDir, "rules.ts"));
    expect(
      describeAll(forbiddenImportsFrom(join(srcDir, "rules.ts"))),
      "server-only imports reachable from @rantai/core/rules; move the rule into a pure module or the import out of it",
    ).toEqual([]);
  });

  it("names the chain when a module does reach server-only code", () => {
    // recordUsage is the server's side of the same rule: it reaches the database and Node.
    const reached = describeAll(forbiddenImportsFrom(join(srcDir, "stock", "usage.ts")));
    expect(reached).toContain("stock/usage.ts -> kernel/idempotency.ts imports @rantai/db");
    expect(reached).toContain("stock/usage.ts -> kernel/idempotency.ts imports node:timers/promises");
  });
});
