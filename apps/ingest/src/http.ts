import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";

export interface Probe {
  ok: boolean;
  body: Record<string, unknown>;
}

export interface HttpOptions {
  host: string;
  port: number;
  registry: Registry;
  /** Cheap, no I/O: is the process able to make progress? */
  health(): Probe;
  /** Can it do its job now (database and broker reachable)? */
  ready(): Promise<Probe>;
}

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

/** /health (liveness), /ready (readiness) and /metrics (Prometheus text format). */
export async function startHttpServer(options: HttpOptions): Promise<HttpServer> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      send(response, 500, { ok: false, error: error instanceof Error ? error.message : String(error) });
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(options: HttpOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== "GET" && request.method !== "HEAD") return send(response, 405, { error: "use GET" });
  const url = new URL(request.url ?? "/", "http://ingest");
  const path = url.pathname;
  if (path === "/health") {
    const probe = options.health();
    return send(response, probe.ok ? 200 : 503, probe.body);
  }
  if (path === "/ready") {
    const probe = await options.ready();
    return send(response, probe.ok ? 200 : 503, probe.body);
  }
  if (path === "/metrics") {
    // `?name[]=a&name[]=b` returns only those metrics (unknown names are left out): a cheap
    // scrape for watchers polling one counter, without the process metrics' collection.
    const names = url.searchParams.getAll("name[]");
    const text =
      names.length === 0
        ? await options.registry.metrics()
        : (
            await Promise.all(
              names
                .filter((name) => options.registry.getSingleMetric(name) !== undefined)
                .map((name) => options.registry.getSingleMetricAsString(name)),
            )
          ).join("\n");
    response.writeHead(200, { "content-type": options.registry.contentType, "cache-control": "no-store" });
    response.end(text);
    return;
  }
  send(response, 404, { error: "not found; try /health, /ready or /metrics" });
}

function send(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}
