import { describe, expect, it } from "vitest";
import { checkImportRules, findImportCycles, parseImports, type SourceFile, splitSpecifier } from "./check";

/** The workspace in miniature: package.json files declaring names and exports, as the real ones do. */
const manifests: SourceFile[] = [
  {
    path: "packages/core/package.json",
    text: JSON.stringify({ name: "@rantai/core", exports: { "./stock": "x", "./rules": "x", "./coldchain/*": "x" } }),
  },
  { path: "packages/api/package.json", text: JSON.stringify({ name: "@rantai/api", exports: { ".": "x" } }) },
  {
    path: "packages/db/package.json",
    text: JSON.stringify({ name: "@rantai/db", exports: { ".": "x", "./schema": "x" } }),
  },
  { path: "apps/ingest/package.json", text: JSON.stringify({ name: "@rantai/ingest" }) },
  { path: "apps/web/package.json", text: JSON.stringify({ name: "@rantai/web" }) },
  { path: "apps/mobile/package.json", text: JSON.stringify({ name: "@rantai/mobile" }) },
];

/** The rules broken by a workspace holding the given files besides the manifests. */
function rulesBrokenBy(...files: SourceFile[]): string[] {
  return checkImportRules([...manifests, ...files]).map((violation) => violation.rule);
}

const file = (path: string, text: string): SourceFile => ({ path, text });

describe("parseImports", () => {
  it("finds static, re-exported, dynamic, required and type-position imports, and which are type-only", () => {
    const found = parseImports(
      file(
        "a.ts",
        [
          'import type { AppRouter } from "@rantai/api";',
          'import { z } from "zod";',
          'import { type Only } from "./mixed";',
          'export * from "./barrel";',
          'export type { T } from "./types";',
          'const lazy = () => import("./lazy");',
          'const old = require("./old");',
          'type Router = typeof import("./router");',
        ].join("\n"),
      ),
    );
    expect(found.map(({ specifier, typeOnly, line }) => [specifier, typeOnly, line])).toEqual([
      ["@rantai/api", true, 1],
      ["zod", false, 2],
      // Only `import type` is certain to be erased by every compiler; inline `type` markers are not.
      ["./mixed", false, 3],
      ["./barrel", false, 4],
      ["./types", true, 5],
      ["./lazy", false, 6],
      ["./old", false, 7],
      ["./router", true, 8],
    ]);
  });

  it("splits a specifier into its package and subpath", () => {
    expect(splitSpecifier("@rantai/core/coldchain/alarms")).toEqual({
      packageName: "@rantai/core",
      subpath: "./coldchain/alarms",
    });
    expect(splitSpecifier("@rantai/api")).toEqual({ packageName: "@rantai/api", subpath: "." });
    expect(splitSpecifier("next/server")).toEqual({ packageName: "next", subpath: "./server" });
  });
});

describe("checkImportRules", () => {
  it("accepts a workspace that keeps every rule", () => {
    expect(
      checkImportRules([
        ...manifests,
        file("apps/ingest/src/main.ts", 'import { x } from "@rantai/core/stock";\nimport { db } from "@rantai/db";'),
        file(
          "apps/mobile/src/a.ts",
          'import type { AppRouter } from "@rantai/api";\nimport { r } from "@rantai/core/rules";',
        ),
        file(
          "apps/web/src/page.tsx",
          'import { appRouter } from "@rantai/api";\nimport { a } from "@rantai/core/coldchain/alarms";',
        ),
        file("packages/core/src/stock/a.ts", 'import { b } from "./b";\nimport { t } from "@rantai/db/schema";'),
        file("packages/core/src/stock/b.ts", 'import { z } from "zod";'),
        file("packages/db/src/a.ts", 'import { sql } from "drizzle-orm";'),
        file("bench/ingest.ts", 'import { build } from "../apps/ingest/build.mjs";'),
      ]),
    ).toEqual([]);
  });

  it("refuses the API in ingest and worker processes", () => {
    expect(rulesBrokenBy(file("apps/ingest/src/a.ts", 'import { ackAlarm } from "@rantai/api";'))).toEqual([
      "workers-not-routers",
    ]);
    expect(rulesBrokenBy(file("apps/worker/src/a.ts", 'import type { AppRouter } from "@rantai/api";'))).toEqual([
      "workers-not-routers",
    ]);
  });

  it("lets the phone take only types from the API and only the pure rules from core", () => {
    expect(rulesBrokenBy(file("apps/mobile/src/a.ts", 'import { appRouter } from "@rantai/api";'))).toEqual([
      "phone-api-types-only",
    ]);
    expect(rulesBrokenBy(file("apps/mobile/app/b.tsx", 'import { type AppRouter } from "@rantai/api";'))).toEqual([
      "phone-api-types-only",
    ]);
    expect(rulesBrokenBy(file("apps/mobile/src/c.ts", 'import { findBalances } from "@rantai/core/stock";'))).toEqual([
      "phone-pure-rules-only",
    ]);
  });

  it("keeps core below the API, tRPC, Next.js and the apps", () => {
    for (const specifier of [
      "@rantai/api",
      "@trpc/server",
      "next/server",
      "@rantai/web",
      "../../../../apps/web/src/x",
    ]) {
      expect(
        rulesBrokenBy(file("packages/core/src/stock/a.ts", `import { x } from "${specifier}";`)),
        specifier,
      ).toContain("core-below-api");
    }
  });

  it("keeps db at the bottom", () => {
    expect(rulesBrokenBy(file("packages/db/src/a.ts", 'import { x } from "@rantai/core/stock";'))).toEqual([
      "db-at-the-bottom",
    ]);
    expect(rulesBrokenBy(file("packages/db/src/b.ts", 'import type { AppRouter } from "@rantai/api";'))).toEqual([
      "db-at-the-bottom",
    ]);
  });

  it("refuses deep imports past a package's exports, by name or by relative path", () => {
    expect(rulesBrokenBy(file("packages/api/src/a.ts", 'import { x } from "@rantai/core/stock/ledger";'))).toEqual([
      "package-exports-only",
    ]);
    expect(
      rulesBrokenBy(file("apps/web/src/a.ts", 'import { x } from "../../../packages/core/src/stock/ledger";')),
    ).toEqual(["package-exports-only"]);
    expect(rulesBrokenBy(file("apps/web/src/b.ts", 'import { x } from "@rantai/db/src/schema/stock";'))).toEqual([
      "package-exports-only",
    ]);
  });

  it("reports an import cycle with its files, type-only edges included", () => {
    const violations = checkImportRules([
      ...manifests,
      file("packages/core/src/kernel/change-log.ts", 'import type { PostedEntry } from "../stock/ledger";'),
      file("packages/core/src/stock/ledger.ts", 'import { recordLedgerOutbox } from "../kernel/change-log";'),
    ]);
    expect(violations.map((violation) => violation.rule)).toEqual(["no-import-cycles"]);
    expect(violations[0]?.message).toContain(
      "packages/core/src/kernel/change-log.ts -> packages/core/src/stock/ledger.ts -> packages/core/src/kernel/change-log.ts",
    );
  });
});

describe("findImportCycles", () => {
  it("names the shortest loop of a longer cycle and resolves index files and extensions", () => {
    const files = [
      file("packages/api/src/a.ts", 'import { b } from "./b";'),
      file("packages/api/src/b.ts", 'import { c } from "./c/index.js";'),
      file("packages/api/src/c/index.ts", 'import { a } from "../a";\nimport { d } from "../d";'),
      file("packages/api/src/d.ts", 'import { z } from "zod";'),
    ];
    expect(findImportCycles(files, ["packages/api/src"])).toEqual([
      ["packages/api/src/a.ts", "packages/api/src/b.ts", "packages/api/src/c/index.ts", "packages/api/src/a.ts"],
    ]);
  });

  it("finds a file that imports itself and ignores cycles outside the roots", () => {
    expect(
      findImportCycles([file("packages/core/src/self.ts", 'export * from "./self";')], ["packages/core/src"]),
    ).toEqual([["packages/core/src/self.ts", "packages/core/src/self.ts"]]);
    const outside = [file("apps/web/src/a.ts", 'import "./b";'), file("apps/web/src/b.ts", 'import "./a";')];
    expect(findImportCycles(outside, ["packages/core/src"])).toEqual([]);
  });
});
