import { appInfoRouter } from "./app/router";
import { authRouter } from "./auth/router";
import { usersRouter } from "./auth/users-router";
import { coldchainRouter } from "./coldchain/router";
import { distributionRouter } from "./distribution/router";
import { orgsRouter } from "./orgs/router";
import { reportsRouter } from "./reports/router";
import { stockRouter } from "./stock/router";
import { syncRouter } from "./sync/router";
import { createTRPCRouter } from "./trpc";

/** The one place the bounded contexts are joined into the API. */
export const appRouter = createTRPCRouter({
  app: appInfoRouter,
  auth: authRouter,
  users: usersRouter,
  orgs: orgsRouter,
  coldchain: coldchainRouter,
  stock: stockRouter,
  distribution: distributionRouter,
  reports: reportsRouter,
  sync: syncRouter,
});

export type AppRouter = typeof appRouter;
