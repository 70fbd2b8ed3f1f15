import type { ErrorReason } from "@rantai/api";
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { errorReasonOf, isSignedOut } from "./error-reason";

/** A refusal as the client decodes it from the server's error shape. */
function refusal(reason: ErrorReason, message: string, code = "UNPROCESSABLE_CONTENT") {
  return TRPCClientError.from({
    error: {
      code: -32022,
      message,
      data: { code, reason, httpStatus: 422, path: "stock.recordUsage", zodError: null, retryAfterSeconds: null },
    },
  });
}

describe("the phone's reading of server refusals", () => {
  it("reads the reason of a server answer and none from a local failure or an answer without one", () => {
    expect(errorReasonOf(refusal("stock.insufficient", "Only 4 doses", "CONFLICT"))).toBe("stock.insufficient");
    expect(errorReasonOf(new Error("secure store refused"))).toBeNull();
    expect(errorReasonOf(TRPCClientError.from(new TypeError("Failed to fetch")))).toBeNull();
  });

  it("signs out only when the session is over, not on a wrong password", () => {
    expect(isSignedOut(refusal("auth.not_signed_in", "You are not signed in", "UNAUTHORIZED"))).toBe(true);
    expect(isSignedOut(refusal("auth.invalid_credentials", "Wrong email or password", "UNAUTHORIZED"))).toBe(false);
    expect(isSignedOut(refusal("scope.forbidden", "You do not have access to this.", "FORBIDDEN"))).toBe(false);
  });
});
