import { afterEach, describe, expect, it } from "vitest";
import { PEER_ADDRESS_HEADER, peerAddressOf } from "./peer-address";

const mark = Symbol.for("rantai.web.peerAddressHeader");
const forged = () => new Headers({ [PEER_ADDRESS_HEADER]: "198.51.100.7" });

describe("peerAddressOf", () => {
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[mark];
  });

  it("ignores the header unless the console's own server runs this process (a client could send it)", () => {
    expect(peerAddressOf(forged())).toBeNull();
  });

  it("believes the header the console's own server wrote", () => {
    (globalThis as Record<symbol, unknown>)[mark] = true;
    expect(peerAddressOf(forged())).toBe("198.51.100.7");
    expect(peerAddressOf(new Headers())).toBeNull();
  });
});
