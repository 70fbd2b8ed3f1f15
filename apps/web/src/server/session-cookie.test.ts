import { describe, expect, it } from "vitest";
import { sessionCookieFor } from "./session-cookie";

describe("session cookie", () => {
  it("is Secure and __Secure- prefixed when the console is served over https", () => {
    const { secure, cookie } = sessionCookieFor("https://rantai.dinkes.go.id");
    expect(secure).toBe(true);
    expect(cookie.name).toBe("__Secure-next-auth.session-token");
    expect(cookie.options).toEqual({ httpOnly: true, sameSite: "lax", path: "/", secure: true });
  });

  it("stays HttpOnly and SameSite=Lax on plain http (local development)", () => {
    for (const url of ["http://localhost:3000", undefined]) {
      const { secure, cookie } = sessionCookieFor(url);
      expect(secure).toBe(false);
      expect(cookie.name).toBe("next-auth.session-token");
      expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false });
    }
  });
});
