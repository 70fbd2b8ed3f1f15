import { describe, expect, it } from "vitest";
import { addressBucket, normalizeAddress, resolveClientAddress } from "./client-address";

const forwarded = (value: string) => new Headers({ "x-forwarded-for": value });

describe("client address", () => {
  it("ignores X-Forwarded-For without trusted proxies and uses the peer address", () => {
    const headers = forwarded("203.0.113.66");
    expect(resolveClientAddress({ headers, trustedProxyHops: 0 })).toBeNull();
    expect(resolveClientAddress({ headers, trustedProxyHops: 0, peerAddress: "::ffff:192.0.2.4" })).toBe("192.0.2.4");
  });

  it("takes the Nth entry from the right, across repeated headers", () => {
    const headers = new Headers();
    headers.append("x-forwarded-for", "203.0.113.66, 10.0.0.1");
    headers.append("x-forwarded-for", "192.0.2.10");
    expect(resolveClientAddress({ headers, trustedProxyHops: 1 })).toBe("192.0.2.10");
    expect(resolveClientAddress({ headers, trustedProxyHops: 2 })).toBe("10.0.0.1");
    expect(resolveClientAddress({ headers, trustedProxyHops: 3 })).toBe("203.0.113.66");
    expect(resolveClientAddress({ headers, trustedProxyHops: 4 })).toBeNull();
    // Fewer entries than proxies: the request came round them; the connection's address stands.
    expect(resolveClientAddress({ headers, trustedProxyHops: 4, peerAddress: "::ffff:192.0.2.9" })).toBe("192.0.2.9");
  });

  it("refuses anything that is not an address", () => {
    expect(resolveClientAddress({ headers: forwarded("unknown"), trustedProxyHops: 1 })).toBeNull();
    expect(resolveClientAddress({ headers: forwarded("' OR 1=1 --"), trustedProxyHops: 1 })).toBeNull();
    expect(resolveClientAddress({ headers: new Headers(), trustedProxyHops: 1 })).toBeNull();
    expect(normalizeAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("192.0.2.1:8080")).toBeNull();
  });

  it("counts IPv6 clients per /64 and IPv4 clients per address", () => {
    expect(addressBucket("192.0.2.7")).toBe("192.0.2.7");
    expect(addressBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:0db8::5")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
  });
});
