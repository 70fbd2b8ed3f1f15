import { describe, expect, it } from "vitest";
import { hashBrokerPassword, parseBrokerPasswordHash, verifyBrokerPassword } from "./broker-password";
import { describeUnusableBrokerUsername, generateDeviceSecret, isReservedBrokerUsername } from "./credentials";

/** Written by `mosquitto_passwd -b pw dev1 secret123` (Mosquitto 2.0.11). */
const FROM_MOSQUITTO_PASSWD =
  "$7$101$lxZgF84UbMz7solK$x5PrVfssPHJjXxWPjV3AqQrE0RvGiq+a0Jy7HrSkI9Q5s19tdgnJMJj6ZjakX3tgOEthNDluZ9efI+8iWzVaAg==";

describe("Mosquitto $7$ password hashes", () => {
  it("verifies a hash written by mosquitto_passwd and reproduces it from its salt", async () => {
    expect(await verifyBrokerPassword(FROM_MOSQUITTO_PASSWD, "secret123")).toBe(true);
    expect(await verifyBrokerPassword(FROM_MOSQUITTO_PASSWD, "secret124")).toBe(false);
    const parsed = parseBrokerPasswordHash(FROM_MOSQUITTO_PASSWD);
    expect(parsed?.iterations).toBe(101);
    expect(parsed?.salt).toHaveLength(12);
    const again = await hashBrokerPassword("secret123", { salt: parsed?.salt, iterations: 101 });
    expect(again).toBe(FROM_MOSQUITTO_PASSWD);
  });

  it("hashes with a fresh 12-byte salt and 101 iterations, as mosquitto_passwd does", async () => {
    const [a, b] = await Promise.all([hashBrokerPassword("s3cret"), hashBrokerPassword("s3cret")]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/);
    expect(await verifyBrokerPassword(a, "s3cret")).toBe(true);
    expect(await verifyBrokerPassword(b, "s3cret")).toBe(true);
  });

  it("refuses malformed and non-$7$ hashes instead of throwing", async () => {
    for (const bad of ["", "$6$abc$def", "$7$101$salt", "$7$0$AAAA$AAAA", "plain", `${FROM_MOSQUITTO_PASSWD}x`]) {
      expect(parseBrokerPasswordHash(bad)).toBeNull();
      expect(await verifyBrokerPassword(bad, "secret123")).toBe(false);
    }
  });
});

describe("device credentials", () => {
  it("generates 32-character url-safe secrets", () => {
    const secrets = new Set(Array.from({ length: 100 }, generateDeviceSecret));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("keeps service account names and ':' out of device ids", () => {
    for (const name of ["ingest", "INGEST", "ingest-2", "svc-monitor"])
      expect(isReservedBrokerUsername(name)).toBe(true);
    for (const name of ["RTS-P340401-1", "ingester", "svc"]) expect(isReservedBrokerUsername(name)).toBe(false);
    expect(describeUnusableBrokerUsername("RTS:1")).toContain('":"');
    expect(describeUnusableBrokerUsername("ingest")).toContain("reserved");
    expect(describeUnusableBrokerUsername("RTS-P340401-1")).toBeNull();
  });
});
