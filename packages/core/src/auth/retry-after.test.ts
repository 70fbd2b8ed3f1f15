import { describe, expect, it } from "vitest";
import { AppError } from "../kernel/errors";
import { retryAfterHeaders, retryAfterResponseMeta } from "./retry-after";

// tRPC hands responseMeta its own errors with the domain's AppError as their cause; a plain Error
// with a cause is the same shape and keeps this domain test free of the tRPC layer.
const throttled = (seconds: number) =>
  new Error("wait", { cause: new AppError("auth.rate_limited", "wait", { retryAfterSeconds: seconds }) });
const refused = (reason: string) => new Error(reason);

describe("Retry-After", () => {
  it("asks for the longest wait of a batch's throttled calls", () => {
    expect(retryAfterHeaders([throttled(30), refused("UNAUTHORIZED"), throttled(900)])).toEqual({
      "retry-after": "900",
    });
    expect(retryAfterResponseMeta({ errors: [throttled(1.2)] })).toEqual({ headers: { "retry-after": "2" } });
  });

  it("sends no header when nothing was throttled", () => {
    expect(retryAfterResponseMeta({ errors: [] })).toEqual({});
    expect(retryAfterHeaders([refused("FORBIDDEN")])).toEqual({});
  });
});
