import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { AppRouter } from "@rantai/api";
import { createMobileSession, findActiveActor } from "@rantai/core/auth";
import { insertId } from "@rantai/core/kernel";
import { configureProcessLogger } from "@rantai/core/kernel/logger";
import { recordReceipt } from "@rantai/core/stock";
import { items, stockBalances, stockLedger, syncRejections } from "@rantai/db";
import { createOrgUnit, createUser } from "@rantai/db/factories";
import { createTestDatabase, readTestServices } from "@rantai/db/testing";
import { createTRPCClient, httpLink, isTRPCClientError } from "@trpc/client";
import { eq, sql } from "drizzle-orm";
import superjson from "superjson";
import { z } from "zod";
import {
  LocalRejection,
  MemoryStore,
  type SyncAction,
  SyncEngine,
  type SyncTransport,
} from "../apps/mobile/src/sync/index";
import { startDatabaseProxy } from "./tcp-proxy";

/*
 * `npm run bench:sync-soak [-- --phones N --rate OPS --seconds S]`
 *
 * Reliability promise D7: simulated phones of one puskesmas (the phone's own sync engine, over
 * HTTP to the API in a process of its own) record usage, discards and found stock at `--rate`
 * actions a second in all, on the same lots, while:
 * - phones lose their signal at random for 1–6 s, some answers are lost on the way back (the
 *   server applied the push, the phone never heard), and now and then a phone's app is killed
 *   and started again from its stored queue;
 * - the API process is killed (`SIGKILL`) and started again;
 * - the database stops answering for 5 s (a TCP proxy between the API and MariaDB holds every
 *   byte; a global `FLUSH TABLES WITH READ LOCK` would stall every other database on the server).
 * Then the signal returns for all, the phones send until their outboxes are empty, 3 s of quiet,
 * each pulls, and the soak compares: every phone's balances with the server's, the ledger with
 * the balances (D2: sums agree, none negative, no key twice on a lot), and every action sent with
 * what the server kept (applied once or refused once, none lost). Exit 1 on any difference.
 * Runs on a database of its own (TEST_MYSQL_URL, TEST_REDIS_URL as for the integration tests),
 * dropped at the end. The last lines are `name: value` figures.
 */

const { values } = parseArgs({
  options: {
    phones: { type: "string", default: "8" },
    rate: { type: "string", default: "20" },
    seconds: { type: "string", default: "60" },
    port: { type: "string", default: "3391" },
  },
});
const options = z
  .strictObject({
    phones: z.coerce.number().int().min(1).max(50),
    rate: z.coerce.number().min(1).max(200),
    seconds: z.coerce.number().int().min(10).max(3600),
    port: z.coerce.number().int().min(1024).max(65000),
  })
  .parse(values);

configureProcessLogger({ service: "bench-sync-soak", level: "warn" });

const root = fileURLToPath(new URL("..", import.meta.url));
const services = readTestServices(process.env);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => console.log(line);
const pick = <T>(list: readonly T[]): T => {
  const chosen = list[Math.floor(Math.random() * list.length)];
  if (chosen === undefined) throw new Error("picked from an empty list");
  return chosen;
};

/** What the phones' transports saw, summed over all phones. */
const seen = { duplicates: 0, gaps: 0, lostAnswers: 0, offlineCalls: 0 };

const database = await createTestDatabase(services.mysqlServerUrl, "sync_soak");
const { db } = database;
const proxy = await startDatabaseProxy(new URL(database.url));
const apiUrl = `http://127.0.0.1:${options.port}/api/trpc`;
let server: ChildProcess | null = null;

/** Starts the API process and waits until it accepts connections. */
async function startServer(): Promise<ChildProcess> {
  const throughProxy = new URL(database.url);
  throughProxy.host = `127.0.0.1:${proxy.port}`;
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "bench/sync-soak-server.ts",
      `--port=${options.port}`,
      `--database-url=${throughProxy.toString()}`,
      `--redis-url=${services.redisUrl}`,
      `--cache-prefix=rantai-bench-soak:${randomUUID()}`,
    ],
    { cwd: root, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the API did not start within 60 s")), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("listening")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`the API exited with ${code}`)));
  });
  return child;
}

// Ctrl-C: the API process goes too, and the soak's database is dropped.
process.once("SIGINT", () => {
  server?.kill("SIGKILL");
  void Promise.allSettled([proxy.close(), database.destroy()]).finally(() => process.exit(130));
});

async function killServer(): Promise<void> {
  const running = server;
  if (!running) return;
  const exited = new Promise((resolve) => running.once("exit", resolve));
  running.kill("SIGKILL");
  await exited;
  server = null;
}

/** A facility with stock: four lots of one vaccine, 10 doses a vial, and staff to sign in on the phones. */
async function prepareFacility() {
  const national = await createOrgUnit(db, { parent: null, level: "national" });
  const province = await createOrgUnit(db, { parent: national, level: "province" });
  const district = await createOrgUnit(db, { parent: province, level: "district" });
  const facility = await createOrgUnit(db, { parent: district, level: "facility", name: "Puskesmas Soak" });
  const admin = await findActiveActor(db, (await createUser(db, { orgUnit: national, role: "national_admin" })).id);
  if (!admin) throw new Error("the admin is active");
  const itemId = insertId(
    await db.insert(items).values({
      code: "SOAK-1",
      name: "Soak vaccine",
      kind: "vaccine",
      dosesPerVial: 10,
      freezeSensitive: true,
      vvmType: "VVM14",
      openVialPolicy: "keep_28_days",
    }),
  );
  const receipt = await recordReceipt(
    { db, actor: admin, meta: { requestId: "soak-setup", ip: null, userAgent: null } },
    {
      idempotencyKey: randomUUID(),
      orgUnitId: facility.id,
      supplierName: "Bio Farma",
      lines: [0, 1, 2, 3].map((lot) => ({
        itemId,
        lotNumber: `SOAK-${lot}`,
        expiryDate: "2030-12-31",
        manufacturer: "Bio Farma",
        // The mix below takes 2 doses an action on average: the lots run out at about four fifths
        // of the run, and from then on phones acting on the same lot meet its end and the server
        // refuses some.
        doses: 10 * Math.max(20, Math.round(options.rate * options.seconds * 0.04)),
        vvmStage: 1,
      })),
    },
  );
  const lots = receipt.entries.map((entry) => entry.batchId);
  // Three nurses; phones beyond the third share an account, as a facility's spare phones do.
  const tokens: string[] = [];
  for (let nurse = 0; nurse < 3; nurse++) {
    const user = await createUser(db, { orgUnit: facility, role: "facility_staff" });
    const actor = await findActiveActor(db, user.id);
    if (!actor) throw new Error("the nurse is active");
    tokens.push((await createMobileSession(db, actor, { deviceName: `Soak phone ${nurse}` })).token);
  }
  return { facility, lots, tokens };
}

/**
 * One simulated phone: the real sync engine on an in-memory device store, over tRPC HTTP with
 * its bearer token. The link can be down (calls fail at once) or drop an answer after the server
 * handled the request; a crash throws away the running engine and starts another on the same store.
 */
class SoakPhone {
  online = true;
  /** A crash ends the running app: its calls still reach the server, their answers never come back. */
  private generation = 0;
  private restarting = false;
  private readonly enqueues = new Set<Promise<void>>();
  readonly storage = new MemoryStore();
  engine: SyncEngine;

  constructor(
    private readonly orgUnitId: number,
    private readonly token: string,
  ) {
    this.engine = this.createEngine();
  }

  private createEngine(): SyncEngine {
    return new SyncEngine({
      storage: this.storage,
      transport: this.transport(this.generation),
      orgUnitId: this.orgUnitId,
      platform: "android",
      backoff: { baseMs: 250, maxMs: 3_000 },
    });
  }

  private transport(generation: number): SyncTransport {
    const loseAnswers = { rate: 0.03 };
    const trpc = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: apiUrl,
          transformer: superjson,
          headers: () => ({ authorization: `Bearer ${this.token}` }),
          fetch: async (input, init) => {
            if (!this.online || generation !== this.generation) {
              seen.offlineCalls++;
              throw new TypeError("Network request failed");
            }
            const response = await fetch(input, { ...init, signal: AbortSignal.timeout(20_000) });
            const crashed = generation !== this.generation;
            if (crashed || (init?.method === "POST" && Math.random() < loseAnswers.rate)) {
              await response.arrayBuffer();
              seen.lostAnswers++;
              throw new TypeError("Network request failed");
            }
            return response;
          },
        }),
      ],
    });
    return {
      push: async (orgUnitId, actions, client) => {
        const answer = await withReason(() => trpc.sync.push.mutate({ orgUnitId, client, actions }));
        for (const result of answer.results) {
          if (result.status === "duplicate") seen.duplicates++;
          if (result.status === "deferred" && result.reason === "sync.mutation_gap") seen.gaps++;
        }
        return answer;
      },
      pull: (orgUnitId, cursor, client) =>
        withReason(() => trpc.sync.pull.query({ orgUnitId, cursor, client, limit: 500 })),
    };
  }

  /** Records an action as the screens do; false while the app is being restarted (nothing was recorded). */
  async enqueue(action: SyncAction): Promise<boolean> {
    if (this.restarting) return false;
    const pending = this.engine.enqueue(action);
    this.enqueues.add(pending);
    try {
      await pending;
      return true;
    } finally {
      this.enqueues.delete(pending);
    }
  }

  pull(): void {
    if (!this.restarting) void this.engine.pull();
  }

  /** The app is killed mid-work and opened again: whatever was stored goes on from the device store. */
  async crashAndRestart(): Promise<void> {
    this.restarting = true;
    this.generation++;
    const old = this.engine;
    old.stop();
    // What the old app was writing ends (calls in flight lose their answers) before the new app
    // reads the store: one device store has one app.
    await Promise.allSettled([...this.enqueues]);
    while (old.getState().syncing || old.getState().pulling) await sleep(50);
    this.engine = this.createEngine();
    await this.engine.start();
    this.restarting = false;
  }
}

/** The engine branches on `error.reason`: the server's reason from the tRPC error, none for a network failure. */
async function withReason<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const reason = isTRPCClientError<AppRouter>(error) ? error.data?.reason : undefined;
    if (reason) throw Object.assign(new Error(reason), { reason });
    throw error;
  }
}

/** An action of a nurse's day on a lot: a session (1 vial), a broken vial, or a vial found. */
function nurseAction(orgUnitId: number, batchId: number): SyncAction {
  const base = { idempotencyKey: randomUUID(), orgUnitId };
  const roll = Math.random();
  if (roll < 0.5) {
    return {
      kind: "stock.recordUsage",
      clientTime: new Date(),
      input: { ...base, lines: [{ batchId, vialsOpened: 1, dosesAdministered: 8 }] },
    };
  }
  if (roll < 0.6) {
    return {
      kind: "stock.recordDiscard",
      clientTime: new Date(),
      input: { ...base, lines: [{ batchId, vials: 1, reason: "broken" }] },
    };
  }
  return {
    kind: "stock.recordAdjustment",
    clientTime: new Date(),
    input: { ...base, batchId, doses: 10, reason: "found", note: "Found in the cold box" },
  };
}

/** The phones' balances against the server's, the ledger against the balances, and what was sent against what was kept. */
async function check(orgUnitId: number, phones: readonly SoakPhone[], sent: ReadonlySet<string>) {
  const balances = await db
    .select({ batchId: stockBalances.batchId, quantity: stockBalances.quantity })
    .from(stockBalances)
    .where(eq(stockBalances.orgUnitId, orgUnitId));
  const serverBalance = new Map(balances.map((row) => [row.batchId, row.quantity]));
  let mismatches = 0;
  for (const phone of phones) {
    const { balances: shown, queued } = await phone.engine.localState();
    if (queued.length > 0) console.error(`mismatch: ${queued.length} actions still queued on a phone`);
    mismatches += queued.length;
    const phoneBalance = new Map(shown.map((lot) => [lot.batchId, lot.quantity]));
    for (const batchId of new Set([...serverBalance.keys(), ...phoneBalance.keys()])) {
      if (serverBalance.get(batchId) !== phoneBalance.get(batchId)) {
        mismatches++;
        const lot = shown.find((balance) => balance.batchId === batchId);
        console.error(
          `mismatch: lot ${batchId} server ${serverBalance.get(batchId)} phone ${lot?.quantity} (pending ${lot?.pendingDoses}, last error ${phone.engine.getState().lastError?.reason ?? "none"})`,
        );
      }
    }
  }
  const ledger = await db
    .select({ batchId: stockLedger.batchId, total: sql<string>`SUM(${stockLedger.quantity})` })
    .from(stockLedger)
    .where(eq(stockLedger.orgUnitId, orgUnitId))
    .groupBy(stockLedger.batchId);
  let violations = balances.filter((row) => row.quantity < 0).length;
  for (const row of ledger) if (Number(row.total) !== serverBalance.get(row.batchId)) violations++;
  const twice = await db
    .select({ key: stockLedger.idempotencyKey })
    .from(stockLedger)
    .where(eq(stockLedger.orgUnitId, orgUnitId))
    .groupBy(stockLedger.idempotencyKey, stockLedger.batchId)
    .having(sql`COUNT(*) > 1`);
  violations += twice.length;

  const appliedKeys = new Set(
    (
      await db
        .selectDistinct({ key: stockLedger.idempotencyKey })
        .from(stockLedger)
        .where(eq(stockLedger.orgUnitId, orgUnitId))
    ).map((row) => row.key),
  );
  const rejectedKeys = new Set(
    (await db.select({ key: syncRejections.idempotencyKey }).from(syncRejections)).map((row) => row.key),
  );
  let lost = 0;
  let both = 0;
  for (const key of sent) {
    if (appliedKeys.has(key) && rejectedKeys.has(key)) both++;
    if (!appliedKeys.has(key) && !rejectedKeys.has(key)) lost++;
  }
  // A refusal a phone shows must be one the server kept, never an applied action.
  for (const phone of phones) {
    for (const entry of (await phone.engine.localState()).rejected) {
      if (!rejectedKeys.has(entry.action.input.idempotencyKey)) {
        console.error(`mismatch: a phone shows ${entry.reason} for an action the server did not refuse`);
        mismatches++;
      }
    }
  }
  const applied = [...sent].filter((key) => appliedKeys.has(key)).length;
  return { mismatches, violations: violations + both, lost, applied, rejected: rejectedKeys.size };
}

const started = performance.now();
const phones: SoakPhone[] = [];
let stopping = false;
try {
  const { facility, lots, tokens } = await prepareFacility();
  server = await startServer();
  for (let index = 0; index < options.phones; index++) {
    phones.push(new SoakPhone(facility.id, tokens[index % tokens.length] ?? ""));
  }
  await Promise.all(phones.map((phone) => phone.engine.pull()));
  say(`${options.phones} phones, ${options.rate} actions/s for ${options.seconds} s on ${lots.length} lots`);

  const sent = new Set<string>();
  let refusedOnPhone = 0;
  let restarts = 0;
  let pauses = 0;
  let crashes = 0;
  const loadEnds = Date.now() + options.seconds * 1000;

  // The nurses' work: one action every 1/rate s on a random phone and lot.
  const work = (async () => {
    // Paced on the clock, not after each action, so the rate holds when the machine is busy.
    for (let due = Date.now(); Date.now() < loadEnds; due += 1000 / options.rate) {
      await sleep(Math.max(0, due - Date.now()));
      const phone = pick(phones);
      const action = nurseAction(facility.id, pick(lots));
      phone.enqueue(action).then(
        (recorded) => {
          if (recorded) sent.add(action.input.idempotencyKey);
        },
        (error: unknown) => {
          if (error instanceof LocalRejection) refusedOnPhone++;
          else throw error;
        },
      );
    }
  })();
  // Signal comes and goes; the app pulls every few seconds while it can.
  const weather = (async () => {
    while (!stopping) {
      for (const phone of phones) {
        if (phone.online && Math.random() < 0.03) {
          phone.online = false;
          setTimeout(() => (phone.online = true), 1000 + Math.random() * 5000);
        }
        if (phone.online && Math.random() < 0.2) phone.pull();
      }
      await sleep(500);
    }
  })();
  // Faults: the API killed and started again, the database silent, apps killed and reopened.
  const faults = (async () => {
    const at = (share: number) => sleep(Math.max(0, loadEnds - options.seconds * 1000 * (1 - share) - Date.now()));
    await at(0.3);
    say("fault: API process killed (SIGKILL), starting it again");
    await killServer();
    await sleep(1000);
    server = await startServer();
    restarts++;
    await at(0.6);
    say("fault: database silent for 5 s");
    proxy.pause();
    await sleep(5000);
    proxy.resume();
    pauses++;
  })();
  const crashing = (async () => {
    while (Date.now() < loadEnds - 5000) {
      await sleep(7000);
      await pick(phones).crashAndRestart();
      crashes++;
    }
  })();
  await Promise.all([work, faults, crashing]);

  // The signal returns for everyone: each phone sends until its outbox is empty.
  say("load over: every phone back online, sending what is queued");
  for (const phone of phones) phone.online = true;
  const drainStarted = Date.now();
  const drainEnds = drainStarted + 120_000;
  for (;;) {
    await Promise.all(phones.map((phone) => phone.engine.flush()));
    const waiting = phones.reduce((sum, phone) => sum + phone.engine.getState().waiting, 0);
    if (waiting === 0) break;
    if (Date.now() > drainEnds) throw new Error(`${waiting} actions still queued after 120 s`);
    await sleep(500);
  }
  const drainSeconds = (Date.now() - drainStarted) / 1000;
  stopping = true;
  await weather;
  await sleep(3000);
  // A pull that overlapped the last one joins it; the next starts after every push was answered.
  let pullFailures = 0;
  for (const phone of phones) {
    await phone.engine.pull();
    for (let attempt = 0; attempt < 5; attempt++) {
      const began = Date.now();
      await phone.engine.pull();
      if (((await phone.engine.localState()).fetchedAt.stock ?? 0) >= began) break;
      pullFailures++;
      console.error(`final pull failed: ${phone.engine.getState().lastError?.reason ?? "unknown"}`);
      await sleep(500);
    }
  }
  const result = await check(facility.id, phones, sent);

  say(`phones: ${options.phones}`);
  say(`duration s: ${Math.round((performance.now() - started) / 1000)}`);
  say(`outboxes empty after s: ${drainSeconds.toFixed(1)}`);
  say(`ops sent: ${sent.size}`);
  say(`refused on the phone: ${refusedOnPhone}`);
  say(`applied: ${result.applied}`);
  say(`rejected: ${result.rejected}`);
  say(`duplicates: ${seen.duplicates}`);
  say(`answers lost: ${seen.lostAnswers}`);
  say(`gaps: ${seen.gaps}`);
  say(`final pulls retried: ${pullFailures}`);
  say(`calls while offline: ${seen.offlineCalls}`);
  say(`app crashes: ${crashes}`);
  say(`server restarts: ${restarts}`);
  say(`database pauses: ${pauses}`);
  say(`lost: ${result.lost}`);
  say(`ledger violations: ${result.violations}`);
  say(`mismatches: ${result.mismatches}`);
  process.exitCode = result.lost + result.violations + result.mismatches === 0 ? 0 : 1;
} finally {
  stopping = true;
  for (const phone of phones) phone.engine.stop();
  await killServer();
  await proxy.close();
  await database.destroy();
}
