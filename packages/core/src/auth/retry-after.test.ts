import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { AppError } from "../kernel/errors";
import { retryAfterHeaders, retryAfterResponseMeta } from "./retry-after";

const throttled = (seconds: number) =>
  new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message: "wait",
    cause: new AppError("auth.rate_limited", "wait", { retryAfterSeconds: seconds }),
  });

describe("Retry-After", () => {
  it("asks for the longest wait of a batch's throttled calls", () => {
    expect(retryAfterHeaders([throttled(30), new TRPCError({ code: "UNAUTHORIZED" }), throttled(900)])).toEqual({
      "retry-after": "900",
    });
    expect(retryAfterResponseMeta({ errors: [throttled(1.2)] })).toEqual({ headers: { "retry-after": "2" } });
  });

  it("sends no header when nothing was throttled", () => {
    expect(retryAfterResponseMeta({ errors: [] })).toEqual({});
    expect(retryAfterHeaders([new TRPCError({ code: "FORBIDDEN" })])).toEqual({});
  });
});
