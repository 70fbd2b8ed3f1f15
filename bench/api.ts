import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import superjson from "superjson";
import { z } from "zod";
import { percentile } from "./common";

/*
 * `npm run bench:api [-- --url http://localhost:3000] [--rounds N] [--warmup N]`
 *
 * The console's API as its users meet it: against a running production-mode console (npm start,
 * or `node server.mjs` in apps/web after `next build`) on the national dataset
 * (`npm run db:seed -- --national`), it signs in over HTTP as a national, a province and a
 * district user (next-auth credentials, as the sign-in form does), then sends each measurement's
 * requests one at a time, --rounds times over (after --warmup unmeasured rounds), and reports the
 * 95th percentile of the response times. Then the first-load JavaScript of each main page: every
 * script the page's HTML loads, gzipped, as a browser on a slow connection downloads it.
 * The last lines are one figure each:
 *   overview p95 ms: N
 *   facility table p95 ms: N
 *   alarm inbox p95 ms: N
 *   year chart p95 ms: N             (a year of one fridge's temperatures, from the daily rollups)
 *   console first-load KiB: N        (the largest main page)
 *
 * A measurement is a label and the tRPC calls it makes (`measurements` below): adding one is an
 * entry there.
 */

const { values } = parseArgs({
  options: {
    url: { type: "string", default: process.env.BENCH_WEB_URL ?? "http://localhost:3000" },
    rounds: { type: "string", default: "20" },
    warmup: { type: "string", default: "2" },
  },
});
const options = z
  .strictObject({
    url: z.url({ error: "--url must be the console's address, e.g. http://localhost:3000" }),
    rounds: z.coerce.number().int().min(1, "--rounds is at least 1").max(1000),
    warmup: z.coerce.number().int().min(0).max(100),
  })
  .parse(values);
const baseUrl = options.url.replace(/\/$/, "");

/** The demo accounts the national seed creates (packages/db/src/seed/users.ts); one per scope level. */
const benchUsers = {
  national: "admin@demo.rantai.id",
  province: "provinsi.diy@demo.rantai.id",
  district: "dinkes.sleman@demo.rantai.id",
} as const;
type BenchUser = keyof typeof benchUsers;
const demoPassword = "rantai-demo-2026";

/** One tRPC query as the console sends it (GET, superjson input: Dates travel as `{json, meta}`). */
interface Call {
  user: BenchUser;
  procedure: string;
  input: Record<string, unknown>;
}

/**
 * What is measured: each label's calls are sent once per round. `prepare` may look things up
 * first (e.g. a second page's cursor) with `query`.
 */
interface Measurement {
  label: string;
  prepare: (query: QueryFn) => Promise<Call[]>;
}
type QueryFn = (call: Call) => Promise<unknown>;

const users = Object.keys(benchUsers) as BenchUser[];

const measurements: Measurement[] = [
  {
    label: "overview",
    prepare: async () => users.map((user) => ({ user, procedure: "orgs.overview", input: {} })),
  },
  {
    label: "facility table",
    prepare: async (query) => {
      const pages: Record<string, unknown>[] = [
        { sort: "name", direction: "asc" },
        { sort: "stock_status", direction: "asc" },
        { sort: "cold_chain_status", direction: "asc" },
        { sort: "last_sync", direction: "desc" },
        { sort: "name", direction: "asc", status: "below_min" },
        { sort: "stock_status", direction: "desc", status: "expiring_90_days" },
        { sort: "name", direction: "asc", search: "kota" },
      ];
      const first = ZFacilityPageSchema.parse(
        await query({ user: "national", procedure: "orgs.facilities", input: { sort: "name" } }),
      );
      const itemId = first.items.flatMap((row) => row.stock.items)[0]?.itemId;
      if (itemId !== undefined) pages.push({ sort: "months_of_stock", direction: "asc", itemId });
      const calls: Call[] = users.flatMap((user) =>
        pages.map((input) => ({ user, procedure: "orgs.facilities", input: { limit: 50, ...input } })),
      );
      // A later page, by keyset.
      if (first.nextCursor) {
        calls.push({
          user: "national",
          procedure: "orgs.facilities",
          input: { sort: "name", limit: 50, cursor: first.nextCursor },
        });
      }
      return calls;
    },
  },
  {
    label: "year chart",
    prepare: async (query) => {
      const reads = await findYearChartReads(query);
      return reads.map(({ user, equipmentId }) => ({
        user,
        procedure: "coldchain.temperatureSeries",
        input: { equipmentId, ...lastYear() },
      }));
    },
  },
  {
    label: "alarm inbox",
    prepare: async () =>
      users.flatMap((user) => [
        { user, procedure: "coldchain.alarms.list", input: { status: "live" } },
        { user, procedure: "coldchain.alarms.list", input: { status: "all" } },
      ]),
  },
];

const DAY_MS = 86_400_000;

/** The main pages whose first-load JavaScript is reported; `[id]` is a puskesmas of the district user's. */
const signInPage = "/login";
const mainPages = [
  signInPage,
  "/overview",
  "/facilities",
  "/facilities/[id]",
  "/cold-chain",
  "/alarms",
  "/stock",
  "/distribution",
  "/store",
  "/reports",
  "/admin",
];

const ZFacilityPageSchema = z.object({
  items: z.array(z.object({ stock: z.object({ items: z.array(z.object({ itemId: z.number() })) }) })),
  nextCursor: z.unknown(),
});
const ZFridgePageSchema = z.object({
  items: z.array(z.object({ equipmentId: z.number() })),
  nextCursor: z.number().nullable().optional(),
});
const ZFacilityIdsSchema = z.object({ items: z.array(z.object({ id: z.number() })) });
const ZSeriesSchema = z.object({ resolution: z.string(), times: z.array(z.number()) });

/**
 * The fridge with the most days of daily rollups in the last year among the province user's
 * fridges (the national seed gives a full year to 1,000 fridges spread over the country, the rest
 * a few days), and the bench users who may read it: national and province always, the district
 * user when it lies in their district (a district may hold no full-year fridge). Asked once per
 * fridge, before measuring.
 */
/** The fridge whose year chart a user reads. */
interface YearChartRead {
  user: BenchUser;
  equipmentId: number;
  days: number;
}

/**
 * The national and province users read the province's fridge with the most daily rollups; the
 * district user reads that one too when it lies in its district, else its own district's fridge
 * with the most (the seed gives a full year to 1,000 fridges drawn nationwide, which may miss it).
 */
async function findYearChartReads(query: QueryFn): Promise<YearChartRead[]> {
  const provinceBest = await mostRollups(query, "province", await listFridgeIds(query, "province"));
  if (!provinceBest || provinceBest.days === 0)
    throw new Error("No fridge of the province user has rollups: is this the national dataset?");
  const districtFridges = await listFridgeIds(query, "district");
  const districtBest = districtFridges.includes(provinceBest.equipmentId)
    ? provinceBest
    : await mostRollups(query, "district", districtFridges);
  const reads: YearChartRead[] = [
    { user: "national", ...provinceBest },
    { user: "province", ...provinceBest },
    ...(districtBest ? [{ user: "district" as const, ...districtBest }] : []),
  ];
  for (const read of reads)
    console.log(
      `year chart: ${read.user} reads fridge ${read.equipmentId}, ${read.days} days of rollups in the last year`,
    );
  return reads;
}

/** Of these fridges, the one whose year chart holds the most days. */
async function mostRollups(query: QueryFn, user: BenchUser, fridges: number[]) {
  let best: { equipmentId: number; days: number } | undefined;
  for (const equipmentId of fridges) {
    const series = ZSeriesSchema.parse(
      await query({ user, procedure: "coldchain.temperatureSeries", input: { equipmentId, ...lastYear() } }),
    );
    if (!best || series.times.length > best.days) best = { equipmentId, days: series.times.length };
  }
  return best;
}

/** Every fridge a bench user may read, a page of 100 at a time. */
async function listFridgeIds(query: QueryFn, user: BenchUser): Promise<number[]> {
  const ids: number[] = [];
  let cursor: number | undefined;
  do {
    const page = ZFridgePageSchema.parse(
      await query({ user, procedure: "coldchain.listFridges", input: { limit: 100, cursor } }),
    );
    ids.push(...page.items.map((fridge) => fridge.equipmentId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && ids.length < 2000);
  return ids;
}

/** The chart's "1 year" range ending now, as the console asks it (Dates, not strings). */
function lastYear() {
  const to = new Date();
  return { from: new Date(to.getTime() - 365 * DAY_MS), to };
}

/** Cookies as a browser keeps them: name → value, from Set-Cookie headers. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/** Signs in as the sign-in form does (next-auth credentials: CSRF token, then the callback). */
async function signIn(email: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`);
  jar.keep(csrfResponse);
  const { csrfToken } = z.object({ csrfToken: z.string() }).parse(await csrfResponse.json());
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ email, password: demoPassword, csrfToken, json: "true" }),
  });
  jar.keep(response);
  if (!jar.header().includes("session-token")) {
    throw new Error(`Signing in as ${email} failed (HTTP ${response.status}): is this the national dataset?`);
  }
  return jar;
}

function trpcUrl(call: Call) {
  // superjson's own encoding, as the console's link sends it: `{json}`, plus `meta` when a value (a Date) needs it.
  return `${baseUrl}/api/trpc/${call.procedure}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(call.input)))}`;
}

const ZTrpcResultSchema = z.object({ result: z.object({ data: z.object({ json: z.unknown() }) }) });

async function main() {
  const jars = new Map<BenchUser, CookieJar>();
  for (const user of users) jars.set(user, await signIn(benchUsers[user]));
  const send = async (call: Call) => {
    const started = performance.now();
    const response = await fetch(trpcUrl(call), { headers: { cookie: jars.get(call.user)?.header() ?? "" } });
    const body = await response.text();
    const ms = performance.now() - started;
    if (!response.ok)
      throw new Error(`${call.procedure} as ${call.user}: HTTP ${response.status} ${body.slice(0, 300)}`);
    return { ms, data: ZTrpcResultSchema.parse(JSON.parse(body)).result.data.json };
  };

  const figures: { label: string; value: number }[] = [];
  for (const measurement of measurements) {
    const calls = await measurement.prepare(async (call) => (await send(call)).data);
    for (let round = 0; round < options.warmup; round += 1) for (const call of calls) await send(call);
    const times: number[] = [];
    const byUser = new Map<BenchUser, number[]>();
    for (let round = 0; round < options.rounds; round += 1) {
      for (const call of calls) {
        const { ms } = await send(call);
        times.push(ms);
        byUser.set(call.user, [...(byUser.get(call.user) ?? []), ms]);
      }
    }
    const detail = [...byUser].map(([user, ms]) => `${user} ${percentile(ms, 95).toFixed(0)}`).join(", ");
    console.log(
      `${measurement.label}: ${times.length} requests, p50 ${percentile(times, 50).toFixed(0)} ms; p95 by user: ${detail}`,
    );
    figures.push({ label: `${measurement.label} p95 ms`, value: Math.round(percentile(times, 95)) });
  }

  // A puskesmas of the district user's, for the facility page (the one with the temperature charts).
  const facilityId = ZFacilityIdsSchema.parse(
    (await send({ user: "district", procedure: "orgs.facilities", input: { sort: "name", limit: 1 } })).data,
  ).items[0]?.id;
  if (facilityId === undefined) throw new Error("The district user has no facility: is this the national dataset?");
  const pageKiB = await measureFirstLoad(jars.get("district") ?? new CookieJar(), facilityId);
  for (const [page, kib] of pageKiB) console.log(`first-load KiB ${page}: ${kib.toFixed(1)}`);
  const largest = Math.max(...pageKiB.values());

  console.log("");
  for (const { label, value } of figures) console.log(`${label}: ${value}`);
  console.log(`console first-load KiB: ${largest.toFixed(1)}`);
}

/**
 * Gzipped size of every script each page's HTML loads (src attributes under /_next/, bar `nomodule`), in KiB,
 * as served by the production build: what a browser downloads before the page is usable.
 * Chunks a page imports later (e.g. chart code on demand) are not counted, as intended.
 * Signed in as the district user, whom every main page serves (the district store included).
 */
async function measureFirstLoad(jar: CookieJar, facilityId: number) {
  const gzippedSize = new Map<string, number>();
  const result = new Map<string, number>();
  for (const page of mainPages) {
    // The sign-in page as a visitor sees it (it sends a signed-in user on), the others signed in.
    const cookie = page === signInPage ? "" : jar.header();
    const address = page.replace("[id]", String(facilityId));
    const response = await fetch(`${baseUrl}${address}`, { headers: { cookie }, redirect: "manual" });
    if (!response.ok) throw new Error(`${page}: HTTP ${response.status}`);
    const html = await response.text();
    // A `nomodule` script (the legacy polyfills) is fetched only by browsers without ES modules,
    // which no supported browser is: it is left out, as the browser leaves it out.
    const scripts = new Set(
      [...html.matchAll(/<script([^>]*)\ssrc="([^"]+\.js[^"]*)"([^>]*)>/g)]
        .filter((match) => !/\snomodule\b/i.test(`${match[1]} ${match[3]}`))
        .map((match) => match[2] ?? ""),
    );
    let bytes = 0;
    for (const src of scripts) {
      if (!gzippedSize.has(src)) {
        const script = await fetch(new URL(src.replaceAll("&amp;", "&"), baseUrl));
        if (!script.ok) throw new Error(`${src}: HTTP ${script.status}`);
        gzippedSize.set(src, gzipSync(Buffer.from(await script.arrayBuffer()), { level: 9 }).length);
      }
      bytes += gzippedSize.get(src) ?? 0;
    }
    result.set(page, bytes / 1024);
  }
  return result;
}

await main();
