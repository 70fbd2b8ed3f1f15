import { REPORT_EXPORT_QUEUE, reportExportJobId } from "@rantai/core/reports";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newKey } from "../stock/test-fixtures";
import { type ApiTestWorld, createApiTestWorld, errorOf } from "../testing";

let world: ApiTestWorld;
beforeAll(async () => {
  world = await createApiTestWorld("reports_api");
});
afterAll(async () => {
  await world?.destroy();
});

describe("reports.requestExport", () => {
  it("queues one job per export, however often the same request is sent", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const input = { report: "stock_on_hand", format: "xlsx", requestKey: newKey() } as const;
    const first = await caller.reports.requestExport(input);
    const again = await caller.reports.requestExport(input);
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ status: "queued", report: "stock_on_hand", format: "xlsx" });

    const prefix = world.contextFor(null).jobQueuePrefix;
    const queue = new Queue(REPORT_EXPORT_QUEUE, { connection: world.redis, prefix });
    const job = await queue.getJob(reportExportJobId({ exportId: first.id, requestKey: input.requestKey }));
    expect(job?.data).toEqual({ exportId: first.id });
    expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 1 });
    await queue.obliterate({ force: true });
  });

  it("refuses a request key reused for another export", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const requestKey = newKey();
    await caller.reports.requestExport({ report: "stock_on_hand", format: "csv", requestKey });
    const error = await errorOf(caller.reports.requestExport({ report: "stock_status", format: "csv", requestKey }));
    expect(error.code).toBe("UNPROCESSABLE_CONTENT");
  });
});

describe("reports.export", () => {
  it("shows an export to its owner only, refusing others of the same district or another", async () => {
    const owner = await world.callerFor(world.people.districtOfficerA.id);
    const exported = await owner.reports.requestExport({
      report: "stock_on_hand",
      format: "csv",
      requestKey: newKey(),
    });
    await expect(owner.reports.export({ id: exported.id })).resolves.toMatchObject({ id: exported.id });
    expect((await owner.reports.exports()).map((row) => row.id)).toContain(exported.id);

    for (const other of [world.people.viewerA, world.people.districtOfficerB, world.people.nationalAdmin]) {
      const caller = await world.callerFor(other.id);
      const error = await errorOf(caller.reports.export({ id: exported.id }));
      expect(error.code).toBe("FORBIDDEN");
      expect((await caller.reports.exports()).map((row) => row.id)).not.toContain(exported.id);
    }
  });
});

describe("reports.view of the ledger, expiry and uptime reports", () => {
  const newReports = ["consumption_wastage", "stock_out_days", "expiry", "sensor_uptime"] as const;

  it("refuses another district's area, for viewing and for export", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    for (const report of newReports) {
      const viewed = await errorOf(caller.reports.view({ report, orgUnitId: world.units.districtB.id }));
      expect(viewed.code).toBe("FORBIDDEN");
      const exported = await errorOf(
        caller.reports.requestExport({
          report,
          format: "csv",
          orgUnitId: world.units.facilityB1.id,
          requestKey: newKey(),
        }),
      );
      expect(exported.code).toBe("FORBIDDEN");
    }
  });

  it("shows the caller's own area, and bounds the parameters", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    for (const report of newReports) {
      const page = await caller.reports.view({ report });
      expect(page.columns.length).toBeGreaterThan(5);
    }
    const tooLong = await errorOf(
      caller.reports.view({ report: "stock_out_days", parameters: { from: "2025-01-01", to: "2026-12-01" } }),
    );
    expect(tooLong.code).toBe("BAD_REQUEST");
    const unknownWindow = await errorOf(
      caller.reports.view({ report: "expiry", parameters: { expiry: "within_400" } } as never),
    );
    expect(unknownWindow.code).toBe("BAD_REQUEST");
  });
});
