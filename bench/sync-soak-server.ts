import type { IncomingHttpHeaders } from "node:http";
import { parseArgs } from "node:util";
import { appRouter, createApiContext } from "@rantai/api";
import { alarmNoticeChannel, createAlarmNoticeHub } from "@rantai/core/coldchain/alarms";
import { createActorCache, defaultActorCache } from "@rantai/core/kernel";
import { configureProcessLogger } from "@rantai/core/kernel/logger";
import { createDatabase } from "@rantai/db";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { Redis } from "ioredis";
import { z } from "zod";

/*
 * The API as the phone reaches it, for `bench/sync-soak.ts`: the tRPC router over HTTP with the
 * bearer-token context the console's `/api/trpc` builds, in a process of its own so the soak can
 * kill it (`kill -9`) and start it again. Prints `listening` once it accepts connections.
 */

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "database-url": { type: "string" },
    "redis-url": { type: "string" },
    "cache-prefix": { type: "string" },
  },
});
const options = z
  .strictObject({
    port: z.coerce.number().int().min(1).max(65535),
    "database-url": z.string().startsWith("mysql://"),
    "redis-url": z.string().startsWith("redis://"),
    "cache-prefix": z.string().min(1),
  })
  .parse(values);

configureProcessLogger({ service: "bench-sync-soak-server", level: "warn" });

// A small pool, as one web replica on a modest server has: it also makes the database pause bite.
const { db } = createDatabase({ url: options["database-url"], poolSize: 4 });
const redis = new Redis(options["redis-url"], { maxRetriesPerRequest: 2 });
const services = {
  db,
  redis,
  alarmNotices: createAlarmNoticeHub(redis, alarmNoticeChannel(options["database-url"])),
  actorCache: createActorCache(redis, { ...defaultActorCache, keyPrefix: `${options["cache-prefix"]}:actor` }),
};

function headersOf(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
  }
  return headers;
}

const server = createHTTPServer({
  router: appRouter,
  basePath: "/api/trpc/",
  createContext: ({ req }) =>
    createApiContext(services, { headers: headersOf(req.headers), peerAddress: req.socket.remoteAddress }),
});
server.listen(options.port, "127.0.0.1", () => console.log("listening"));
