// The console's production server: Next.js behind a plain Node HTTP server, so the API can
// know who connected. Next gives route handlers no socket address and keeps a client-sent
// X-Forwarded-For as it is, so this server writes the peer address into a header of its own,
// replacing whatever a client sent under that name. Usage: node server.mjs --port 3000 [--host H]
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import next from "next";
import { pino } from "pino";
import { z } from "zod";

/** Keep in step with src/server/peer-address.ts. */
const PEER_ADDRESS_HEADER = "x-rantai-peer-address";
// Tells the app in this process that the header above is this server's, not a client's.
globalThis[Symbol.for("rantai.web.peerAddressHeader")] = true;

const { values } = parseArgs({
  options: { port: { type: "string", default: "3000" }, host: { type: "string", default: "0.0.0.0" } },
});
// The same line shape as every Rantai process (packages/core/src/kernel/logger.ts; keep in
// step): this file runs under plain node, before and outside the app, so it cannot import it.
const logLevel = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
  .default("info")
  .safeParse(process.env.LOG_LEVEL);
if (!logLevel.success) {
  console.error("LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (e.g. info)");
  process.exit(2);
}
const logger = pino({
  level: logLevel.data,
  base: { service: "web" },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`--port must be a TCP port number (1-65535), got "${values.port}"`);
  process.exit(2);
}

const app = next({ dev: false, dir: path.dirname(fileURLToPath(import.meta.url)), hostname: values.host, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
  handle(request, response).catch((error) => {
    logger.error({ error: String(error?.message ?? error) }, "request_failed");
    if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
    response.end("Internal error");
  });
});
server.listen(port, values.host, () => {
  logger.info({ port }, "web_listening");
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    // Open keep-alive connections would hold the close; stop waiting after a moment.
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
