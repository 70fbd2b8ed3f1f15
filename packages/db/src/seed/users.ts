import { inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { hashSecret } from "../passwords";
import { type Role, users } from "../schema";
import { mapWithConcurrency } from "./concurrency";
import type { SeededOrgUnit } from "./org-units";

/** The one password of every demo account. Demo data only: never seed this into production. */
export const DEMO_PASSWORD = "rantai-demo-2026";

export interface DemoAccount {
  email: string;
  name: string;
  role: Role;
  orgUnitCode: string;
}

/** One account per role, placed where the demo has something to show (Depok has a warm fridge). */
export const demoAccounts: readonly DemoAccount[] = [
  { email: "admin@demo.rantai.id", name: "Admin Nasional", role: "national_admin", orgUnitCode: "ID" },
  { email: "provinsi.diy@demo.rantai.id", name: "Petugas Provinsi DIY", role: "province_officer", orgUnitCode: "34" },
  { email: "dinkes.sleman@demo.rantai.id", name: "Dinkes Sleman", role: "district_officer", orgUnitCode: "34.04" },
  { email: "dinkes.bantul@demo.rantai.id", name: "Dinkes Bantul", role: "district_officer", orgUnitCode: "34.02" },
  // Kecamatan Depok, Sleman is 34.04.07 in Kemendagri's codes (idn-area-data districts.csv).
  {
    email: "pkm.depok@demo.rantai.id",
    name: "Petugas Puskesmas Depok",
    role: "facility_staff",
    orgUnitCode: "P340407",
  },
  // Kecamatan Sewon, Bantul is 34.02.15.
  {
    email: "pkm.sewon@demo.rantai.id",
    name: "Petugas Puskesmas Sewon",
    role: "facility_staff",
    orgUnitCode: "P340215",
  },
  { email: "viewer.sleman@demo.rantai.id", name: "Pemantau Sleman", role: "viewer", orgUnitCode: "34.04" },
];

/**
 * Inserts the demo accounts that do not exist yet. Existing users keep their hash and settings,
 * so a rerun neither re-hashes nor undoes a password change made in the app.
 */
export async function seedUsers(
  executor: Executor,
  units: ReadonlyMap<string, SeededOrgUnit>,
  accounts: readonly DemoAccount[] = demoAccounts,
): Promise<number> {
  const existing = await executor
    .select({ email: users.email })
    .from(users)
    .where(
      inArray(
        users.email,
        accounts.map((account) => account.email),
      ),
    );
  const present = new Set(existing.map((row) => row.email));
  const missing = accounts.filter((account) => !present.has(account.email));
  const rows = await mapWithConcurrency(missing, 4, async (account) => {
    const unit = units.get(account.orgUnitCode);
    if (!unit) throw new Error(`demo account ${account.email}: unknown org unit ${account.orgUnitCode}`);
    return {
      email: account.email,
      name: account.name,
      role: account.role,
      orgUnitId: unit.id,
      locale: "id" as const,
      passwordHash: await hashSecret(DEMO_PASSWORD),
    };
  });
  if (rows.length > 0) {
    await executor
      .insert(users)
      .values(rows)
      .onDuplicateKeyUpdate({ set: { id: sql`id`, updatedAt: sql`updated_at` } });
  }
  return rows.length;
}
