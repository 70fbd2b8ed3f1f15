import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Actor } from "@rantai/core/kernel";
import {
  enqueueReportExport,
  getReportExport,
  openReportExportFile,
  REPORT_EXPORT_QUEUE,
  reportExportJobId,
  requestReportExport,
} from "@rantai/core/reports";
import { createTestVaccine, holdLot } from "@rantai/core/testing";
import { reportExports } from "@rantai/db";
import { createOrgUnit, createUser } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { Queue } from "bullmq";
import { eq } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * A report export survives its worker being killed: the worker runs as a real child process,
 * is sent SIGKILL in the middle of a job (its pages slowed by the fault hook), and a restarted
 * worker takes the stalled job over and writes the whole file once.
 */
const FACILITIES = 8;
const appDir = fileURLToPath(new URL("..", import.meta.url));
// biome-ignore lint/style/noProcessEnv: integration tests find MariaDB and Redis through TEST_* variables.
const services = readTestServices(process.env);
const prefix = `rantai-test-worker-${randomUUID().slice(0, 8)}`;

let database: TestDatabase;
let redis: Redis;
let child: ChildProcess | null = null;
const output: string[] = [];
let actor: Actor;

beforeAll(async () => {
  database = await createTestDatabase(services.mysqlServerUrl, "worker_crash");
  redis = new Redis(services.redisUrl, { maxRetriesPerRequest: 2 });
  const db = database.db;
  const district = await createOrgUnit(db, { parent: null, level: "district", name: "Sleman" });
  const vaccine = await createTestVaccine(db, "BCG");
  for (let index = 0; index < FACILITIES; index += 1) {
    const facility = await createOrgUnit(db, { parent: district, level: "facility", name: `Puskesmas ${index}` });
    await holdLot(db, facility, vaccine, { quantity: 100 + index, expiresInDays: 100, monthlyConsumption: 50 });
  }
  const user = await createUser(db, { orgUnit: district, role: "district_officer" });
  actor = {
    userId: user.id,
    name: "Officer",
    email: user.email,
    role: "district_officer",
    locale: "id",
    orgUnitId: district.id,
    orgUnitName: district.name,
    orgUnitPath: district.path,
    sessionVersion: 0,
  };
});

afterAll(async () => {
  child?.kill("SIGKILL");
  await new Queue(REPORT_EXPORT_QUEUE, { connection: redis, prefix }).obliterate({ force: true }).catch(() => {});
  redis?.disconnect();
  await database?.destroy();
});

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${output.join("")}`);
}

async function startWorker(extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  const started = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: appDir,
    env: {
      // biome-ignore lint/style/noProcessEnv: the child needs PATH and nothing else from the parent.
      PATH: process.env.PATH,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: "3",
      REDIS_URL: services.redisUrl,
      JOB_QUEUE_PREFIX: prefix,
      WORKER_EXPORT_PAGE_ROWS: "1",
      WORKER_FAULT_EXPORT_PAGE_DELAY_MS: "400",
      WORKER_JOB_LOCK_MS: "2000",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let ready = false;
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    if (text.includes('"msg":"worker_ready"')) ready = true;
  };
  started.stdout?.on("data", collect);
  started.stderr?.on("data", collect);
  await waitFor("worker ready", () => ready || started.exitCode !== null, 120_000);
  if (started.exitCode !== null) throw new Error(`worker exited early:\n${output.join("")}`);
  return started;
}

const exportRow = async (id: number) =>
  (await database.db.select().from(reportExports).where(eq(reportExports.id, id)))[0];

describe("the worker killed in the middle of an export", () => {
  it("leaves the job to be taken over after restart, and the file is written whole, once", async () => {
    const request = { db: database.db, actor, meta: { requestId: "test", ip: null, userAgent: null } };
    const exported = await requestReportExport(
      request,
      { id: actor.orgUnitId },
      { report: "stock_on_hand", format: "csv", parameters: {}, requestKey: randomUUID() },
      (job) => enqueueReportExport(redis, prefix, job),
    );
    child = await startWorker();
    await waitFor("the export half written", async () => ((await exportRow(exported.id))?.rowsWritten ?? 0) >= 3);
    const killed = child;
    child = null;
    const exited = new Promise((resolve) => killed.once("exit", resolve));
    killed.kill("SIGKILL");
    await exited;
    expect((await exportRow(exported.id))?.status).toBe("running");

    child = await startWorker();
    await waitFor("the export done after restart", async () => (await exportRow(exported.id))?.status === "done");
    const row = await exportRow(exported.id);
    expect(row).toMatchObject({ rowsWritten: FACILITIES, rowsTotal: FACILITIES });
    expect(row?.attempts).toBeGreaterThanOrEqual(2);

    const file = await openReportExportFile(request, exported.id);
    const pieces: Buffer[] = [];
    for await (const piece of file.pieces) pieces.push(piece);
    const lines = Buffer.concat(pieces)
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    // Headers in the user's stored language (Bahasa Indonesia unless they chose English).
    expect(lines[0]).toContain("Fasilitas");
    expect(lines.slice(1).map((line) => line.split(",")[2])).toEqual(
      Array.from({ length: FACILITIES }, (_, index) => `Puskesmas ${index}`),
    );

    // Stopped with SIGTERM, the worker shuts down cleanly.
    const stopping = child;
    child = null;
    const code = new Promise((resolve) => stopping.once("exit", resolve));
    stopping.kill("SIGTERM");
    expect(await code).toBe(0);
  }, 400_000);

  it("marks an export failed, with a reason, when its job stalled more often than allowed", async () => {
    const request = { db: database.db, actor, meta: { requestId: "test", ip: null, userAgent: null } };
    const requestKey = randomUUID();
    const exported = await requestReportExport(
      request,
      { id: actor.orgUnitId },
      { report: "stock_on_hand", format: "csv", parameters: {}, requestKey },
      (job) => enqueueReportExport(redis, prefix, job),
    );
    // No stall is forgiven: the first worker's death is the job's last.
    const noStalls = { WORKER_MAX_STALLED_COUNT: "0" };
    child = await startWorker(noStalls);
    await waitFor("the export half written", async () => ((await exportRow(exported.id))?.rowsWritten ?? 0) >= 3);
    const killed = child;
    child = null;
    const exited = new Promise((resolve) => killed.once("exit", resolve));
    killed.kill("SIGKILL");
    await exited;
    expect((await exportRow(exported.id))?.status).toBe("running");

    child = await startWorker(noStalls);
    await waitFor("the export marked failed", async () => (await exportRow(exported.id))?.status === "failed");
    expect(await getReportExport(request, exported.id)).toMatchObject({
      status: "failed",
      failureReason: "reports.export_stalled",
    });
    const job = await new Queue(REPORT_EXPORT_QUEUE, { connection: redis, prefix }).getJob(
      reportExportJobId({ exportId: exported.id, requestKey }),
    );
    expect(await job?.getState()).toBe("failed");

    // The user starts it again and gets the whole file.
    const again = await requestReportExport(
      request,
      { id: actor.orgUnitId },
      { report: "stock_on_hand", format: "csv", parameters: {}, requestKey: randomUUID() },
      (next) => enqueueReportExport(redis, prefix, next),
    );
    await waitFor("the new export done", async () => (await exportRow(again.id))?.status === "done");
    expect(await exportRow(again.id)).toMatchObject({ rowsWritten: FACILITIES, error: null });

    const stopping = child;
    child = null;
    const code = new Promise((resolve) => stopping.once("exit", resolve));
    stopping.kill("SIGTERM");
    expect(await code).toBe(0);
  }, 400_000);
});
