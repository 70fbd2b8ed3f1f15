import { createTRPCRouter } from "../trpc";
import { requestProcedures } from "./requests-router";
import { shipmentProcedures } from "./shipments-router";

/**
 * The distribution API: requests (pull), allocations (push) and shipments between stores. Each
 * procedure validates its input, checks the caller's side of the request or shipment, and calls
 * one domain function; stock moves only through the ledger (see stock/ledger.ts).
 */
export const distributionRouter = createTRPCRouter({ ...requestProcedures, ...shipmentProcedures });
