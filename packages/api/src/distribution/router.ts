import { createTRPCRouter } from "../trpc";
import { photoProcedures } from "./photos-router";
import { requestProcedures } from "./requests-router";
import { shipmentProcedures } from "./shipments-router";

/**
 * The distribution API: requests (pull), allocations (push) and shipments between stores. Each
 * procedure validates its input, authorizes its right on the store, request or shipment it names
 * (for a request or shipment: the caller's side of it), and calls one domain function; stock
 * moves only through the ledger (see stock/ledger.ts).
 */
export const distributionRouter = createTRPCRouter({
  ...requestProcedures,
  ...shipmentProcedures,
  ...photoProcedures,
});
