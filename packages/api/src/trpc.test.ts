import { AppError } from "@rantai/core/kernel";
import { TRPCError } from "@trpc/server";
import { getErrorShape } from "@trpc/server/unstable-core-do-not-import";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createTRPCRouter } from "./trpc";

const { _config: config } = createTRPCRouter({})._def;

function shapeOf(error: TRPCError) {
  return getErrorShape({ config, error, type: "query", path: "orgs.tree", input: undefined, ctx: undefined });
}

describe("errorFormatter", () => {
  it("never sends a stack, a cause or an internal error's text, even where tRPC would add a stack", () => {
    // Outside production tRPC puts the stack in `data.stack`; the formatter must drop it.
    expect(config.isDev).toBe(true);
    const cause = new Error("ER_NO_SUCH_TABLE: SELECT * FROM users at /srv/rantai/node_modules/mysql2/index.js:12");
    const text = JSON.stringify(shapeOf(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause })));
    expect(text).not.toContain("stack");
    expect(text).not.toContain("SELECT");
    expect(text).not.toContain("node_modules");
    expect(text).not.toContain("trpc.test.ts");
    expect(JSON.parse(text)).toMatchObject({
      message: expect.stringMatching(/^Something went wrong on our side/),
      data: { code: "INTERNAL_SERVER_ERROR", reason: "internal", httpStatus: 500, path: "orgs.tree" },
    });
  });

  it("keeps what clients use: the code, the domain message, zod details and retry-after", () => {
    const throttled = new AppError("auth.rate_limited", "Too many attempts; try again later.", {
      retryAfterSeconds: 30,
    });
    const shape = shapeOf(new TRPCError({ code: "TOO_MANY_REQUESTS", message: throttled.message, cause: throttled }));
    expect(shape).toMatchObject({
      message: "Too many attempts; try again later.",
      data: { code: "TOO_MANY_REQUESTS", reason: "auth.rate_limited", retryAfterSeconds: 30, zodError: null },
    });

    const zodError = z.strictObject({ levels: z.number().max(3) }).safeParse({ levels: 9 }).error;
    const invalid = shapeOf(new TRPCError({ code: "BAD_REQUEST", cause: zodError }));
    expect(invalid.message).toMatch(/^Invalid input: levels:/);
    expect(invalid.data.reason).toBe("input.invalid");
    expect(invalid.data.zodError?.fieldErrors).toHaveProperty("levels");
    expect(Object.keys(invalid.data).sort()).toEqual([
      "code",
      "httpStatus",
      "path",
      "reason",
      "retryAfterSeconds",
      "zodError",
    ]);
  });

  it("gives every error a reason from the catalog, the domain's own where there is one", () => {
    const mismatch = new AppError("idempotency.payload_mismatch", "This idempotency key was already used.");
    const domain = shapeOf(
      new TRPCError({ code: "UNPROCESSABLE_CONTENT", message: mismatch.message, cause: mismatch }),
    );
    expect(domain.data).toMatchObject({ code: "UNPROCESSABLE_CONTENT", reason: "idempotency.payload_mismatch" });

    // Refusals made by the transport, not the domain.
    expect(shapeOf(new TRPCError({ code: "UNAUTHORIZED" })).data.reason).toBe("auth.not_signed_in");
    expect(shapeOf(new TRPCError({ code: "PARSE_ERROR" })).data.reason).toBe("input.invalid");
    expect(shapeOf(new TRPCError({ code: "NOT_FOUND" })).data.reason).toBe("request.refused");

    // An AppError that reaches the formatter unmapped is an internal error, reason included.
    const escaped = shapeOf(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: mismatch }));
    expect(escaped).toMatchObject({
      message: expect.stringMatching(/^Something went wrong/),
      data: { reason: "internal" },
    });
  });
});
