import type { OrgUnit } from "@rantai/db";
import { createOrgUnit } from "@rantai/db/factories";
import type { TestDatabase } from "@rantai/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAlarms } from "../coldchain/alarms/queries";
import { createAlarmUnder } from "../coldchain/alarms/testing";
import { createOrgsTestDatabase } from "./testing";

let database: TestDatabase;
let national: OrgUnit;
beforeAll(async () => {
  database = await createOrgsTestDatabase("province_zone");
  national = await createOrgUnit(database.db, { parent: null, level: "national", code: "ID" });
});
afterAll(async () => {
  await database?.destroy();
});

/** A province by its Kemendagri code with one district and one puskesmas under it, and an alarm there. */
async function alarmInProvince(code: string) {
  const province = await createOrgUnit(database.db, { parent: national, level: "province", code });
  const district = await createOrgUnit(database.db, { parent: province, level: "district", code: `${code}.01` });
  const facility = await createOrgUnit(database.db, { parent: district, level: "facility" });
  const alarmId = await createAlarmUnder(database.db, facility);
  return { alarmId, facility };
}

describe("an alarm's facility time zone", () => {
  it("is its province's: WIB in Yogyakarta, WITA in South Sulawesi, WIT in Papua", async () => {
    const yogyakarta = await alarmInProvince("34");
    const southSulawesi = await alarmInProvince("73");
    const papua = await alarmInProvince("91");
    const { items } = await findAlarms(database.db, national.path, { status: "all", limit: 10 });
    const zoneOf = (alarmId: number) => {
      const facility = items.find((alarm) => alarm.id === alarmId)?.facility;
      return [facility?.timeZone, facility?.timeZoneAbbreviation];
    };
    expect(zoneOf(yogyakarta.alarmId)).toEqual(["Asia/Jakarta", "WIB"]);
    expect(zoneOf(southSulawesi.alarmId)).toEqual(["Asia/Makassar", "WITA"]);
    expect(zoneOf(papua.alarmId)).toEqual(["Asia/Jayapura", "WIT"]);
  });

  it("is the capital's when the facility hangs directly under the national unit (no province above it)", async () => {
    const alarmId = await createAlarmUnder(database.db, national);
    const { items } = await findAlarms(database.db, national.path, { status: "all", limit: 10 });
    expect(items.find((alarm) => alarm.id === alarmId)?.facility).toMatchObject({
      timeZone: "Asia/Jakarta",
      timeZoneAbbreviation: "WIB",
    });
  });
});
