import { roles } from "@rantai/db";
import { describe, expect, it } from "vitest";
import type { Actor } from "../context";
import { isAllowed } from "./authorize";
import { holdsRight, outranks, type Right, rights, rolesHolding } from "./roles";

const everyone = ["national_admin", "province_officer", "district_officer", "facility_staff", "viewer"];
const officers = ["national_admin", "province_officer", "district_officer"];
const writers = ["national_admin", "province_officer", "district_officer", "facility_staff"];

describe("the table of rights", () => {
  // Who may do what, as it was before the table existed: a change here changes who may act.
  const expected: Record<Right, readonly string[]> = {
    "orgs.read": everyone,
    "orgs.manage": officers,
    "stock.read": everyone,
    "stock.write": writers,
    "stock.levels.manage": officers,
    "distribution.read": everyone,
    "distribution.write": writers,
    "coldchain.read": everyone,
    "coldchain.sensors.manage": officers,
    "coldchain.equipment.manage": officers,
    "coldchain.alarms.acknowledge": writers,
    "auth.users.read": everyone,
    "auth.users.manage": officers,
  };

  it.each(rights)("gives %s to exactly the expected roles", (right) => {
    expect(rolesHolding(right)).toEqual(expected[right]);
  });

  it("lets viewers read everything and change nothing", () => {
    for (const right of rights) expect(holdsRight("viewer", right)).toBe(right.endsWith(".read"));
  });
});

describe("ranks of user administration", () => {
  it("lets the national admin administer everyone and officers only lower ranks", () => {
    for (const target of roles) expect(outranks("national_admin", target)).toBe(true);
    expect(outranks("province_officer", "district_officer")).toBe(true);
    expect(outranks("province_officer", "province_officer")).toBe(false);
    expect(outranks("district_officer", "facility_staff")).toBe(true);
    expect(outranks("district_officer", "viewer")).toBe(true);
    expect(outranks("district_officer", "district_officer")).toBe(false);
    expect(outranks("district_officer", "province_officer")).toBe(false);
  });
});

describe("isAllowed", () => {
  const actor = (role: Actor["role"]): Actor => ({
    userId: 1,
    name: "Petugas",
    email: "petugas@test.rantai.id",
    role,
    locale: "id",
    orgUnitId: 3,
    orgUnitName: "Kabupaten Sleman",
    orgUnitPath: "/1/2/3/",
    sessionVersion: 0,
  });

  it("allows a right the role holds on the actor's unit and the units under it", () => {
    expect(isAllowed(actor("district_officer"), "stock.write", { orgUnitPaths: ["/1/2/3/"] })).toBe(true);
    expect(isAllowed(actor("district_officer"), "stock.write", { orgUnitPaths: ["/1/2/3/7/"] })).toBe(true);
  });

  it("refuses a unit outside the scope, a sibling whose path only shares digits, and a missing target", () => {
    expect(isAllowed(actor("district_officer"), "stock.read", { orgUnitPaths: ["/1/2/"] })).toBe(false);
    expect(isAllowed(actor("district_officer"), "stock.read", { orgUnitPaths: ["/1/2/31/"] })).toBe(false);
    expect(isAllowed(actor("district_officer"), "stock.read", { orgUnitPaths: [] })).toBe(false);
  });

  it("allows a target of two units (a shipment) when either is in scope", () => {
    expect(isAllowed(actor("facility_staff"), "distribution.read", { orgUnitPaths: ["/1/9/", "/1/2/3/5/"] })).toBe(
      true,
    );
  });

  it("refuses a right the role does not hold, even on the actor's own unit", () => {
    expect(isAllowed(actor("viewer"), "stock.write", { orgUnitPaths: ["/1/2/3/"] })).toBe(false);
    expect(isAllowed(actor("facility_staff"), "coldchain.sensors.manage", { orgUnitPaths: ["/1/2/3/"] })).toBe(false);
  });
});
