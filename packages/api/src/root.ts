import { authRouter } from "./auth/router";
import { coldchainRouter } from "./coldchain/router";
import { orgsRouter } from "./orgs/router";
import { createTRPCRouter } from "./trpc";

/** The one place the bounded contexts are joined into the API. */
export const appRouter = createTRPCRouter({
  auth: authRouter,
  orgs: orgsRouter,
  coldchain: coldchainRouter,
});

export type AppRouter = typeof appRouter;
