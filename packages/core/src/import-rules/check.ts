import path from "node:path";
import ts from "typescript";

/**
 * The import rules of ARCHITECTURE.md, checked over a set of source files given as text so that
 * the same code checks the repository and, in its own test, small made-up file sets that break
 * each rule. Layers point one way (apps -> api -> core -> db); processes without users (ingest,
 * worker) never bundle the routers; the phone takes only types from the API and only the pure
 * rules from core; a package is entered through its `exports` only; and relative imports inside
 * core and api form no cycle, so every module can be read, loaded and tested on its own.
 */

/** A source file, its path relative to the repository root with forward slashes. */
export interface SourceFile {
  path: string;
  text: string;
}

export interface ImportReference {
  file: string;
  line: number;
  specifier: string;
  /** `import type` / `export type` / `typeof import(...)`: erased, never loaded at run time. */
  typeOnly: boolean;
}

export interface Violation {
  rule: string;
  file: string;
  line: number;
  specifier: string;
  message: string;
}

/** A workspace package as its package.json declares it. */
export interface WorkspacePackage {
  name: string;
  /** Its folder relative to the repository root, e.g. `packages/core`. */
  dir: string;
  /** The subpaths of its `exports` map (".", "./kernel", possibly with one "*"). */
  exports: string[];
}

const sourceExtensions = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

export function isSourceFile(filePath: string): boolean {
  return sourceExtensions.some((extension) => filePath.endsWith(extension)) && !filePath.endsWith(".d.ts");
}

/** Every module reference in a file: static imports and re-exports, `import()`, `require()` and import types. */
export function parseImports(file: SourceFile): ImportReference[] {
  const kind = file.path.endsWith(".tsx") || file.path.endsWith(".jsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, kind);
  const found: ImportReference[] = [];
  const add = (literal: ts.Node, typeOnly: boolean) => {
    if (!ts.isStringLiteralLike(literal)) return;
    const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1;
    found.push({ file: file.path, line, specifier: literal.text, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, node.importClause?.isTypeOnly === true);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument)) add(argument.literal, true);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
      const [first] = node.arguments;
      if ((isDynamicImport || isRequire) && first !== undefined) add(first, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The workspace packages declared by the package.json files of the set (the root one aside). */
export function workspacePackages(files: readonly SourceFile[]): WorkspacePackage[] {
  const packages: WorkspacePackage[] = [];
  for (const file of files) {
    if (!file.path.endsWith("/package.json")) continue;
    const manifest: unknown = JSON.parse(file.text);
    if (typeof manifest !== "object" || manifest === null || !("name" in manifest)) continue;
    const { name } = manifest;
    if (typeof name !== "string") continue;
    const exportsField = "exports" in manifest ? manifest.exports : undefined;
    const exports =
      typeof exportsField === "string"
        ? ["."]
        : typeof exportsField === "object" && exportsField !== null
          ? Object.keys(exportsField).filter((key) => key.startsWith("."))
          : [];
    packages.push({ name, dir: path.posix.dirname(file.path), exports });
  }
  return packages;
}

/** `@scope/name/sub/path` -> package `@scope/name`, subpath `./sub/path`; bare names likewise. */
export function splitSpecifier(specifier: string): { packageName: string; subpath: string } {
  const parts = specifier.split("/");
  const nameParts = specifier.startsWith("@") ? 2 : 1;
  const rest = parts.slice(nameParts);
  return { packageName: parts.slice(0, nameParts).join("/"), subpath: rest.length === 0 ? "." : `./${rest.join("/")}` };
}

function exportsAllow(exports: readonly string[], subpath: string): boolean {
  return exports.some((pattern) => {
    const star = pattern.indexOf("*");
    if (star < 0) return pattern === subpath;
    return (
      subpath.length >= pattern.length - 1 &&
      subpath.startsWith(pattern.slice(0, star)) &&
      subpath.endsWith(pattern.slice(star + 1))
    );
  });
}

function isPackage(specifier: string, packageName: string): boolean {
  return specifier === packageName || specifier.startsWith(`${packageName}/`);
}

function isUnder(filePath: string, dir: string): boolean {
  return filePath.startsWith(`${dir}/`);
}

/** Where a relative specifier points, relative to the repository root (extension not resolved). */
function relativeTarget(file: string, specifier: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
}

const isRelative = (specifier: string) => specifier.startsWith("./") || specifier.startsWith("../");

/** The layer rules: which package may import which. */
function layerViolations(reference: ImportReference, packages: readonly WorkspacePackage[]): Violation[] {
  const { file, specifier } = reference;
  const violations: Violation[] = [];
  const refuse = (rule: string, message: string) =>
    violations.push({ rule, file, line: reference.line, specifier, message });
  const appPackages = packages.filter((pkg) => pkg.dir.startsWith("apps/"));

  if ((isUnder(file, "apps/ingest") || isUnder(file, "apps/worker")) && isPackage(specifier, "@rantai/api")) {
    refuse(
      "workers-not-routers",
      "ingest and worker processes use @rantai/core and @rantai/db, never the tRPC routers of @rantai/api",
    );
  }
  if (isUnder(file, "apps/mobile")) {
    if (isPackage(specifier, "@rantai/api") && !reference.typeOnly) {
      refuse("phone-api-types-only", "the phone takes only types from @rantai/api: write `import type { … }`");
    }
    if (isPackage(specifier, "@rantai/core") && specifier !== "@rantai/core/rules") {
      refuse(
        "phone-pure-rules-only",
        "the phone imports only the pure rules of core: use @rantai/core/rules (move a rule there if it has no server dependency)",
      );
    }
  }
  if (isUnder(file, "packages/core")) {
    const forbidden =
      isPackage(specifier, "@rantai/api") ||
      isPackage(specifier, "next") ||
      specifier.startsWith("@trpc/") ||
      appPackages.some((app) => isPackage(specifier, app.name)) ||
      (isRelative(specifier) && isUnder(relativeTarget(file, specifier), "apps"));
    if (forbidden) {
      refuse(
        "core-below-api",
        "packages/core is the domain: it never imports the API, tRPC, Next.js or an app; move the code that needs them up a layer",
      );
    }
  }
  if (isUnder(file, "packages/db") && (isPackage(specifier, "@rantai/core") || isPackage(specifier, "@rantai/api"))) {
    refuse("db-at-the-bottom", "packages/db is the bottom layer: it never imports @rantai/core or @rantai/api");
  }
  return violations;
}

/** A package is entered through its `exports`, never through its files. */
function boundaryViolations(reference: ImportReference, packages: readonly WorkspacePackage[]): Violation[] {
  const { file, specifier, line } = reference;
  const home = packages.find((pkg) => isUnder(file, pkg.dir));
  if (isRelative(specifier)) {
    const target = relativeTarget(file, specifier);
    const into = packages.find((pkg) => isUnder(target, pkg.dir) || target === pkg.dir);
    if (into === undefined || into === home) return [];
    // The benchmarks measure an app's own pipeline (ingest, flush) in-process; an app exports
    // nothing for other code to import, so bench alone may reach into an app's files.
    if (isUnder(file, "bench") && into.dir.startsWith("apps/")) return [];
    return [
      {
        rule: "package-exports-only",
        file,
        line,
        specifier,
        message: `reaches into ${into.name}'s files by a relative path: import it as ${into.name}${into.exports.length > 0 ? ` (exports: ${into.exports.join(", ")})` : ""}`,
      },
    ];
  }
  const { packageName, subpath } = splitSpecifier(specifier);
  const target = packages.find((pkg) => pkg.name === packageName);
  if (target === undefined || target === home || exportsAllow(target.exports, subpath)) return [];
  return [
    {
      rule: "package-exports-only",
      file,
      line,
      specifier,
      message: `${packageName} does not export "${subpath}": use one of its exports (${target.exports.join(", ")}) or add the entry to its package.json`,
    },
  ];
}

/** The file a relative import resolves to within the set, trying the extensions and index files the bundler would. */
function resolveRelative(file: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  const base = relativeTarget(file, specifier);
  const stripped = base.replace(/\.(m|c)?js$/, "");
  const candidates = [
    base,
    ...sourceExtensions.map((extension) => `${stripped}${extension}`),
    ...sourceExtensions.map((extension) => `${base}/index${extension}`),
  ];
  return candidates.find((candidate) => known.has(candidate));
}

/**
 * Cycles among relative imports of the files under `roots`, each as the files in import order,
 * the first repeated at the end (a -> b -> a). Type-only imports count: a cycle of types still
 * ties two modules so neither can be understood or moved alone.
 */
export function findImportCycles(files: readonly SourceFile[], roots: readonly string[]): string[][] {
  const inScope = files.filter((file) => roots.some((root) => isUnder(file.path, root)) && isSourceFile(file.path));
  const known = new Set(inScope.map((file) => file.path));
  const edges = new Map<string, string[]>();
  for (const file of inScope) {
    const targets = parseImports(file)
      .filter((reference) => isRelative(reference.specifier))
      .map((reference) => resolveRelative(file.path, reference.specifier, known))
      .filter((target): target is string => target !== undefined);
    edges.set(file.path, [...new Set(targets)].sort());
  }
  return stronglyConnected(edges)
    .filter((component) => component.length > 1 || (edges.get(component[0] ?? "") ?? []).includes(component[0] ?? ""))
    .map((component) => shortestCycle(component, edges));
}

/** Tarjan's strongly connected components, iterative so deep import chains cannot overflow the stack. */
function stronglyConnected(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const start of [...edges.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter);
    counter += 1;
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame === undefined) break;
      const targets = edges.get(frame.node) ?? [];
      const target = targets[frame.next];
      if (target !== undefined) {
        frame.next += 1;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter);
          counter += 1;
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(target) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.sort());
      }
    }
  }
  return components;
}

/** A shortest cycle through the component's first file, found breadth first inside the component. */
function shortestCycle(component: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const [start] = component;
  if (start === undefined) return [];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    if (node === undefined) break;
    for (const target of edges.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const cycle: string[] = [];
        for (
          let step: string | undefined = node;
          step !== undefined;
          step = step === start ? undefined : previous.get(step)
        ) {
          cycle.unshift(step);
        }
        return [...cycle, start];
      }
      if (!previous.has(target) && target !== start) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [...component];
}

/** The folders whose relative imports must form no cycle. */
export const acyclicRoots = ["packages/core/src", "packages/api/src"];

/** Every broken import rule in the set: layers, package boundaries and cycles. */
export function checkImportRules(files: readonly SourceFile[]): Violation[] {
  const packages = workspacePackages(files);
  const violations: Violation[] = [];
  for (const file of files) {
    if (!isSourceFile(file.path)) continue;
    for (const reference of parseImports(file)) {
      violations.push(...layerViolations(reference, packages), ...boundaryViolations(reference, packages));
    }
  }
  for (const cycle of findImportCycles(files, acyclicRoots)) {
    const [first] = cycle;
    violations.push({
      rule: "no-import-cycles",
      file: first ?? "",
      line: 0,
      specifier: "",
      message: `import cycle: ${cycle.join(" -> ")}; move what both need into a third module, or let one side stop importing the other`,
    });
  }
  return violations;
}

/** One line per violation, as a failing test prints them. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations
    .map((violation) =>
      violation.specifier === ""
        ? `${violation.file}: [${violation.rule}] ${violation.message}`
        : `${violation.file}:${violation.line}: [${violation.rule}] "${violation.specifier}": ${violation.message}`,
    )
    .join("\n");
}
