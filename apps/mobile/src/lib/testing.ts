import { emptyLocalData, type LocalBalance, type LocalData, type LocalFridge } from "../sync/local-store";

/** Test data only: a facility's local copy with two vaccines, their levels (min 1, max 2 months) and rates. */
export function facilityData(balances: LocalBalance[], changes: Partial<LocalData> = {}): LocalData {
  const item = (id: number, code: string, dosesPerVial: number) => ({
    id,
    code,
    name: code,
    kind: "vaccine" as const,
    dosesPerVial,
    freezeSensitive: false,
    vvmType: "VVM7" as const,
    openVialPolicy: "keep_28_days" as const,
    gtin: null,
  });
  const months = (value: number) => ({ low: value, high: value });
  return {
    ...emptyLocalData(),
    balances: Object.fromEntries(balances.map((balance) => [String(balance.batchId), balance])),
    reference: {
      items: [item(1, "BCG", 20), item(2, "MR", 10)],
      levels: {
        orgUnitId: 7,
        levels: [
          {
            level: "facility" as const,
            stores: 1,
            defaultLevel: { minMonths: 1, maxMonths: 2 },
            items: [{ itemId: 1, itemCode: "BCG", itemName: "BCG", minMonths: months(1), maxMonths: months(2) }],
          },
        ],
      },
    },
    consumption: [
      { itemId: 1, averageMonthlyConsumption: 100 },
      { itemId: 2, averageMonthlyConsumption: 50 },
    ],
    ...changes,
  };
}

export function balance(batchId: number, itemId: number, quantity: number, expiryDate = "2027-12-31"): LocalBalance {
  return {
    batchId,
    itemId,
    lotNumber: `L${batchId}`,
    expiryDate,
    vvmStage: 1,
    quantity,
    updatedAt: "2026-12-01T00:00:00.000Z",
  };
}

export function fridge(equipmentId: number, latest: number | null, earlier: number | null): LocalFridge {
  const reading = (tempC: number, ts: string) => ({ tempC, ts, batteryPct: null });
  return {
    equipmentId,
    name: `Fridge ${equipmentId}`,
    kind: "refrigerator",
    model: null,
    status: "functional",
    facilityId: 7,
    facilityName: "Puskesmas Depok",
    sensorId: equipmentId,
    deviceId: `dev-${equipmentId}`,
    online: true,
    latest: latest === null ? null : reading(latest, "2026-12-01T01:30:00.000Z"),
    temperatureState: "ok",
    stale: false,
    earlyWarning: null,
    earlier: earlier === null ? null : { tempC: earlier, ts: "2026-12-01T01:00:00.000Z" },
  };
}
