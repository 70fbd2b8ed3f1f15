import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter } from "./root";
import { type ApiTestWorld, createApiTestWorld } from "./testing";

/**
 * What a client receives over HTTP, through the same handler the console and the phone call:
 * every refusal carries its reason in `data.reason`, beside the code and the message.
 */

let world: ApiTestWorld;
beforeAll(async () => {
  world = await createApiTestWorld("error_reasons");
});
afterAll(async () => {
  await world?.destroy();
});

/** A refusal as tRPC sends it, superjson-wrapped. */
const ZErrorResponseSchema = z.object({
  error: z.object({ json: z.object({ message: z.string(), data: z.record(z.string(), z.unknown()) }) }),
});

async function send(path: string, init: { method: "GET" | "POST"; body?: unknown }) {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    createContext: () => world.contextFor(null),
    req: new Request(`http://localhost/api/trpc/${path}`, {
      method: init.method,
      headers: { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify({ json: init.body }),
    }),
  });
  const body = ZErrorResponseSchema.parse(await response.json());
  return { status: response.status, error: body.error.json };
}

describe("error reasons over HTTP", () => {
  it("sends the domain's reason with a refused sign-in", async () => {
    const { email } = world.people.viewerA;
    const { status, error } = await send("auth.signInMobile", {
      method: "POST",
      body: { email, password: "not-the-password" },
    });
    expect(status).toBe(401);
    expect(error.data).toMatchObject({ code: "UNAUTHORIZED", reason: "auth.invalid_credentials" });
    await world.loginThrottle.clearAccount(email);
  });

  it("sends a reason for the API layer's own refusals: bad input, no session", async () => {
    const invalid = await send("auth.signInMobile", { method: "POST", body: { email: "not an email" } });
    expect(invalid.status).toBe(400);
    expect(invalid.error.data).toMatchObject({ reason: "input.invalid", zodError: expect.any(Object) });

    const signedOut = await send("auth.me", { method: "GET" });
    expect(signedOut.status).toBe(401);
    expect(signedOut.error.data).toMatchObject({ code: "UNAUTHORIZED", reason: "auth.not_signed_in" });
  });
});
