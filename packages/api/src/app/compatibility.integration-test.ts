import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiEnv, defaultMobileMinVersion } from "../env";
import { type ApiTestWorld, createApiTestWorld, errorOf, shapeSentFor } from "../testing";

let world: ApiTestWorld;
beforeAll(async () => {
  world = await createApiTestWorld("app-compatibility");
});
afterAll(async () => {
  await world?.destroy();
});

/** An anonymous caller of a server configured with `MOBILE_MIN_VERSION=minimum`. */
const callerRequiring = (minimum: string) =>
  world.createCaller({ ...world.contextFor(null), mobileMinVersion: minimum }).app;

describe("app.compatibility", () => {
  it("tells an anonymous phone its version is supported from the minimum up", async () => {
    const app = callerRequiring("1.2.9");
    await expect(app.compatibility({ version: "1.2.9" })).resolves.toEqual({
      supported: true,
      minimumVersion: "1.2.9",
    });
    await expect(app.compatibility({ version: "1.2.10" })).resolves.toEqual({
      supported: true,
      minimumVersion: "1.2.9",
    });
  });

  it("tells an older phone it is no longer supported, and which version is", async () => {
    const app = callerRequiring("1.2.10");
    await expect(app.compatibility({ version: "1.2.9" })).resolves.toEqual({
      supported: false,
      minimumVersion: "1.2.10",
    });
    await expect(app.compatibility({ version: "1.2.10-rc.1" })).resolves.toMatchObject({ supported: false });
  });

  it("serves the first release by default", async () => {
    await expect(world.anonymousCaller().app.compatibility({ version: "0.1.0" })).resolves.toEqual({
      supported: true,
      minimumVersion: defaultMobileMinVersion,
    });
    await expect(world.anonymousCaller().app.compatibility({ version: "0.0.9" })).resolves.toMatchObject({
      supported: false,
    });
  });

  it("refuses a version that is not one, saying why", async () => {
    for (const version of ["", "1.2", "latest", `1.2.3-${"x".repeat(100)}`]) {
      const error = await errorOf(world.anonymousCaller().app.compatibility({ version }));
      expect(error.code, version).toBe("BAD_REQUEST");
      const shape = shapeSentFor(error);
      expect(shape.data.reason).toBe("input.invalid");
      expect(shape.message).toMatch(/^Invalid input: version: must be/);
    }
  });
});

describe("MOBILE_MIN_VERSION", () => {
  it("defaults to the first release and refuses a value that is not a version", () => {
    expect(apiEnv.parse({}).MOBILE_MIN_VERSION).toBe(defaultMobileMinVersion);
    expect(apiEnv.parse({ MOBILE_MIN_VERSION: "1.4.0" }).MOBILE_MIN_VERSION).toBe("1.4.0");
    const refused = apiEnv.safeParse({ MOBILE_MIN_VERSION: "v1.4" });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(["MOBILE_MIN_VERSION"]);
  });
});
