import { describe, expect, it } from "vitest";
import { AppError, appErrorCodes, errorReasons, forbidden, forbiddenMessage } from "./errors";

describe("errorReasons", () => {
  it("names every reason context first, in lower snake case, with a known code", () => {
    for (const [reason, code] of Object.entries(errorReasons)) {
      expect(reason, `reason ${reason}`).toMatch(/^(internal|[a-z]+(\.[a-z]+(_[a-z]+)*)+)$/);
      expect(appErrorCodes).toContain(code);
    }
  });
});

describe("AppError", () => {
  it("derives its code from its reason and keeps the message and retry hint", () => {
    const error = new AppError("auth.rate_limited", "Wait 30 seconds and try again.", { retryAfterSeconds: 30 });
    expect(error).toMatchObject({
      reason: "auth.rate_limited",
      code: "TOO_MANY_REQUESTS",
      message: "Wait 30 seconds and try again.",
      retryAfterSeconds: 30,
    });
    expect(new AppError("stock.insufficient", "Only 4 doses").code).toBe("CONFLICT");
  });

  it("gives every out-of-scope refusal the same reason and message", () => {
    expect(forbidden()).toMatchObject({ reason: "scope.forbidden", code: "FORBIDDEN", message: forbiddenMessage });
  });
});
