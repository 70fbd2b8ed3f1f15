import type { AppRouter } from "@rantai/api";
import type { TRPCClient } from "@trpc/client";
import { errorReasonOf } from "@/lib/error-reason";
import type { SyncTransport } from "./types";

/** Carries the server's reason (or none: unreachable) the way the engine reads it, as `reason`. */
class TransportError extends Error {
  constructor(
    readonly reason: string,
    cause: unknown,
  ) {
    super(reason, { cause });
    this.name = "TransportError";
  }
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw new TransportError(errorReasonOf(error) ?? "network", error);
  }
}

/** The engine's way to the server: the same `sync.push` / `sync.pull` procedures the API tests call. */
export function createTrpcTransport(client: TRPCClient<AppRouter>): SyncTransport {
  return {
    push: (orgUnitId, actions, syncClient) =>
      call(() => client.sync.push.mutate({ orgUnitId, client: syncClient, actions })),
    pull: (orgUnitId, cursor, syncClient) =>
      call(() => client.sync.pull.query({ orgUnitId, cursor, client: syncClient })),
  };
}
