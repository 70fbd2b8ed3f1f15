import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { createApiTestWorld } from "@rantai/api/testing";
import { findActiveActor } from "@rantai/core/auth";
import { insertId } from "@rantai/core/kernel";
import { configureProcessLogger } from "@rantai/core/kernel/logger";
import { recordReceipt } from "@rantai/core/stock";
import type { TSyncAction } from "@rantai/core/sync";
import { items } from "@rantai/db";
import { z } from "zod";

/*
 * `npm run bench:sync [-- --rounds N]`
 *
 * The phone's sync pair on a database of its own (made here, dropped at the end; TEST_MYSQL_URL
 * and TEST_REDIS_URL as for the integration tests), called in process through the tRPC caller
 * as a facility's staff member, so the figures are the server's work without the network:
 * - a push of 500 queued actions (usage sessions, discards, adjustments, counts over 20 lots,
 *   some rejected for low stock as a real queue's would be), each applied once in its own
 *   transaction, --rounds times with fresh actions; the median;
 * - a pull after 7 days offline: another device recorded a week of a puskesmas's movements
 *   (20 sessions a day over 5 vaccines, discards, a count), then the pull from the old cursor
 *   pages through all of it (500 entries a page) with the state sets; --rounds times; the median.
 * The last lines are one figure each:
 *   sync push 500 actions ms: N
 *   pull after 7 days offline ms: N
 */

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" } } });
const options = z.strictObject({ rounds: z.coerce.number().int().min(1).max(50) }).parse(values);

// The audit lines of thousands of movements would drown the figures.
configureProcessLogger({ service: "bench-sync", level: "warn" });

const median = (samples: readonly number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const world = await createApiTestWorld("bench-sync");
try {
  const facility = world.units.facilityA1;
  const phone = await world.callerFor(world.people.facilityStaffA1.id);
  const adminActor = await findActiveActor(world.db, world.people.nationalAdmin.id);
  if (!adminActor) throw new Error("the bench's admin is active");
  // Stock arrives through the domain's receipt, as the console's receipt form records it.
  const adminCtx = { ...world.contextFor(adminActor), actor: adminActor };

  // Five vaccines, four lots each, plenty of stock.
  const lots: { batchId: number; dosesPerVial: number }[] = [];
  for (let vaccine = 0; vaccine < 5; vaccine++) {
    const dosesPerVial = [10, 20, 1, 2, 5][vaccine] ?? 10;
    const itemId = insertId(
      await world.db.insert(items).values({
        code: `BENCH-${vaccine}`,
        name: `Bench vaccine ${vaccine}`,
        kind: "vaccine",
        dosesPerVial,
        freezeSensitive: true,
        vvmType: "VVM14",
        openVialPolicy: "keep_28_days",
      }),
    );
    for (let lot = 0; lot < 4; lot++) {
      const receipt = await recordReceipt(adminCtx, {
        idempotencyKey: randomUUID(),
        orgUnitId: facility.id,
        supplierName: "Bio Farma",
        lines: [
          {
            itemId,
            lotNumber: `BENCH-${vaccine}-${lot}`,
            expiryDate: "2030-12-31",
            manufacturer: "Bio Farma",
            doses: dosesPerVial * 50_000,
            vvmStage: 1,
          },
        ],
      });
      const batchId = receipt.entries[0]?.batchId;
      if (batchId === undefined) throw new Error("a receipt posts an entry");
      lots.push({ batchId, dosesPerVial });
    }
  }

  /** One queued action of a nurse's day; every 25th discards more vials than a lot ever holds (rejected). */
  const action = (index: number, at: Date): TSyncAction => {
    const lot = lots[index % lots.length];
    if (!lot) throw new Error("lots were made");
    const base = { idempotencyKey: randomUUID(), orgUnitId: facility.id };
    switch (index % 5) {
      case 0:
      case 1:
      case 2:
        return {
          kind: "stock.recordUsage",
          clientTime: at,
          input: { ...base, lines: [{ batchId: lot.batchId, vialsOpened: 2, dosesAdministered: lot.dosesPerVial }] },
        };
      case 3:
        return {
          kind: "stock.recordDiscard",
          clientTime: at,
          input: {
            ...base,
            lines: [{ batchId: lot.batchId, vials: index % 25 === 3 ? 100_000 : 1, reason: "broken" }],
          },
        };
      default:
        return {
          kind: "stock.recordAdjustment",
          clientTime: at,
          input: { ...base, batchId: lot.batchId, doses: lot.dosesPerVial, reason: "found", note: "In the cold box" },
        };
    }
  };

  /** A phone's sync client: its id and the number of its next action, as the phone's queue keeps them. */
  const clientOf = () => {
    let next = 1;
    const client = { clientId: randomUUID(), platform: "android" as const };
    return {
      push: (actions: TSyncAction[]) => ({
        orgUnitId: facility.id,
        client,
        actions: actions.map((queued) => ({ ...queued, mutationId: next++ })),
      }),
    };
  };
  const phoneClient = clientOf();

  const pushTimes: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const actions = Array.from({ length: 500 }, (_, index) =>
      action(index, new Date(Date.now() - (500 - index) * 1000)),
    );
    const pushed = phoneClient.push(actions);
    const started = performance.now();
    const { results } = await phone.sync.push(pushed);
    pushTimes.push(performance.now() - started);
    const outcomes = new Map<string, number>();
    for (const result of results) {
      const outcome = result.status === "rejected" || result.status === "deferred" ? result.reason : result.status;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    console.log(`push round ${round + 1}: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  }

  // The phone's cursor before going offline: it has read everything so far.
  let cursor: string | undefined;
  for (let page = await phone.sync.pull({ orgUnitId: facility.id, limit: 1000 }); ; ) {
    cursor = page.cursor;
    if (!page.hasMore) break;
    page = await phone.sync.pull({ orgUnitId: facility.id, cursor, limit: 1000 });
  }
  const offlineCursor = cursor;

  // A week of another device's work at the facility: 20 sessions a day per vaccine, discards.
  const otherDevice = await world.callerFor(world.people.facilityStaffA1.id);
  const otherClient = clientOf();
  let index = 0;
  for (let day = 7; day >= 1; day--) {
    const dayActions: TSyncAction[] = [];
    for (let session = 0; session < 100; session++) {
      dayActions.push(action(index++, new Date(Date.now() - day * 86_400_000 + session * 60_000)));
    }
    await otherDevice.sync.push(otherClient.push(dayActions));
  }

  const pullTimes: number[] = [];
  let entries = 0;
  let pages = 0;
  for (let round = 0; round < options.rounds; round++) {
    const started = performance.now();
    entries = 0;
    pages = 0;
    let next = offlineCursor;
    for (;;) {
      const page = await phone.sync.pull({ orgUnitId: facility.id, cursor: next, limit: 500 });
      entries += page.ledger.length;
      pages++;
      next = page.cursor;
      if (!page.hasMore) break;
    }
    pullTimes.push(performance.now() - started);
  }
  console.log(`pull after 7 days offline: ${entries} ledger entries in ${pages} pages`);
  console.log(`sync push 500 actions ms: ${Math.round(median(pushTimes))}`);
  console.log(`pull after 7 days offline ms: ${Math.round(median(pullTimes))}`);
} finally {
  await world.destroy();
}
