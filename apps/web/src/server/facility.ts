import "server-only";
import { appRouter, createApiContext, createCallerFactory, type RouterOutputs } from "@rantai/api";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { readApiRequest } from "./auth";
import { getServices } from "./services";

const createCaller = createCallerFactory(appRouter);

/**
 * The facility a page URL names, read through the API's own procedure (so its one authorization
 * step decides), or null when it is not the caller's to see: another district's facility, a
 * district, or an id that does not exist are all refused alike, and the page shows not-found.
 */
export async function findFacilityForPage(facilityId: number): Promise<RouterOutputs["orgs"]["facility"] | null> {
  const context = await createApiContext(getServices(), await readApiRequest(await headers()));
  try {
    return await createCaller(context).orgs.facility({ facilityId });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "FORBIDDEN" || error.code === "UNAUTHORIZED")) return null;
    throw error;
  }
}
